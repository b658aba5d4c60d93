"""Each figure drawn as precisely as its source words it (its `bound` and `date_precision`, core/
precision.py): a short arrow from the marker of a bound toward where the true count lies ('below
250,000' points down), a short whisker both ways for 'about', and a bar across the month or year of a
figure known only to the month or year. A year-end figure stays a point at 31 December.
"""
from __future__ import annotations

from collections.abc import Iterable

from dashboard.chart.axes import Frame
from dashboard.chart.style import Style
from dashboard.core.precision import date_span, drawn_date
from dashboard.core.selection import Rows, position

ARROW_EM = 2.4  # an arrow's length, in marker sizes, from the marker's centre


def arrow_px(style: Style) -> float:
    return style.marker * ARROW_EM


def head(x: float, y: float, up: bool, size: float, colour: str, name: str) -> dict:
    """An arrowhead at (x, y) in paper units, `size` px long, pointing up or down."""
    s = size if up else -size
    return {"type": "path", "xref": "paper", "yref": "paper", "xsizemode": "pixel", "ysizemode": "pixel",
            "xanchor": x, "yanchor": y, "path": f"M{-size * 0.6:.2f},0L{size * 0.6:.2f},0L0,{s:.2f}Z",
            "fillcolor": colour, "line": {"color": colour, "width": 0.5}, "layer": "above", "name": name}


def bound_shapes(x_px: float, y_px: float, bound: str, frame: Frame, style: Style, colour: str,
                 name: str, length: float | None = None) -> list[dict]:
    """The mark of a bound at a marker (pixels from the plot's corner): an arrow down for 'below', up
    for 'above', a capped whisker both ways for 'about'; `length` px from the marker's centre."""
    x = x_px / frame.width
    length = length or arrow_px(style)
    width = max(style.line * 0.6, 1.2)
    line = {"type": "line", "xref": "paper", "yref": "paper", "x0": x, "x1": x, "layer": "above",
            "line": {"color": colour, "width": width}, "name": name}
    if bound in ("below", "above"):
        up = bound == "above"
        tip = y_px + length if up else y_px - length
        base = tip - (style.marker * 0.9 if up else -style.marker * 0.9)
        start = y_px + (style.marker * 0.8 if up else -style.marker * 0.8)
        return [{**line, "y0": start / frame.height, "y1": base / frame.height},
                head(x, base / frame.height, up, style.marker * 0.9, colour, f"{name}-head")]
    if bound == "about":
        reach = length * 0.55
        cap = style.marker * 0.5 / frame.width
        return [{**line, "y0": (y_px - reach) / frame.height, "y1": (y_px + reach) / frame.height},
                *({**line, "x0": x - cap, "x1": x + cap, "y0": (y_px + s) / frame.height,
                   "y1": (y_px + s) / frame.height, "name": f"{name}-cap"} for s in (-reach, reach))]
    return []


def precision_shapes(rows: Iterable[tuple[str, Rows]], frame: Frame, style: Style,
                     colours: dict[str, str]) -> list[dict]:
    """The bounds and spans of every figure drawn (a party's rows, with the party's colour)."""
    if frame.y_top is None:
        return []
    shapes: list[dict] = []
    for slug, party_rows in rows:
        colour = colours[slug]
        for row in party_rows:
            as_of, value = str(row["as_of"]), int(row["members"])
            precision, bound = str(row.get("date_precision") or "day"), str(row.get("bound") or "")
            day = drawn_date(as_of, int(row["year"]), precision)
            y_px = frame.y_px(value)
            span = date_span(as_of, precision)
            key = f"{slug}-{as_of or row['year']}"
            if span is not None:
                x0, x1 = max(position(span[0]) - 0.5 / 366, frame.lo), min(position(span[1]) + 0.5 / 366, frame.hi)
                shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": x0, "x1": x1,
                               "y0": y_px / frame.height, "y1": y_px / frame.height, "layer": "below",
                               "line": {"color": colour, "width": max(style.line * 1.1, 2)},
                               "name": f"span-{key}"})
            if bound:
                shapes += bound_shapes(frame.x_px(position(day)), y_px, bound, frame, style, colour, f"bound-{key}")
    return shapes
