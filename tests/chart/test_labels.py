"""Direct-label placement: plain arithmetic on pixel positions."""
from __future__ import annotations

import random

import pytest

from dashboard.chart.labels import overlaps, place_labels


def test_labels_that_do_not_collide_stay_where_they_are_wanted():
    assert place_labels([10, 50, 90], [10, 10, 10], 0, 100, gap=0) == [10, 50, 90]


def test_colliding_labels_are_pushed_apart_around_their_mean():
    centres = place_labels([50, 52], [10, 10], 0, 100, gap=0)
    assert centres == [46, 56] and overlaps(centres, [10, 10]) == []


def test_labels_keep_the_order_of_their_values():
    wanted = [40, 41, 39, 42]
    centres = place_labels(wanted, [12] * 4, 0, 200)
    assert sorted(range(4), key=lambda i: centres[i]) == sorted(range(4), key=lambda i: wanted[i])


def test_labels_are_kept_inside_the_bounds_when_they_fit():
    centres = place_labels([99, 100, 101], [20, 20, 20], 0, 100, gap=0)
    assert max(centres) + 10 <= 100 and overlaps(centres, [20] * 3) == []
    centres = place_labels([0, 1], [20, 20], 0, 100, gap=0)
    assert min(centres) - 10 >= 0


@pytest.mark.parametrize("seed", range(20))
def test_no_two_labels_overlap_for_any_positions(seed):
    rng = random.Random(seed)
    n = rng.randint(2, 9)
    wanted = [rng.uniform(0, 300) for _ in range(n)]
    heights = [rng.uniform(10, 40) for _ in range(n)]
    centres = place_labels(wanted, heights, 0, 300, gap=2)
    assert overlaps(centres, heights) == []
