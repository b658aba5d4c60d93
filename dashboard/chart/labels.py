"""Direct labels at the end of each series, placed so that no two overlap.

`place_labels` is plain arithmetic on pixel positions, so it is tested on its own (tests/chart/
test_labels.py) and the figure only feeds it the wanted positions and the heights of its labels.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class _Cluster:
    members: list[int]   # indices into the inputs, in order from bottom to top
    bottom: float = 0.0


def place_labels(wanted: Sequence[float], heights: Sequence[float], low: float, high: float,
                 gap: float = 2.0) -> list[float]:
    """Centres for labels of the given heights, each as near its wanted centre as it can be, none
    overlapping another (with `gap` between) and all within [low, high] when they fit there.

    Positions increase upwards (like values on the y axis). Overlapping labels are gathered into
    clusters stacked in the order of their wanted positions; each cluster sits where the mean of its
    members' wanted positions puts it (the least-squares best), pushed inside the bounds, and
    clusters that then overlap merge, until none do.
    """
    if len(wanted) != len(heights):
        raise ValueError("one height per label")
    order = sorted(range(len(wanted)), key=lambda i: (wanted[i], i))
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
    centres = [0.0] * len(wanted)
    for cluster in clusters:
        below = cluster.bottom
        for i in cluster.members:
            centres[i] = below + size[i] / 2
            below += size[i]
    return centres


def overlaps(centres: Sequence[float], heights: Sequence[float]) -> list[tuple[int, int]]:
    """Pairs of labels whose boxes overlap: empty for a good placement."""
    found = []
    for i in range(len(centres)):
        for j in range(i + 1, len(centres)):
            if abs(centres[i] - centres[j]) < (heights[i] + heights[j]) / 2 - 1e-6:
                found.append((i, j))
    return found
