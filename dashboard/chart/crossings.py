"""No crossing of two parties' lines that no figure supports.

A line between two figures is a guess at what happened between them. Where two parties' lines cross,
the chart says one overtook the other there; that is shown only when figures of both parties, close
in time, stand in one order before the crossing and in the other after it, as their words rank them
(wording.order: "below 250,000" is under 268,631, but not known to be over 240,000). Else the guess
is taken out: the longer of the two segments (a dotted one before a solid year-end one) becomes a
gap, and the figures stay.
"""
from __future__ import annotations

from dataclasses import dataclass

from dashboard.chart.wording import Bounds, order

NEAR_YEARS = 0.5  # two figures of different parties this close in time can be set side by side


@dataclass(frozen=True)
class Point:
    """A figure drawn: where on the x axis (years), and what it says about the true count."""

    x: float
    bounds: Bounds


@dataclass(frozen=True)
class Segment:
    """The stretch of a trace's line between its points `i` and `i + 1`."""

    trace: int
    i: int
    x0: float
    y0: float
    x1: float
    y1: float
    dotted: bool


def segments(traces: list[dict]) -> list[Segment]:
    """The joined stretches of the traces drawn with lines (a None between points is a gap)."""
    found = []
    for t, trace in enumerate(traces):
        if "lines" not in trace.get("mode", "") or trace.get("type", "scatter") != "scatter":
            continue
        xs, ys = trace["x"], trace["y"]
        dotted = trace.get("line", {}).get("dash") == "dot"
        for i in range(len(xs) - 1):
            if None not in (xs[i], ys[i], xs[i + 1], ys[i + 1]):
                found.append(Segment(t, i, xs[i], ys[i], xs[i + 1], ys[i + 1], dotted))
    return found


def crossing(a: Segment, b: Segment) -> float | None:
    """Where on the x axis the two segments cross (strictly inside both), or None."""
    lo, hi = max(a.x0, b.x0), min(a.x1, b.x1)
    if hi <= lo:
        return None

    def at(s: Segment, x: float) -> float:
        return s.y0 + (s.y1 - s.y0) * (x - s.x0) / (s.x1 - s.x0) if s.x1 != s.x0 else s.y0

    d0, d1 = at(a, lo) - at(b, lo), at(a, hi) - at(b, hi)
    if d0 == 0 or d1 == 0 or (d0 > 0) == (d1 > 0):
        return None
    return lo + (hi - lo) * d0 / (d0 - d1)


def _sides(points_a: list[Point], points_b: list[Point], before: bool, x: float) -> set[int]:
    """The orders (+1: a above b, -1: below) that figures of both, close in time, show on one side of x."""
    side_a = [p for p in points_a if (p.x < x) == before]
    side_b = [p for p in points_b if (p.x < x) == before]
    return {o for pa in side_a for pb in side_b if abs(pa.x - pb.x) <= NEAR_YEARS
            for o in (order(pa.bounds, pb.bounds),) if o}


def supported(points_a: list[Point], points_b: list[Point], x: float) -> bool:
    """Whether figures show the two parties in one order before x and in the other after it."""
    before, after = _sides(points_a, points_b, True, x), _sides(points_a, points_b, False, x)
    return any(-o in after for o in before)


def unsupported_crossings(traces: list[dict], party_points: dict[str, list[Point]]) -> list[Segment]:
    """The segments to leave out so that no two parties' lines cross without figures to show it."""
    cut: list[Segment] = []
    lines = segments(traces)
    for n, a in enumerate(lines):
        for b in lines[n + 1:]:
            pa, pb = traces[a.trace]["meta"]["party"], traces[b.trace]["meta"]["party"]
            if pa == pb or a in cut or b in cut:
                continue
            x = crossing(a, b)
            if x is None or supported(party_points.get(pa, []), party_points.get(pb, []), x):
                continue
            # a dotted guess goes before a year-end line, a long one before a short one
            cut.append(max((a, b), key=lambda s: (s.dotted, s.x1 - s.x0)))
    return cut


def break_lines(traces: list[dict], cut: list[Segment]) -> None:
    """A gap in each trace where a segment is cut: a point with no value between its two ends, in
    every per-point list of the trace (plotly.js draws no line across it)."""
    for segment in sorted(cut, key=lambda s: (s.trace, -s.i)):
        trace = traces[segment.trace]
        at = segment.i + 1
        for key in ("x", "y", "customdata"):
            if isinstance(trace.get(key), list):
                trace[key].insert(at, None)
        if isinstance(trace.get("hovertext"), list):
            trace["hovertext"].insert(at, "")
        symbols = trace.get("marker", {}).get("symbol")
        if isinstance(symbols, list):
            symbols.insert(at, symbols[segment.i])
        trace["meta"] = {**trace["meta"], "cut": trace["meta"].get("cut", 0) + 1}
