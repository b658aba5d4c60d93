"""The key under the axis: how the chart draws what a figure is, in the marks it actually draws.

Each way of drawing a marker (filled, a ring with a dot, an open ring) is shown in every party shape
drawn that way, so a reader matches the key to the triangles and squares on the chart, not to a
generic circle; then how far a dotted line joins figures at other dates. It is drawn with shapes
and annotations, not a plotly legend: a legend that wraps on a phone stacks its entries in columns
as wide as the widest, and cannot show several shapes before one text.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

from dashboard.chart.axes import Frame
from dashboard.chart.precision_marks import bound_shapes
from dashboard.chart.style import KEY_COLOUR, MUTED, Style, escape, text_px

GAP = 22  # between two entries of the key
SHAPE_GAP = 0.45  # between two shapes of one entry, in marker widths
LINE_SAMPLE = 26  # the length of a line drawn in the key


@dataclass(frozen=True)
class KeyEntry:
    """One entry: marker symbols (plotly's names, e.g. 'triangle-up-open-dot') or a line sample
    (its dash), then the words (and fewer words, for an image short of room)."""

    text: str
    symbols: tuple[str, ...] = ()
    dash: str | None = None
    short: str = ""
    marks: tuple[str, ...] = ()  # bounds ("below", "above", "about"), one per symbol, or ("span",): drawn as on the chart


def _polygon(points: list[tuple[float, float]]) -> str:
    return "M" + "L".join(f"{x:.2f},{y:.2f}" for x, y in points) + "Z"


def _regular(sides: int, radius: float, turn: float = math.pi / 2) -> list[tuple[float, float]]:
    return [(radius * math.cos(turn + 2 * math.pi * k / sides), radius * math.sin(turn + 2 * math.pi * k / sides))
            for k in range(sides)]


def _star(points: int, outer: float, inner: float) -> list[tuple[float, float]]:
    return [(radius * math.cos(math.pi / 2 + math.pi * k / points), radius * math.sin(math.pi / 2 + math.pi * k / points))
            for k in range(2 * points) for radius in ((outer if k % 2 == 0 else inner),)]


# the strokes some symbols draw inside their outline (core.party_style.SYMBOLS)
INSIDE = {"circle-cross": lambda r: f"M0,{r}V{-r}M{-r},0H{r}",
          "square-x": lambda r: f"M{-r},{-r}L{r},{r}M{-r},{r}L{r},{-r}"}


def shape_path(symbol: str, r: float) -> str | None:
    """An SVG path (pixels, y up) for a plotly marker symbol of radius r; None for a circle."""
    rt = r * 2 / math.sqrt(3)
    paths = {
        "square": _polygon([(-r, -r), (r, -r), (r, r), (-r, r)]),
        "diamond": _polygon([(0, r * 1.3), (r * 1.3, 0), (0, -r * 1.3), (-r * 1.3, 0)]),
        "triangle-up": _polygon([(-rt, -r / 2), (rt, -r / 2), (0, r)]),
        "triangle-down": _polygon([(-rt, r / 2), (rt, r / 2), (0, -r)]),
        "pentagon": _polygon(_regular(5, r * 1.05)),
        "hexagon": _polygon(_regular(6, r * 1.05)),
        "star": _polygon([p for k in range(5) for p in (
            (r * 1.3 * math.cos(math.pi / 2 + 2 * math.pi * k / 5), r * 1.3 * math.sin(math.pi / 2 + 2 * math.pi * k / 5)),
            (r * 0.55 * math.cos(math.pi / 2 + 2 * math.pi * (k + 0.5) / 5),
             r * 0.55 * math.sin(math.pi / 2 + 2 * math.pi * (k + 0.5) / 5)))]),
        "cross": _polygon([(-r * 0.4, r), (r * 0.4, r), (r * 0.4, r * 0.4), (r, r * 0.4), (r, -r * 0.4),
                           (r * 0.4, -r * 0.4), (r * 0.4, -r), (-r * 0.4, -r), (-r * 0.4, -r * 0.4), (-r, -r * 0.4),
                           (-r, r * 0.4), (-r * 0.4, r * 0.4)]),
        "hourglass": f"M{r},{r}H{-r}L{r},{-r}H{-r}Z",
        "bowtie": f"M{r},{r}V{-r}L{-r},{r}V{-r}Z",
        "triangle-left": _polygon([(r / 2, -rt), (r / 2, rt), (-r, 0)]),
        "triangle-right": _polygon([(-r / 2, -rt), (-r / 2, rt), (r, 0)]),
        "star-triangle-up": _polygon(_star(3, r * 1.3, r * 0.45)),
        "hexagram": _polygon(_star(6, r * 1.15, r * 0.66)),
        "star-square": _polygon([(r, r), (0, r * 0.45), (-r, r), (-r * 0.45, 0), (-r, -r), (0, -r * 0.45), (r, -r),
                                 (r * 0.45, 0)]),
        "diamond-wide": _polygon([(0, r * 0.9), (r * 1.4, 0), (0, -r * 0.9), (-r * 1.4, 0)]),
        "square-x": _polygon([(-r, -r), (r, -r), (r, r), (-r, r)]),
    }
    if symbol == "x":
        cross = shape_path("cross", r)
        assert cross is not None
        turned = [(x * math.cos(math.pi / 4) - y * math.sin(math.pi / 4), x * math.sin(math.pi / 4) + y * math.cos(math.pi / 4))
                  for x, y in (tuple(map(float, p.split(","))) for p in cross[1:-1].split("L"))]
        return _polygon(turned)
    return paths.get(symbol)


def marker_shapes(symbol: str, x: float, y: float, size: float, line_width: float, colour: str = KEY_COLOUR,
                  name: str = "") -> list[dict]:
    """A plotly marker symbol drawn as shapes at (x, y) in paper units, `size` px across: filled, open
    ('-open') or open with a dot ('-open-dot'), as the chart draws it."""
    base = symbol.removesuffix("-open-dot").removesuffix("-open")
    filled = base == symbol
    r = size / 2
    common = {"name": name or f"key-{symbol}", "xref": "paper", "yref": "paper", "xsizemode": "pixel",
              "ysizemode": "pixel", "xanchor": x, "yanchor": y,
              "line": {"color": colour, "width": line_width}, "layer": "above",
              "fillcolor": colour if filled else "rgba(0,0,0,0)"}
    path = shape_path(base, r)
    outline = ({**common, "type": "circle", "x0": -r, "x1": r, "y0": -r, "y1": r} if path is None
               else {**common, "type": "path", "path": path})
    shapes = [outline]
    if base in INSIDE:
        shapes.append({**common, "type": "path", "path": INSIDE[base](r), "fillcolor": "rgba(0,0,0,0)",
                       "line": {"color": colour if not filled else "white", "width": line_width * 0.8}})
    if not symbol.endswith("-open-dot"):
        return shapes
    dot = max(r * 0.32, 1.3)
    return [*shapes, {**common, "type": "circle", "x0": -dot, "x1": dot, "y0": -dot, "y1": dot,
                      "fillcolor": colour, "line": {"width": 0}}]


def entry_width(entry: KeyEntry, size: float, font: float) -> float:
    marks = LINE_SAMPLE if entry.dash or entry.marks == ("span",) else len(entry.symbols) * size * (1 + SHAPE_GAP)
    return marks + 4 + text_px(entry.text, font)


def key_font(style: Style) -> float:
    return style.small  # the smallest text of the chart, still legible where it is shown (10 px in a blog column)


def key_size(style: Style) -> float:
    return style.marker * 1.5


def row_px(style: Style) -> float:
    return max(key_size(style), key_font(style)) * 1.45


def key_rows(entries: list[KeyEntry], width_px: float, style: Style, fewer_words: bool = False) -> list[list[KeyEntry]]:
    """The entries in rows that fit `width_px`, in order (an entry wider than the row has one to itself);
    with `fewer_words`, each in its short words where that saves a row."""
    if fewer_words:
        short = key_rows([replace(e, text=e.short or e.text) for e in entries], width_px, style)
        if len(short) < len(key_rows(entries, width_px, style)):
            return short
    rows: list[list[KeyEntry]] = []
    used = 0.0
    for entry in entries:
        width = entry_width(entry, key_size(style), key_font(style))
        if rows and used + GAP + width <= width_px:
            rows[-1].append(entry)
            used += GAP + width
        else:
            rows.append([entry])
            used = width
    return rows


def key_height(rows: list[list[KeyEntry]], style: Style) -> float:
    """Pixels the key takes under the axis (and a little room before what follows)."""
    return len(rows) * row_px(style) + 8 if rows else 0.0


def key_marks(rows: list[list[KeyEntry]], left_px: float, below_px: float, plot_w: float, plot_h: float,
              style: Style) -> tuple[list[dict], list[dict]]:
    """The key drawn from `left_px` (from the plot's left edge; negative: in the margin), its first row
    `below_px` under the plot, as shapes and annotations."""
    shapes: list[dict] = []
    annotations: list[dict] = []
    size, font = key_size(style), key_font(style)
    line_width = max(style.line * 0.7, 1.4)
    for r, row in enumerate(rows):
        y = -(below_px + (r + 0.5) * row_px(style)) / plot_h
        x = left_px
        for entry in row:
            if entry.dash:
                shapes.append({"type": "line", "name": f"key-line-{entry.dash}", "xref": "paper", "yref": "paper",
                               "x0": x / plot_w,
                               "x1": (x + LINE_SAMPLE) / plot_w, "y0": y, "y1": y, "layer": "above",
                               "line": {"color": KEY_COLOUR, "width": max(style.line * 0.6, 1.2), "dash": entry.dash}})
                x += LINE_SAMPLE
            if entry.marks == ("span",):  # a bar across a month, a marker on it
                shapes.append({"type": "line", "name": "key-span", "xref": "paper", "yref": "paper",
                               "x0": x / plot_w, "x1": (x + LINE_SAMPLE) / plot_w, "y0": y, "y1": y, "layer": "above",
                               "line": {"color": KEY_COLOUR, "width": max(style.line * 1.1, 2)}})
                shapes += marker_shapes("circle-open", (x + LINE_SAMPLE / 2) / plot_w, y, size, line_width,
                                        name="key-span-marker")
                x += LINE_SAMPLE
            bounds = entry.marks if entry.marks != ("span",) else ()
            for i, symbol in enumerate(entry.symbols):
                mark = bounds[i] if i < len(bounds) else ""
                shapes += marker_shapes(symbol, (x + size / 2) / plot_w, y, size, line_width,
                                        name=f"key-{mark}-marker" if mark else "")
                if mark:
                    frame = Frame(0, 1, plot_w, plot_h, None)
                    shapes += bound_shapes(x + size / 2, y * plot_h, mark, frame, style, KEY_COLOUR, f"key-{mark}",
                                           row_px(style) * 0.48)
                x += size * (1 + SHAPE_GAP)
            annotations.append({"xref": "paper", "yref": "paper", "x": (x + 4) / plot_w, "y": y, "xanchor": "left",
                                "yanchor": "middle", "showarrow": False, "text": escape(entry.text),
                                "font": {"size": font, "color": MUTED}, "name": "key"})
            x += 4 + text_px(entry.text, font) + GAP
    return shapes, annotations
