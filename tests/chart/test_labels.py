"""Direct-label placement: plain arithmetic on pixel positions."""
from __future__ import annotations

import random

import pytest

from dashboard.chart.labels import Box, overlaps, place_labels


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


# ---------------------------------------------------------------- labels across the plot (the writer's notes)

def boxes_of(centres, heights, spans):
    return [Box(left, right, c - h / 2, c + h / 2) for c, h, (left, right) in zip(centres, heights, spans)]


def test_labels_side_by_side_do_not_push_each_other():
    spans = [(0, 50), (100, 150)]
    assert place_labels([50, 50], [20, 20], 0, 100, spans=spans) == [50, 50]


def test_labels_whose_spans_meet_are_stacked_as_in_one_column():
    spans = [(0, 60), (40, 100)]
    centres = place_labels([50, 52], [10, 10], 0, 100, gap=0, spans=spans)
    assert centres == place_labels([50, 52], [10, 10], 0, 100, gap=0) == [46, 56]


def test_a_label_moves_to_the_nearest_free_place_clear_of_a_taken_box():
    taken = [Box(0, 100, 40, 60)]
    [above] = place_labels([55], [10], 0, 100, gap=2, spans=[(10, 30)], taken=taken)
    assert above == 67  # 60 + gap + half its height: nearer than 33 below
    [below] = place_labels([44], [10], 0, 100, gap=2, spans=[(10, 30)], taken=taken)
    assert below == 33
    # a taken box beside the label's span is no obstacle
    assert place_labels([50], [10], 0, 100, spans=[(200, 230)], taken=taken) == [50]


def test_a_label_with_no_free_place_stays_where_it_was_put():
    assert place_labels([50], [30], 0, 100, spans=[(0, 10)], taken=[Box(0, 10, 0, 100)]) == [50]


@pytest.mark.parametrize("seed", range(30))
def test_no_label_meets_another_or_a_taken_box_when_there_is_room(seed):
    rng = random.Random(seed)
    n = rng.randint(2, 10)
    spans = [(x := rng.uniform(0, 400), x + rng.uniform(40, 160)) for _ in range(n)]
    heights = [rng.uniform(12, 30) for _ in range(n)]
    wanted = [rng.uniform(0, 600) for _ in range(n)]
    taken = [Box(x, x + rng.uniform(10, 60), y, y + rng.uniform(10, 50))
             for x, y in ((rng.uniform(0, 500), rng.uniform(0, 550)) for _ in range(rng.randint(0, 4)))]
    centres = place_labels(wanted, heights, 0, 600, gap=2, spans=spans, taken=taken)
    placed = boxes_of(centres, heights, spans)
    assert all(b.bottom >= -1e-6 and b.top <= 600 + 1e-6 for b in placed)
    for i, box in enumerate(placed):
        assert not any(box.meets(t) for t in taken), (i, box)
        assert not any(box.meets(other) for other in placed[i + 1:]), i


def test_spans_must_match_the_labels():
    with pytest.raises(ValueError):
        place_labels([1, 2], [1, 1], 0, 10, spans=[(0, 1)])


def test_a_label_clears_the_boxes_to_avoid_only_where_that_leaves_it_a_place():
    markers = [Box(0, 100, 45, 55)]
    [moved] = place_labels([50], [10], 0, 100, gap=2, spans=[(10, 30)], avoid=markers)
    assert moved in (38, 62)
    crowded = [Box(0, 100, y, y + 8) for y in range(0, 100, 10)]  # no gap of 14 px anywhere
    [kept] = place_labels([50], [10], 0, 100, gap=2, spans=[(10, 30)], avoid=crowded)
    assert kept == 50
    # and another label still counts: it is never overlapped to dodge a marker
    centres = place_labels([50, 50], [10, 10], 0, 100, gap=2, spans=[(10, 30), (20, 40)], avoid=crowded)
    assert abs(centres[0] - centres[1]) >= 12


# ---------------------------------------------------------------- the overlap check the tests above rely on

def test_overlaps_names_every_pair_of_labels_whose_boxes_overlap():
    # 0 and 1 overlap by 5 px; 2 (height 20) reaches 10 px below its centre, so 1 and 2 overlap by 2 px
    assert overlaps([0, 5, 18], [10, 10, 20]) == [(0, 1), (1, 2)]
    # not neighbours in the list: the first and the third overlap, the middle one is far away
    assert overlaps([50, 200, 58], [10, 10, 10]) == [(0, 2)]
    # overlapping by half a pixel is overlapping
    assert overlaps([0, 9.5], [10, 10]) == [(0, 1)]


def test_overlaps_finds_none_where_boxes_only_touch_or_stand_apart():
    assert overlaps([0, 10], [10, 10]) == []
    assert overlaps([0.0, 10 - 1e-6], [10, 10]) == []  # touching but for rounding
    assert overlaps([50, 60], [10, 10]) == []
    assert overlaps([0, 16], [10, 20]) == []
    assert overlaps([], []) == []


