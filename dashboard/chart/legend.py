"""The legend above the plot (each party's colour, symbol and line) and the room it takes; the words
of the basis key under the axis (drawn by key.py)."""
from __future__ import annotations

import math

from dashboard.chart.series import party_symbol
from dashboard.chart.style import Style, text_px
from dashboard.core.dataset import Dataset, basis_of
from dashboard.core.selection import Rows

# What the basis key under the axis says each way of drawing a marker (series.TIER_SUFFIX) means.
TIER_KEY = {"audited": "audited accounts", "reported": "party report, compilation or press",
            "claimed": "party's own claim"}
TIER_SHORT = {"audited": "audited accounts", "reported": "report, compilation, press", "claimed": "own claim"}


def legend_name(dataset: Dataset, slug: str, rows: Rows, has_line: bool) -> str:
    """The party's legend entry (a long name in its short form, as on the labels); for a party with only
    dated figures, also what they are."""
    party = dataset.parties[slug]
    name = party.name if len(party.name) <= 12 else party.label
    if has_line:
        return name
    labels = sorted({basis_of(row["basis"]).label for row in rows})
    if len(labels) == 1:
        return f"{name} (dated, {labels[0].removeprefix('party' + chr(39) + 's ')}{'' if labels[0].endswith('s') else 's'})"
    return f"{name} (dated)"


def legend_entry(dataset: Dataset, slug: str, name: str, has_line: bool, style: Style) -> dict:
    """A legend-only entry (no data) for a party: its colour, its filled symbol and the line it has."""
    colour = dataset.parties[slug].colour
    return dict(type="scatter", x=[None], y=[None], name=name, legendgroup=slug, mode="lines+markers", hoverinfo="skip",
                      line={"color": colour, "width": style.line if has_line else max(style.line * 0.6, 1.2),
                            "dash": "solid" if has_line else "dot"},
                      marker={"symbol": party_symbol(dataset, slug), "color": colour, "size": style.marker * 1.4},
                      meta={"party": slug, "kind": "legend"})


def legend_height(groups: list[list[str]], width_px: float, style: Style) -> float:
    """Pixels the horizontal legend takes, so the plot starts below it. plotly.js puts the entries in one
    row when they fit in `width_px` (the plot's width: plotly.js wraps a legend at x=0 there, though it
    is placed in the figure's), else in a grid of columns as wide as the widest entry; a row is about
    1.6 em, plus 18 px of padding and gap before the plot (measured in Chromium)."""
    if not groups:
        return 0.0
    font = style.subtitle * 0.95
    row_px = font * 1.6 * max(len(names) for names in groups)
    items = [font * 3.65 + max(text_px(n, font) for n in names) * 1.03 for names in groups]
    if sum(items) <= width_px * 0.94:  # when unsure, reckon on a second row: a gap is better than an overlap
        rows = 1
    else:
        rows = math.ceil(len(items) / max(int(width_px // max(items)), 1))
    return rows * row_px + 18


def legend_groups(traces: list[dict]) -> list[list[str]]:
    """The names shown in the legend, grouped as plotly draws them (by legendgroup, in order)."""
    groups: dict[str, list[str]] = {}
    for trace in traces:
        if trace.get("showlegend") is not False:
            groups.setdefault(trace.get("legendgroup") or trace["name"], []).append(trace["name"])
    return list(groups.values())
