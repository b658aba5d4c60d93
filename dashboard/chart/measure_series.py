"""The measures other than members as plotly traces: a change as bars (falls hatched, below the zero
line), an index as lines with gaps; each value's hover says what it is made of and where from."""
from __future__ import annotations

import datetime as dt

from dashboard.chart.measure_labels import measure_value_text, signed
from dashboard.chart.series import marker_style
from dashboard.chart.style import HOVER_WRAP, Style, escape, wrap
from dashboard.core.dataset import Dataset, basis_of
from dashboard.core.measures import CHANGE, CHANGE_PERCENT, INDEX, Measured
from dashboard.core.memo import remembered
from dashboard.core.selection import position, records
from dashboard.core.view import View


def figure_row(dataset: Dataset, slug: str, year: int) -> dict | None:
    """The year-end figure of a party for a year (the row with its source and note), if there is one.
    Looked up in a table made once per dataset: a change's hover text asks twice for every year."""
    rows = remembered("year_end_rows", dataset, None,
                      lambda: {(r["party"], int(r["year"])): r for r in records(dataset.year_ends())})
    return rows.get((slug, year))


def measure_hover(dataset: Dataset, measured: Measured, year: int) -> str:
    """What a value is made of: the measure, the two year-end figures and the source of each."""
    name = dataset.party_name(measured.party)
    value = measured.values[year]
    against = measured.against[year]
    now, then = figure_row(dataset, measured.party, year), figure_row(dataset, measured.party, against)
    assert now is not None and then is not None, "a measure is made of year-end figures only"
    if measured.measure == INDEX:
        lines = [f"<b>{escape(name)}</b>, 31 Dec {year}",
                 f"Index {measure_value_text(INDEX, value)} ({against} = 100)",
                 f"{int(now['members']):,} members; {int(then['members']):,} at 31 Dec {against}"]
    else:
        change = int(now["members"]) - int(then["members"])
        percent = change / int(then["members"]) * 100 if int(then["members"]) else None
        main, other = ((signed(change) + " members", None if percent is None else signed(percent, 1) + "%")
                       if measured.measure == CHANGE else (signed(percent or 0, 1) + "%", signed(change) + " members"))
        lines = [f"<b>{escape(name)}</b>, 31 Dec {against} to 31 Dec {year}",
                 f"{'Fall' if change < 0 else 'Rise' if change > 0 else 'No change'}: {main}"
                 + (f" ({other})" if other else ""),
                 f"{int(then['members']):,} → {int(now['members']):,} members"]
    if year in measured.approximate:  # made of an 'about' figure: said so, never passed off as exact
        lines.append("Approximate: " + " and ".join(
            f"the {row['year']} figure is about {int(row['members']):,}"
            for row in ((now, then) if against != year else (now,)) if row.get("bound") == "about"))
    bases = [basis_of(str(row["basis"])).label for row in ((now, then) if against != year else (now,))]
    if len(set(bases)) > 1:
        lines.append(f"Bases differ: {escape(bases[1])} ({against}), {escape(bases[0])} ({year})")
    else:
        lines.append(f"Basis: {escape(bases[0])}")
    sources = [(year, now)] if against == year or now["source"] == then["source"] else [(year, now), (against, then)]
    for source_year, row in sources:
        label = "Source: " if len(sources) == 1 else f"Source ({source_year}): "
        lines += [label + line if i == 0 else line for i, line in enumerate(wrap(row["source"], HOVER_WRAP * 7, 13.5))]
    for row in (now, then) if against != year else (now,):
        if row["note"]:
            lines += [f"<i>{line}</i>" for line in wrap(f"{row['year']}: {row['note']}", HOVER_WRAP * 7, 13.5)]
    return "<br>".join(lines)


def measure_traces(dataset: Dataset, view: View, measured: list[Measured], style: Style) -> list[dict]:
    """A change as bars (falls hatched, below the zero line); an index as lines with gaps."""
    traces: list[dict] = []
    for m in measured:
        if not m.values:
            continue
        party = dataset.parties[m.party]
        years = list(range(min(m.values), max(m.values) + 1))
        y = [m.values.get(year) for year in years]
        hover = [measure_hover(dataset, m, year) if year in m.values else "" for year in years]
        if view.measure in (CHANGE, CHANGE_PERCENT):
            # a change belongs to the whole year it happened in: the bar fills the year's span
            traces += change_bars(party.name, m.party, party.colour, [year + 0.5 for year in years], y, hover,
                                  [f"{year}-12-31" if year in m.values else None for year in years])
        else:
            bases = [str(row["basis"]) if (row := figure_row(dataset, m.party, year)) is not None else "" for year in years]
            traces.append(dict(
                type="scatter", x=[position(dt.date(year, 12, 31)) for year in years], y=y, hovertext=hover,
                customdata=[f"{year}-12-31" if year in m.values else None for year in years],
                hovertemplate="%{hovertext}<extra></extra>",
                name=party.name, legendgroup=m.party, mode="lines+markers", connectgaps=False,
                line={"color": party.colour, "width": style.line}, marker=marker_style(dataset, m.party, bases, style),
                meta={"party": m.party, "kind": "index"},
            ))
    return traces


def change_bars(name: str, slug: str, colour: str, years: list[float], values: list[float | None],
                hover: list[str], dates: list[str | None]) -> list[dict]:
    """One party's changes as bars: rises solid, falls hatched (so a fall reads as one without
    colour), both in the party's slot of each year (one offset group) and one legend entry."""
    bars: list[dict] = []
    for falls in (False, True):
        keep = [v is not None and (v < 0) == falls for v in values]
        if not any(keep):
            continue
        pattern = {"shape": "/", "fgcolor": "white", "size": 6, "solidity": 0.45} if falls else {"shape": ""}
        bars.append(dict(
            type="bar", x=[x for x, k in zip(years, keep) if k], y=[v for v, k in zip(values, keep) if k],
            hovertext=[h for h, k in zip(hover, keep) if k], hovertemplate="%{hovertext}<extra></extra>",
            customdata=[d for d, k in zip(dates, keep) if k],
            name=name, legendgroup=slug, offsetgroup=slug, showlegend=not bars,
            marker={"color": colour, "line": {"color": colour, "width": 1}, "pattern": pattern},
            meta={"party": slug, "kind": "falls" if falls else "rises"},
        ))
    return bars