def test_the_placement_checks_fail_on_labels_left_where_they_collide():
    # what place_labels is there to prevent: without it these two labels would be drawn over each other
    wanted, heights = [50, 52], [10, 10]
    assert overlaps(wanted, heights) == [(0, 1)]
    assert overlaps(place_labels(wanted, heights, 0, 100), heights) == []


# ---------------------------------------------------------------- edges, exactly

def test_boxes_that_only_touch_do_not_meet():
    box = Box(0, 10, 0, 10)
    assert not box.meets(Box(10, 20, 0, 10)) and not Box(10, 20, 0, 10).meets(box)
    assert not box.meets(Box(0, 10, 10, 20)) and not Box(0, 10, 10, 20).meets(box)
    assert box.meets(Box(9, 20, 9, 20)) and Box(9, 20, 9, 20).meets(box)


def test_a_label_count_that_does_not_match_is_refused_in_words():
    with pytest.raises(ValueError, match=r"^one height \(and one span\) per label$"):
        place_labels([1, 2], [1], 0, 10)


def test_the_default_gap_is_two_pixels():
    assert place_labels([50, 52], [10, 10], 0, 100) == [45, 57]


def test_labels_are_pushed_inside_the_bounds_to_the_edge_and_no_further():
    assert place_labels([100], [10], 0, 100, gap=2) == [95]
    assert place_labels([0], [10], 0, 100, gap=2) == [5]
    # a label that just fits is pushed in from the top to fill the range
    assert place_labels([60], [99], 0, 100, gap=2) == [50.5]
    assert place_labels([60], [99.8], 0, 100, gap=2) == [pytest.approx(50.1)]
    # one taller than the range starts where the range does
    assert place_labels([50], [120], 0, 100, gap=2) == [60]


def test_labels_overlapping_by_less_than_a_pixel_are_still_stacked():
    assert place_labels([50, 61.5], [10, 10], 0, 100, gap=2) == [49.75, 61.75]


def test_taken_and_avoided_boxes_count_without_spans():
    assert place_labels([55], [10], 0, 100, gap=2, taken=[Box(0, 100, 40, 60)]) == [67]
    assert place_labels([50], [10], 0, 100, gap=2, avoid=[Box(0, 100, 45, 55)]) in ([38], [62])


def test_labels_in_columns_apart_are_stacked_each_in_its_own_column():
    alone = place_labels([50], [10], 0, 100)
    stacked = place_labels([50, 52], [10, 10], 0, 100)
    assert place_labels([50, 50, 52], [10] * 3, 0, 100, spans=[(0, 50), (100, 150), (100, 150)]) == alone + stacked
    # spans that only touch are apart
    assert place_labels([50, 50, 52], [10] * 3, 0, 100, spans=[(0, 50), (50, 100), (50, 100)]) == alone + stacked
    # columns are found by their left edges, whatever order the labels come in
    assert place_labels([50, 50, 52], [10] * 3, 0, 100, spans=[(100, 150), (0, 60), (40, 100)]) == alone + stacked


def test_a_label_at_the_edge_of_the_range_or_of_a_taken_box_stays_there():
    one = {"gap": 2, "spans": [(10, 30)]}
    assert place_labels([5], [10], 0, 100, **one) == [5]
    assert place_labels([95], [10], 0, 100, **one) == [95]
    assert place_labels([5 - 1e-9], [10], 0, 100, **one) == [5 - 1e-9]  # within rounding of the edge
    assert place_labels([95 + 1e-9], [10], 0, 100, **one) == [95 + 1e-9]
    taken = [Box(0, 100, 40, 60)]  # a label of 10 with a gap of 2 is clear of it at 33 and below, 67 and above
    assert place_labels([33 + 1e-9], [10], 0, 100, taken=taken, **one) == [33 + 1e-9]
    assert place_labels([67 - 1e-9], [10], 0, 100, taken=taken, **one) == [67 - 1e-9]


def test_a_label_half_a_pixel_past_an_edge_is_brought_back_to_it():
    one = {"gap": 2, "spans": [(10, 30)]}
    assert place_labels([4.5], [10], 0, 100, **one) == [5]
    assert place_labels([95.5], [10], 0, 100, **one) == [95]
    taken = [Box(0, 100, 40, 60)]
    assert place_labels([33.5], [10], 0, 100, taken=taken, **one) == [33]
    assert place_labels([66.5], [10], 0, 100, taken=taken, **one) == [67]


def test_a_box_to_avoid_beside_the_labels_span_or_touching_it_is_no_obstacle():
    one = {"gap": 2, "spans": [(10, 30)]}
    for beside in (Box(30, 60, 45, 55), Box(0, 10, 45, 55), Box(200, 300, 45, 55)):
        assert place_labels([50], [10], 0, 100, avoid=[beside], **one) == [50]
