"""The series of the members chart as plotly traces.

How the chart is honest about what a figure is:
- each party has its colour (data/parties.csv, checked for colour-vision deficiencies) and its own
  marker symbol, so series stay apart without colour;
- a marker is filled for audited accounts, a ring with a dot for reported figures (party reports,
  compilations, the press) and an open ring for a party's own claim; the legend says so;
- year-end figures are joined by solid lines; a party with no year-end series has its dated figures
  joined by a thin dotted line, never mistaken for a year-end line; a party's dated figures beside
  its year-end line are markers only, never joined to it.
"""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping

from dashboard.chart.style import HOVER_WRAP, Style, escape, wrap
from dashboard.chart.wording import value_text
from dashboard.core.dataset import Dataset, basis_of
from dashboard.core.party_style import symbol_at
from dashboard.core.precision import drawn_date
from dashboard.core.selection import Rows, date_label, position

# A line of more years than this is drawn without a marker on each year: the markers would touch,
# and drawing them is most of the browser's time for a long series (hover still finds every year).
MARKERS_UP_TO = 150

# How a marker is drawn for each tier of basis (core.dataset.Basis.tier).
TIER_SUFFIX = {"audited": "", "reported": "-open-dot", "claimed": "-open"}
TIERS = tuple(TIER_SUFFIX)


def hover_text(party_name: str, row: Mapping) -> str:
    return _hover_text(party_name, str(row["as_of"]), int(row["year"]), int(row["members"]), str(row["basis"]),
                       str(row["source"]), str(row["note"]), str(row.get("bound") or ""),
                       str(row.get("date_precision") or "day"))


@functools.lru_cache(maxsize=16384)
def _hover_text(party_name: str, as_of: str, year: int, members: int, basis: str, source: str, note: str,
                bound: str = "", precision: str = "day") -> str:
    """Remembered: every view shows figures of the same few hundred rows, and wrapping is the slow part."""
    lines = [f"<b>{escape(party_name)}</b>, {date_label(as_of, year, precision)}",
             f"{value_text(members, bound)} members",
             f"Basis: {escape(basis_of(basis).label)}"]
    lines += ["Source: " + line if i == 0 else line
              for i, line in enumerate(wrap(source, HOVER_WRAP * 7, 13.5))]
    if note:
        lines += [f"<i>{line}</i>" for line in wrap(note, HOVER_WRAP * 7, 13.5)]
    return "<br>".join(lines)


def party_symbol(dataset: Dataset, slug: str) -> str:
    """The party's own marker symbol (core.party_style: one per party, in the order of parties.csv)."""
    order = list(dataset.parties)
    return symbol_at(order.index(slug) if slug in order else 0)


def marker_symbols(symbol: str, bases: list[str]) -> list[str]:
    """The party's symbol filled, dotted or open by the basis of each figure."""
    return [symbol + TIER_SUFFIX[basis_of(b).tier] for b in bases]


def marker_style(dataset: Dataset, slug: str, bases: list[str], style: Style, scale: float = 1.4) -> dict:
    colour = dataset.parties[slug].colour
    return {"symbol": marker_symbols(party_symbol(dataset, slug), bases), "color": colour,
            "size": style.marker * scale, "line": {"width": max(style.line * 0.7, 1.4), "color": colour}}


def year_end_trace(dataset: Dataset, slug: str, rows: Rows, style: Style) -> dict:
    """One party's year-end line; a missing year is a gap in the line, never bridged."""
    party = dataset.parties[slug]
    by_year = {int(r["year"]): r for r in rows}
    years = list(range(min(by_year), max(by_year) + 1)) if by_year else []
    present = [y for y in years if y in by_year]
    trace = dict(
        type="scatter", x=[position(dt.date(y, 12, 31)) for y in years],
        y=[int(by_year[y]["members"]) if y in by_year else None for y in years],
        customdata=[f"{y}-12-31" if y in by_year else None for y in years],
        hovertext=[hover_text(party.name, by_year[y]) if y in by_year else "" for y in years],
        hovertemplate="%{hovertext}<extra></extra>",
        name=f"{party.name}, 31 December", legendgroup=slug, showlegend=False,
        mode="lines+markers" if len(years) <= MARKERS_UP_TO else "lines",
        connectgaps=False, line={"color": party.colour, "width": style.line},
        marker=marker_style(dataset, slug, [str(by_year[y]["basis"]) if y in by_year else "" for y in years], style),
    )
    trace["meta"] = {"party": slug, "kind": "year-end", "points": len(present)}
    return trace


