"""The axes: the year axis (each year's label in the middle of its span, ticks at 1 January between
years) and the value axis of each measure (members from zero or on a log scale, a change around a
strong zero line, an index from zero with its line at 100), and the unit written above it."""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from dashboard.chart.measure_labels import axis_label
from dashboard.chart.style import GRID, INK, MUTED, Style, escape, text_px
from dashboard.core.measures import CHANGE, CHANGE_PERCENT, INDEX, Measured
from dashboard.core.view import View


@dataclass(frozen=True)
class Frame:
    """The plot's place in pixels (x from its left edge, y up from its bottom) and what its axes span:
    where a date or a value is drawn, for what is placed by hand (labels, the writer's notes)."""

    lo: float               # the x axis's range, in years (core.selection.position)
    hi: float
    width: float
    height: float
    y_top: float | None     # the value at the top; None where plotly sets the range (a change's bars)
    y_bottom: float | None = None  # the bottom of a log axis

    def x_px(self, x: float) -> float:
        return (x - self.lo) / (self.hi - self.lo) * self.width

    def y_px(self, value: float) -> float:
        assert self.y_top is not None, "values are placed only on an axis of known range"
        if self.y_bottom is None:
            return value / self.y_top * self.height
        span = math.log10(self.y_top) - math.log10(self.y_bottom)
        return (math.log10(max(value, self.y_bottom)) - math.log10(self.y_bottom)) / span * self.height


def tick_step(span: int, width: int, label_px: float = 38) -> int:
    """Label every 1, 2, 5 or 10 years so labels never crowd (each label takes about 1.6 of its width)."""
    room = max(int(width // (label_px * 1.6)), 3)
    return next(step for step in (1, 2, 5, 10, 20, 50) if span / step <= room)


def year_labels(start: int, end: int, step: int, px_per_year: float, label_px: float) -> list[int]:
    """The years labelled: round ones every `step`, and always the first and last years chosen (a
    2015–2025 chart shows 2015 and 2025), dropping a round year that would crowd an end."""
    gap = label_px / max(px_per_year, 1e-9)
    middle = [y for y in range(start, end + 1) if y % step == 0 and gap <= y - start and gap <= end - y]
    return sorted({start, *middle, end})


def year_axis(start: int, end: int, plot_px: float, style: Style) -> dict:
    """Each year's label in the middle of its span, with ticks at 1 January between the years: a
    reader places each point in its year, and a 2015–2025 chart shows 2015 to 2025."""
    label_px = text_px("2025", style.tick) + 8
    step = tick_step(end - start + 1, int(plot_px), label_px)
    labelled = year_labels(start, end, step, plot_px / (end - start + 1), label_px)
    boundaries = list(range(start, end + 2)) if plot_px / (end - start + 1) >= 5 else \
        [y for y in range(start, end + 2) if y % step == 0]
    return {"tickmode": "array", "tickvals": [y + 0.5 for y in labelled], "ticktext": [str(y) for y in labelled],
            "ticks": "", "showgrid": False, "zeroline": False, "linecolor": "#9aa0a6", "fixedrange": True,
            "tickfont": {"size": style.tick},
            "minor": {"tickvals": boundaries, "ticks": "outside", "ticklen": 5, "tickcolor": "#9aa0a6",
                      "showgrid": False}}


def nice_top(value: float) -> float:
    """A round number a little above `value`, for the top of the y axis."""
    if value <= 0:
        return 1.0
    target = value * 1.06
    magnitude = 10 ** math.floor(math.log10(target))
    return next(m * magnitude for m in (1, 1.2, 1.4, 1.6, 1.8, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10)
                if m * magnitude >= target)


def nice_bottom(value: float) -> float:
    """A round number a little below `value`, for the bottom of a log axis (1, 2 or 5 times a power of 10)."""
    target = max(value, 1) / 1.1
    magnitude = 10 ** math.floor(math.log10(target))
    return next(m * magnitude for m in (5, 2, 1) if m * magnitude <= target)


def y_axis(view: View, shown: pd.DataFrame, measured: list[Measured], narrow: bool,
           style: Style) -> tuple[dict, float, float | None]:
    """The y axis for the measure, and its top and (for a log axis) its bottom, which the direct
    labels are placed by: members from zero or on a log scale, a change around a strong zero line,
    an index from zero."""
    axis: dict = {"gridcolor": GRID, "zeroline": True, "zerolinecolor": "#9aa0a6", "fixedrange": True, "ticks": "",
                  "automargin": False, "tickfont": {"size": style.tick}, "exponentformat": "none"}
    values = [v for m in measured for v in m.values.values()]
    if view.measure in (CHANGE, CHANGE_PERCENT):
        axis.update(zerolinecolor=INK, zerolinewidth=1.5,
                    tickformat=("~s" if narrow else ",") if view.measure == CHANGE else ".0f",
                    ticksuffix="%" if view.measure == CHANGE_PERCENT else "")
        return axis, 1.0, None
    if view.measure == INDEX:
        top = nice_top(max([100.0, *values]))
        axis.update(range=[0, top], tickformat=",.0f")
        return axis, top, None
    counts = [int(v) for v in shown["members"]]
    top = nice_top(max([0, *counts]))
    if view.log_scale and counts:
        bottom = nice_bottom(min(c for c in counts if c > 0) if any(counts) else 1)
        axis.update(type="log", range=[math.log10(bottom), math.log10(top)], tickformat="~s" if narrow else ",",
                    dtick="D2")
        return axis, top, bottom
    axis.update(range=[0, top], tickformat="," if not narrow else "~s")
    return axis, top, None


def axis_label_annotation(view: View, left: float, style: Style) -> dict:
    """The y axis's unit above its top tick, where the eye starts reading the axis (in the row that
    names elections and leaders, before them)."""
    return {"xref": "paper", "yref": "paper", "x": 0, "y": 1, "xanchor": "left", "yanchor": "bottom",
            "xshift": -left + style.pad, "yshift": 2, "showarrow": False, "text": escape(axis_label(view)),
            "font": {"size": style.small, "color": MUTED}}


def reference_shapes(view: View) -> list[dict]:
    """The line a measure is read against: 100 for an index (zero is the axis's own zero line)."""
    if view.measure != INDEX:
        return []
    return [{"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": 100, "y1": 100,
             "line": {"color": "#5b616b", "width": 1.2, "dash": "dash"}, "layer": "below"}]
