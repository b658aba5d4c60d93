"""Labels placed so that no two overlap: the direct labels at the end of each series, and the
writer's notes and highlighted periods on the plot, which also clear the direct labels and the
election and leader labels already drawn.

`place_labels` is plain arithmetic on pixel positions, so it is tested on its own (tests/chart/
test_labels.py) and the figure only feeds it the wanted positions and the sizes of its labels.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    """A rectangle in pixels (y increasing upwards): a label already drawn, which others must clear."""

    left: float
    right: float
    bottom: float
    top: float

    def meets(self, other: Box) -> bool:
        return (self.left < other.right and other.left < self.right
                and self.bottom < other.top and other.bottom < self.top)


@dataclass
class _Cluster:
    members: list[int]   # indices into the inputs, in order from bottom to top
    bottom: float = 0.0


def place_labels(wanted: Sequence[float], heights: Sequence[float], low: float, high: float,
                 gap: float = 2.0, spans: Sequence[tuple[float, float]] | None = None,
                 taken: Sequence[Box] = (), avoid: Sequence[Box] = ()) -> list[float]:
    """Centres for labels of the given heights, each as near its wanted centre as it can be, none
    overlapping another (with `gap` between) and all within [low, high] when they fit there.

    Positions increase upwards (like values on the y axis). Overlapping labels are gathered into
    clusters stacked in the order of their wanted positions; each cluster sits where the mean of its
    members' wanted positions puts it (the least-squares best), pushed inside the bounds, and
    clusters that then overlap merge, until none do.

    Labels that move only up and down but stand at different places across (notes on the plot)
    give their horizontal extent in `spans`: only labels whose spans meet are stacked together,
    and each then also clears the `taken` boxes its span meets and the labels placed before it,
    taking the free place nearest the stacked one (or its wanted place, if free and no other label
    meets it there). It clears the `avoid` boxes too (the figures' markers) where that leaves a place.
    """
    if len(wanted) != len(heights) or (spans is not None and len(spans) != len(wanted)):
        raise ValueError("one height (and one span) per label")
    if spans is None and not taken and not avoid:
        return _stacked(wanted, heights, low, high, gap, range(len(wanted)))
    across = list(spans) if spans is not None else [(-math.inf, math.inf)] * len(wanted)
    centres = [0.0] * len(wanted)
    for group in _groups(across):
        for i, centre in zip(group, _stacked(wanted, heights, low, high, gap, group)):
            centres[i] = centre
    at_wanted = [Box(*across[i], wanted[i] - heights[i] / 2 - gap / 2, wanted[i] + heights[i] / 2 + gap / 2)
                 for i in range(len(wanted))]
    placed: list[Box] = []
    for i in sorted(range(len(wanted)), key=lambda i: (abs(centres[i] - wanted[i]), wanted[i], i)):
        left, right = across[i]
        # a group is stacked as one column, though not all of it shares one: a label that meets no
        # other where both are wanted keeps its wanted place if that is free
        alone = not any(at_wanted[i].meets(other) for j, other in enumerate(at_wanted) if j != i)
        hard = [box for box in [*taken, *placed] if box.left < right and left < box.right]
        soft = [box for box in avoid if box.left < right and left < box.right]
        for blocking in (hard + soft, hard):
            found = _nearest_free(wanted[i], heights[i], blocking, low, high, gap) if alone else None
            if found != wanted[i]:
                found = _nearest_free(centres[i], heights[i], blocking, low, high, gap)
            if found is not None:
                centres[i] = found
                break
        placed.append(Box(left, right, centres[i] - heights[i] / 2, centres[i] + heights[i] / 2))
    return centres


def _groups(spans: list[tuple[float, float]]) -> list[list[int]]:
    """The labels in groups whose spans meet, directly or through others (in order of the left edge)."""
    order = sorted(range(len(spans)), key=lambda i: (spans[i][0], i))
    groups: list[list[int]] = []
    reach = -math.inf
    for i in order:
        if groups and spans[i][0] < reach:
            groups[-1].append(i)
            reach = max(reach, spans[i][1])
        else:
            groups.append([i])
            reach = spans[i][1]
    return groups


def _nearest_free(centre: float, height: float, blocking: list[Box], low: float, high: float,
                  gap: float) -> float | None:
    """The centre nearest `centre` at which a label of `height` clears every blocking box by `gap`
    and stays within [low, high]; None when there is no such place."""
    half = height / 2
    bottom_limit, top_limit = low + half, high - half
    forbidden = [(box.bottom - half - gap, box.top + half + gap) for box in blocking]

    def free(y: float) -> bool:
        return bottom_limit - 1e-9 <= y <= top_limit + 1e-9 and all(not a + 1e-9 < y < b - 1e-9 for a, b in forbidden)

    if free(centre):
        return centre
    candidates = [y for a, b in forbidden for y in (a, b)] + [bottom_limit, top_limit]
    allowed = [y for y in candidates if free(y)]
    return min(allowed, key=lambda y: (abs(y - centre), y)) if allowed else None


def _stacked(wanted: Sequence[float], heights: Sequence[float], low: float, high: float, gap: float,
             members: Sequence[int]) -> list[float]:
    """The clusters described in place_labels, for the labels `members`: their centres, in that order."""
    order = sorted(members, key=lambda i: (wanted[i], i))
    size = [h + gap for h in heights]

    def span(cluster: _Cluster) -> float:
        return sum(size[i] for i in cluster.members)

    def settle(cluster: _Cluster) -> None:
        offsets, below = [], 0.0
        for i in cluster.members:
            offsets.append(below + size[i] / 2)
            below += size[i]
        bottom = sum(wanted[i] - off for i, off in zip(cluster.members, offsets)) / len(cluster.members)
        top_limit = high + gap / 2 - below
        cluster.bottom = max(min(bottom, top_limit), low - gap / 2) if top_limit >= low - gap / 2 else low - gap / 2

    clusters: list[_Cluster] = []
    for i in order:
        cluster = _Cluster([i])
        settle(cluster)
        clusters.append(cluster)
        while len(clusters) > 1 and clusters[-2].bottom + span(clusters[-2]) > clusters[-1].bottom + 1e-9:
            last = clusters.pop()
            clusters[-1].members.extend(last.members)
            settle(clusters[-1])
    centres: dict[int, float] = {}
    for cluster in clusters:
        below = cluster.bottom
        for i in cluster.members:
            centres[i] = below + size[i] / 2
            below += size[i]
    return [centres[i] for i in members]


def overlaps(centres: Sequence[float], heights: Sequence[float]) -> list[tuple[int, int]]:
    """Pairs of labels whose boxes overlap: empty for a good placement."""
    found = []
    for i in range(len(centres)):
        for j in range(i + 1, len(centres)):
            if abs(centres[i] - centres[j]) < (heights[i] + heights[j]) / 2 - 1e-6:
                found.append((i, j))
    return found