def off_series(dates: list[dt.date], year_end_years: set[int]) -> list[bool]:
    """Which dated figures lie where the party has no year-end line: a figure of year Y is on the line
    only when both the Y - 1 and the Y year ends are drawn, joined, on either side of it."""
    return [not (d.year - 1 in year_end_years and d.year in year_end_years) for d in dates]


MAX_JOIN_DAYS = 183  # two dated figures further apart than this (six months) are not joined
JOIN_LIMIT_TEXT = "six months"


def joined_to_previous(dates: list[dt.date], year_end_years: set[int]) -> list[bool]:
    """For each dated figure (in date order), whether a dotted line joins it to the one before: both
    off the year-end line, and at most MAX_JOIN_DAYS apart (a longer line would draw a trend, and
    crossings, that no figure supports)."""
    off = off_series(dates, year_end_years)
    return [i > 0 and off[i] and off[i - 1] and (dates[i] - dates[i - 1]).days <= MAX_JOIN_DAYS
            for i in range(len(dates))]


def joins_dated_figures(year_ends: Rows, others: Rows) -> bool:
    """Whether the chart joins some of a party's dated figures with a dotted line (dated_trace)."""
    dates = sorted(dt.date.fromisoformat(row["as_of"]) for row in others)
    return any(joined_to_previous(dates, {int(row["year"]) for row in year_ends}))


def off_series_dates(year_ends: Rows, others: Rows) -> bool:
    """Whether two of a party's dated figures in a row lie off its year-end line (joined or not)."""
    dates = sorted(dt.date.fromisoformat(row["as_of"]) for row in others)
    off = off_series(dates, {int(row["year"]) for row in year_ends})
    return any(a and b for a, b in zip(off, off[1:]))


def dated_trace(dataset: Dataset, slug: str, rows: Rows, style: Style, year_end_years: set[int]) -> dict:
    """Figures reported at other dates, at their date. Where the party's year-end line runs they are
    markers only, never joined to it; where it has none (a party with no year-end series, or after
    its last year end) a thin dotted line joins those at most six months apart, so the trend can be
    followed and is never taken for a year-end line; a longer wait is a gap."""
    party = dataset.parties[slug]
    rows = sorted(rows, key=lambda row: row["as_of"])
    dates = [dt.date.fromisoformat(row["as_of"]) for row in rows]
    joins = joined_to_previous(dates, year_end_years)
    x: list[float | None] = []
    y: list[int | None] = []
    custom: list[str | None] = []
    hover: list[str] = []
    bases: list[str] = []
    for i, row in enumerate(rows):
        if x and not joins[i]:
            # a break: this figure is not joined to the one before
            x.append(None)
            y.append(None)
            custom.append(None)
            hover.append("")
            bases.append("")
        x.append(position(drawn_date(str(row["as_of"]), int(row["year"]), str(row.get("date_precision") or "day"))))
        y.append(int(row["members"]))
        custom.append(str(row["as_of"]))
        hover.append(hover_text(party.name, row))
        bases.append(str(row["basis"]))
    joined = any(joins)
    return dict(
        type="scatter", x=x, y=y, customdata=custom, hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
        name=f"{party.name}, other dates", legendgroup=slug, showlegend=False,
        mode="lines+markers" if joined else "markers", connectgaps=False,
        line={"color": party.colour, "width": max(style.line * 0.6, 1.2), "dash": "dot"},
        marker=marker_style(dataset, slug, bases, style, 1.6),
        meta={"party": slug, "kind": "dated", "joined": joined},
    )
