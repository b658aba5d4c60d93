"""Each series labelled at its end with its latest figure, as bounded as its source says, beside the
plot; stacked apart by chart/labels.py, with a short leader line where a label had to move."""
from __future__ import annotations

import math
from dataclasses import dataclass

from dashboard.chart.colours import text_colour
from dashboard.chart.labels import place_labels
from dashboard.chart.latest import LatestRow
from dashboard.chart.style import Style, escape, text_px
from dashboard.chart.wording import BASIS_WORD, value_text, when_text
from dashboard.core.dataset import Dataset


@dataclass(frozen=True)
class EndLabel:
    """A series' direct label: where its last point is and the lines of text beside it."""

    slug: str
    value: int
    lines: tuple[str, ...]   # plain text, escaped when drawn
    colour: str


def end_labels(dataset: Dataset, latest: list[LatestRow], narrow: bool) -> list[EndLabel]:
    """The party's name with its latest figure, then its basis and date (shorter on a phone)."""
    labels = []
    for row in latest:
        party = dataset.parties[row.slug]
        figure = row.latest
        name = party.label if narrow or len(party.name) > 12 else party.name
        value = value_text(figure.members, figure.note, compact=narrow)
        detail = (when_text(figure.as_of, figure.year, figure.note, short=True) if narrow
                  else f"{BASIS_WORD.get(figure.basis, 'basis not given')}, {figure.when}")
        labels.append(EndLabel(row.slug, figure.members, (f"{name} {value}", detail), text_colour(party.colour)))
    return labels


def fit_labels(labels: list[EndLabel], plot_px: float, below_px: float, style: Style) -> tuple[list[EndLabel], float]:
    """The labels and their font size such that, stacked, they fit beside the plot (and the axis labels'
    band under it): two lines each if they fit, else one, else a smaller font (never below style.small)."""
    room = plot_px + below_px
    for lines in (2, 1):
        trimmed = [EndLabel(lb.slug, lb.value, lb.lines[:lines], lb.colour) for lb in labels]
        if sum(label_heights(trimmed, style.label)) <= room:
            return trimmed, style.label
    font = style.label
    while font > style.small and sum(label_heights(trimmed, font)) > room:
        font = max(font * 0.92, style.small)
    return trimmed, font


LABEL_LINE_EM = 1.4  # plotly.js spaces the lines of an annotation about this far apart


def label_heights(labels: list[EndLabel], font: float) -> list[float]:
    return [font * LABEL_LINE_EM * len(label.lines) for label in labels]


def detail_font(font: float, style: Style) -> float:
    """The second line of a label, a little smaller, never below the chart's smallest text."""
    return max(font * 0.9, style.small)


LEADER_PX = 13  # the short line from a series' last value at the plot's edge to its label
LEADER_GAP = 5  # between the leader's end and the label's first letter, so the line never reads as part of it


def label_annotations(labels: list[EndLabel], font: float, y_top: float, plot_px: float, below_px: float,
                      plot_w: float, style: Style, y_bottom: float | None = None) -> tuple[list[dict], list[dict]]:
    """The labels at the right of the plot, each at its series' last value, moved apart where they
    would overlap (chart/labels.py); they may go down beside the axis labels' band. A label moved
    away from its value gets a short leader line from the value at the plot's edge."""
    if not labels:
        return [], []
    heights = label_heights(labels, font)
    if y_bottom is None:
        wanted = [label.value / y_top * plot_px for label in labels]
    else:  # a log axis from y_bottom to y_top
        span = math.log10(y_top) - math.log10(y_bottom)
        wanted = [(math.log10(max(label.value, y_bottom)) - math.log10(y_bottom)) / span * plot_px for label in labels]
    centres = place_labels(wanted, heights, -below_px, plot_px, gap=2)
    annotations, leaders = [], []
    for label, centre, value_px in zip(labels, centres, wanted):
        if abs(centre - value_px) > 2:
            leaders.append({"type": "line", "xref": "paper", "yref": "paper",
                            "x0": 1, "x1": 1 + (LEADER_PX - LEADER_GAP) / plot_w,
                            "y0": value_px / plot_px, "y1": centre / plot_px, "layer": "above",
                            "line": {"color": label.colour, "width": 1}, "name": f"leader-{label.slug}"})
        first, *rest = label.lines
        text = f"<b>{escape(first)}</b>" + "".join(
            f"<br><span style='font-size:{detail_font(font, style):.1f}px'>{escape(line)}</span>" for line in rest)
        # in paper units: a label may sit below the plot, beside the axis labels, where one in data
        # units would not be drawn
        annotations.append({"xref": "paper", "yref": "paper", "x": 1, "y": centre / plot_px, "xanchor": "left",
                            "yanchor": "middle", "xshift": LEADER_PX, "align": "left", "showarrow": False, "text": text,
                            "font": {"size": font, "color": label.colour}, "name": f"label-{label.slug}"})
    return annotations, leaders


def label_width(labels: list[EndLabel], font: float, style: Style) -> float:
    widest = max((text_px(line, font if i == 0 else detail_font(font, style), bold=i == 0)
                  for label in labels for i, line in enumerate(label.lines)), default=0.0)
    return widest + style.pad * 0.6 + LEADER_PX
