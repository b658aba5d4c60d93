"""Each series labelled at its end with its latest figure, as bounded as its source says, beside the
plot; stacked apart by chart/labels.py, with a short leader line where a label had to move."""
from __future__ import annotations

from dataclasses import dataclass, replace

from dashboard.chart.axes import Frame
from dashboard.chart.colours import text_colour
from dashboard.chart.key import marker_shapes
from dashboard.chart.labels import Box, place_labels
from dashboard.chart.latest import LatestRow
from dashboard.chart.series import marker_symbols, party_symbol
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
    basis: str = ""          # the basis in a word, kept on the first line when the label has only one
    symbol: str = ""         # the party's marker, filled, dotted or open by the latest figure's basis as on the
                             # line (the key says what each means): a press figure's label never shows a filled one
    marker_colour: str = ""


def end_labels(dataset: Dataset, latest: list[LatestRow], narrow: bool) -> list[EndLabel]:
    """The party's name with its latest figure, then its basis and date (shorter on a phone), after the
    marker that figure has on the line."""
    labels = []
    for row in latest:
        party = dataset.parties[row.slug]
        figure = row.latest
        name = party.label if narrow or len(party.name) > 12 else party.name
        value = value_text(figure.members, figure.bound, compact=narrow)
        basis = BASIS_WORD.get(figure.basis, "basis not given")
        when = when_text(figure.as_of, figure.year, figure.precision, short=True) if narrow else figure.when
        labels.append(EndLabel(row.slug, figure.members, (f"{name} {value}", f"{basis}, {when}"),
                               text_colour(party.colour), basis,
                               marker_symbols(party_symbol(dataset, row.slug), [figure.basis])[0], party.colour))
    return labels


def fit_labels(labels: list[EndLabel], plot_px: float, below_px: float, style: Style) -> tuple[list[EndLabel], float]:
    """The labels and their font size such that, stacked, they fit beside the plot (and the axis labels'
    band under it): two lines each if they fit, else one that still says the basis, else a smaller
    font (never below style.small)."""
    room = plot_px + below_px
    for lines in (2, 1):
        trimmed = [replace(lb, lines=lb.lines[:lines], basis=lb.basis if lines == 1 else "") for lb in labels]
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


@dataclass(frozen=True)
class PlacedLabel:
    """A direct label where it is drawn: its centre and its series' last value, in pixels up from the
    plot's bottom."""

    label: EndLabel
    centre: float
    value_px: float
    height: float


def place_end_labels(labels: list[EndLabel], font: float, frame: Frame, below_px: float) -> list[PlacedLabel]:
    """The labels at the right of the plot, each at its series' last value, moved apart where they
    would overlap (chart/labels.py); they may go down beside the axis labels' band."""
    heights = label_heights(labels, font)
    wanted = [frame.y_px(label.value) for label in labels]
    centres = place_labels(wanted, heights, -below_px, frame.height, gap=2)
    return [PlacedLabel(*placed) for placed in zip(labels, centres, wanted, heights)]


def label_annotations(placed: list[PlacedLabel], font: float, frame: Frame,
                      style: Style) -> tuple[list[dict], list[dict]]:
    """The placed labels drawn; a label moved away from its value gets a short leader line from the
    value at the plot's edge."""
    plot_px, plot_w = frame.height, frame.width
    annotations, leaders = [], []
    for label, centre, value_px, _ in ((p.label, p.centre, p.value_px, p.height) for p in placed):
        if abs(centre - value_px) > 2:
            leaders.append({"type": "line", "xref": "paper", "yref": "paper",
                            "x0": 1, "x1": 1 + (LEADER_PX - LEADER_GAP) / plot_w,
                            "y0": value_px / plot_px, "y1": centre / plot_px, "layer": "above",
                            "line": {"color": label.colour, "width": 1}, "name": f"leader-{label.slug}"})
        first, *rest = label.lines
        inline = f" <span style='font-size:{detail_font(font, style):.1f}px'>{escape(label.basis)}</span>" \
            if label.basis else ""
        text = f"<b>{escape(first)}</b>{inline}" + "".join(
            f"<br><span style='font-size:{detail_font(font, style):.1f}px'>{escape(line)}</span>" for line in rest)
        # in paper units: a label may sit below the plot, beside the axis labels, where one in data
        # units would not be drawn
        annotations.append({"xref": "paper", "yref": "paper", "x": 1, "y": centre / plot_px, "xanchor": "left",
                            "yanchor": "middle", "xshift": LEADER_PX + symbol_px(font), "align": "left",
                            "showarrow": False, "text": text, "font": {"size": font, "color": label.colour},
                            "name": f"label-{label.slug}"})
        if label.symbol:  # the party's marker before its name, level with the first line
            first_line = centre + (len(label.lines) - 1) * font * LABEL_LINE_EM / 2
            leaders += marker_shapes(label.symbol, 1 + (LEADER_PX + font * 0.45) / plot_w, first_line / plot_px,
                                     font * 0.8, max(style.line * 0.6, 1.2), label.marker_colour,
                                     f"symbol-{label.slug}")
    return annotations, leaders


def symbol_px(font: float) -> float:
    """The room the party's marker takes before a label's text."""
    return font * 1.5


def label_boxes(placed: list[PlacedLabel], font: float, frame: Frame, style: Style) -> list[Box]:
    """Where the direct labels are drawn, for the writer's notes to keep clear of."""
    left = frame.width + LEADER_PX
    return [Box(left, left + label_width([p.label], font, style), p.centre - p.height / 2, p.centre + p.height / 2)
            for p in placed]


def label_width(labels: list[EndLabel], font: float, style: Style) -> float:
    def line_px(label: EndLabel, i: int, line: str) -> float:
        if i > 0:
            return text_px(line, detail_font(font, style))
        inline = text_px(" " + label.basis, detail_font(font, style)) if label.basis else 0.0
        return text_px(line, font, bold=True) + inline

    widest = max((line_px(label, i, line) for label in labels for i, line in enumerate(label.lines)), default=0.0)
    return widest + style.pad * 0.6 + LEADER_PX + symbol_px(font)
