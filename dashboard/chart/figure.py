"""(dataset, view) -> plotly Figure. The house chart style lives here and only here.

Everything a reader needs to publish the chart is inside the figure (title, subtitle, legend,
source line, note), laid out in pixels for the width it will be shown at, so a screenshot or an
export carries it whole.
"""
from __future__ import annotations

import datetime as dt
import html
import textwrap
from collections import Counter
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.chart.measure_labels import axis_label, measure_subtitle, measure_title, signed, value_text
from dashboard.core.dataset import Dataset
from dashboard.core.measures import CHANGE, CHANGE_PERCENT, INDEX, MEMBERS, Measured
from dashboard.core.selection import date_label, position, shown_counts, shown_events, shown_measures
from dashboard.core.view import View

FONT = "Liberation Sans, Arial, Helvetica, DejaVu Sans, sans-serif"
INK = "#1f2328"
MUTED = "#5b616b"
GRID = "#e3e5e8"
BAND = "rgba(40, 50, 70, 0.055)"
HOVER_WRAP = 60


@dataclass(frozen=True)
class Style:
    """Sizes in pixels, chosen by the width the chart is drawn at."""

    pad: int
    title: float
    subtitle: float
    small: float
    tick: float
    marker: float
    line: float

    @classmethod
    def for_width(cls, width: int) -> Style:
        if width < 600:
            return cls(pad=10, title=17, subtitle=12.5, small=10.5, tick=11, marker=5, line=2)
        scale = min(max(width / 1200, 0.85), 1.6)
        return cls(pad=round(18 * scale), title=22 * scale, subtitle=14 * scale, small=11.5 * scale,
                   tick=12.5 * scale, marker=6 * scale, line=2.6 * scale)


def escape(text: str) -> str:
    """Data and user text as plain text for plotly's HTML-like labels: never markup."""
    return html.escape(str(text), quote=False)


def wrap(text: str, width_px: float, font_px: float) -> list[str]:
    """Lines of escaped text that fit `width_px` at `font_px` (an average glyph is about 0.52 em)."""
    chars = max(int(width_px / (font_px * 0.52)), 12)
    return [escape(line) for line in textwrap.wrap(text, chars, break_on_hyphens=False)] or [""]


def default_title(dataset: Dataset, view: View) -> str:
    """The chart's title when the reader gives none; it names the measure."""
    return measure_title([dataset.party_name(p) for p in view.parties], view)


def default_subtitle(view: View, has_other_dates: bool) -> str:
    return measure_subtitle(view, has_other_dates)


SOURCE_DETAIL = "Each figure's source is in its hover text and the table."
STATIC_SOURCE_DETAIL = "Each figure's source is listed in the data file published with this chart."
FOOTER_SHARE = 0.24  # at most this much of the height for source and credit, before summarising


def source_line(shown: pd.DataFrame, detail: str = SOURCE_DETAIL, brevity: int = 0) -> str:
    """A short, honest summary of where the shown figures come from.

    `detail` says where each figure's own source is (hover text on the page; the data file for an
    image); `brevity` 1 and 2 give shorter summaries for small images, never a cut-off sentence.
    """
    counts = Counter(shown["source"])
    n = len(counts)
    if n == 0:
        return "Source: no figures in this range."
    if n == 1 or (n == 2 and brevity == 0):
        return "Source: " + "; ".join(counts) + "."
    top = [name for name, _ in counts.most_common(2)]
    if brevity == 0:
        return f"Sources: {n} published sources, mainly {top[0]} and {top[1]}. " + detail
    if brevity == 1:
        return f"Sources: {n} published sources, mainly {top[0]}. " + detail
    return f"Sources: {n} published sources. " + detail


def footer_lines(shown: pd.DataFrame, view: View, text_px: float, style: Style, height: int,
                 credit: str = "", static: bool = False, not_drawn: list[str] | None = None) -> list[str]:
    """What was not drawn, note, source line and credit, wrapped to the width; the source line is
    summarised more briefly until the footer fits its share of the height (the note and credit
    are the user's words and what was not drawn is the chart's honesty: never shortened)."""
    detail = STATIC_SOURCE_DETAIL if static else SOURCE_DETAIL
    note = [line for text in (not_drawn or []) for line in wrap(text, text_px, style.small)]
    note += wrap("Note: " + view.note, text_px, style.small) if view.note else []
    tail = wrap(credit, text_px, style.small) if credit else []
    budget = max(int(height * FOOTER_SHARE // (style.small * 1.4)), 2)
    for brevity in (0, 1, 2):
        source = wrap(source_line(shown, detail, brevity), text_px, style.small)
        if len(note) + len(source) + len(tail) <= budget:
            break
    return note + source + tail


def hover_text(party_name: str, row: pd.Series) -> str:
    lines = [f"<b>{escape(party_name)}</b>, {date_label(row['as_of'], row['year'])}",
             f"{row['members']:,} members"]
    lines += ["Source: " + line if i == 0 else line
              for i, line in enumerate(wrap(row["source"], HOVER_WRAP * 7, 13.5))]
    if row["note"]:
        lines += [f"<i>{line}</i>" for line in wrap(row["note"], HOVER_WRAP * 7, 13.5)]
    return "<br>".join(lines)


def year_end_trace(dataset: Dataset, slug: str, rows: pd.DataFrame, style: Style) -> go.Scatter:
    """One party's year-end line; a missing year is a gap in the line, never bridged."""
    party = dataset.parties[slug]
    by_year = {int(r["year"]): r for _, r in rows.iterrows()}
    years = list(range(min(by_year), max(by_year) + 1)) if by_year else []
    return go.Scatter(
        x=years,
        y=[int(by_year[y]["members"]) if y in by_year else None for y in years],
        hovertext=[hover_text(party.name, by_year[y]) if y in by_year else "" for y in years],
        hovertemplate="%{hovertext}<extra></extra>",
        name=party.name, legendgroup=slug, mode="lines+markers", connectgaps=False,
        line={"color": party.colour, "width": style.line},
        marker={"color": party.colour, "size": style.marker * 1.4},
    )


def other_dates_trace(dataset: Dataset, slug: str, rows: pd.DataFrame, style: Style, has_line: bool) -> go.Scatter:
    """Figures reported at other dates: hollow markers at their date, never joined to the line.

    In the legend only when the party has no year-end line (the subtitle explains the markers)."""
    party = dataset.parties[slug]
    return go.Scatter(
        x=[position(dt.date.fromisoformat(d)) for d in rows["as_of"]],
        y=[int(m) for m in rows["members"]],
        customdata=list(rows["as_of"]),
        hovertext=[hover_text(party.name, r) for _, r in rows.iterrows()],
        hovertemplate="%{hovertext}<extra></extra>",
        name=f"{party.name}, other dates", legendgroup=slug, mode="markers", showlegend=not has_line,
        marker={"symbol": "circle-open", "color": party.colour, "size": style.marker * 1.6,
                "line": {"width": max(style.line * 0.6, 1.2)}},
    )


def tick_step(span: int, width: int) -> int:
    """Year ticks every 1, 2, 5 or 10 years so labels never crowd."""
    room = max(width // 70, 3)
    return next(step for step in (1, 2, 5, 10, 20, 50) if span / step <= room)


def event_shapes(events: pd.DataFrame, x_range: tuple[float, float], plot_px: float, style: Style):
    """Leaders' terms as shaded bands named where the name fits; elections as labelled lines."""
    shapes, annotations = [], []
    lo, hi = x_range
    px_per_year = plot_px / (hi - lo)
    today = dt.date.today().isoformat()
    leaders = events[events["kind"] == "leader"].sort_values("start")
    for i, (_, leader) in enumerate(leaders.iterrows()):
        x0 = max(position(dt.date.fromisoformat(leader["start"])), lo)
        x1 = min(position(dt.date.fromisoformat(leader["end"] or today)), hi)
        if x1 <= x0:
            continue
        shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": x0, "x1": x1, "y0": 0, "y1": 1,
                       "fillcolor": BAND if i % 2 == 0 else "rgba(0,0,0,0)", "line": {"width": 0}, "layer": "below"})
        band_px = (x1 - x0) * px_per_year
        for label in (leader["name"], leader["name"].split(" (")[0].split()[-1]):
            if len(label) * style.small * 0.55 + 6 <= band_px:
                annotations.append({"x": (x0 + x1) / 2, "y": 0, "xref": "x", "yref": "paper", "yanchor": "bottom",
                                    "yshift": 4, "text": escape(label), "showarrow": False,
                                    "font": {"size": style.small, "color": MUTED}})
                break
    for _, election in events[events["kind"] == "general_election"].iterrows():
        x = position(dt.date.fromisoformat(election["start"]))
        if not lo <= x <= hi:
            continue
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": 1,
                       "line": {"color": "#8a9099", "width": 1, "dash": "dot"}, "layer": "below"})
        annotations.append({"x": x, "y": 1, "xref": "x", "yref": "paper", "yanchor": "top", "xanchor": "right",
                            "textangle": -90, "text": f"GE {election['start'][:4]}", "showarrow": False,
                            "font": {"size": style.small, "color": MUTED}})
    return shapes, annotations


def legend_height(groups: list[list[str]], width_px: float, style: Style) -> float:
    """Pixels the horizontal legend takes. Entries of one legend group stack in a column; the
    columns wrap into rows at narrow widths, and the plot must start below the last row."""
    font = style.subtitle * 0.95
    row_px = font * 1.45
    total, row_height, used = 0.0, 0.0, 0.0
    for names in groups:
        item = 46 + max(len(n) for n in names) * font * 0.55
        if used and used + item > width_px:
            total, row_height, used = total + row_height, 0.0, 0.0
        used += item
        row_height = max(row_height, len(names) * row_px + 6)
    return max(total + row_height + 4, 30)


def legend_groups(traces: list[go.Scatter]) -> list[list[str]]:
    """The names shown in the legend, grouped as plotly draws them (by legendgroup, in order)."""
    groups: dict[str, list[str]] = {}
    for trace in traces:
        if trace.showlegend is not False:
            groups.setdefault(trace.legendgroup or trace.name, []).append(trace.name)
    return list(groups.values())


def build_figure(dataset: Dataset, view: View, width: int = 1200, height: int = 620, *,
                 credit: str = "", static: bool = False) -> go.Figure:
    """The chart for a resolved view, laid out for `width` x `height` pixels.

    `credit` adds a line under the source (an exported image's "Chart: ..."); `static` is for an
    image, which has no hover text to point the reader to.
    """
    style = Style.for_width(width)
    shown = shown_counts(dataset, view)
    others = shown[shown["as_of"] != ""]
    if view.measure == MEMBERS:
        traces: list[go.Scatter | go.Bar] = list(member_traces(dataset, view, shown, style))
        measured: list[Measured] = []
    else:
        measured = shown_measures(dataset, view)
        traces = measure_traces(dataset, view, measured, style)
    not_drawn = not_drawn_lines(dataset, view, shown, measured)

    text_px = width - 2 * style.pad
    title = wrap(view.title or default_title(dataset, view), text_px, style.title)
    subtitle = wrap(view.subtitle or default_subtitle(view, not others.empty), text_px, style.subtitle)
    footer = footer_lines(shown, view, text_px, style, height, credit, static, not_drawn if traces else [])

    legend_px = legend_height(legend_groups(traces), text_px, style)
    # plotly.js draws a title of several lines about 0.7 em higher than a one-line title,
    # cutting the first line off at the top: push it down by as much
    title_shift = style.title * 0.72 if len(title) > 1 else 0
    title_px = title_shift + style.title * 1.3 * len(title) + style.subtitle * 1.4 * len(subtitle) + 10
    top = round(style.pad + title_px + legend_px + 8 + style.small * 1.6)  # room for the axis label
    bottom = round(34 + style.small * 1.4 * len(footer) + style.pad)
    left, right = (round(style.tick * 4.6), style.pad) if width >= 600 else (round(style.tick * 3.6), 8)

    assert view.start is not None and view.end is not None, "resolve() the view before drawing it"
    x_values = [x for t in traces for x in t.x]
    lo = min([view.start - 1, *x_values]) - 0.4
    hi = max([view.end, *x_values]) + 0.4
    if traces:
        shapes, annotations = event_shapes(shown_events(dataset, view), (lo, hi), width - left - right, style)
        shapes += reference_shapes(view)
        annotations.append(axis_label_annotation(view, left, style))
    else:
        shapes, annotations = [], [empty_message(not_drawn, style, width)]
    annotations.append({"xref": "paper", "yref": "paper", "x": 0, "y": 0, "xanchor": "left", "yanchor": "top",
                        "xshift": -left + style.pad, "yshift": -30, "align": "left", "showarrow": False,
                        "text": "<br>".join(footer), "font": {"size": style.small, "color": MUTED}})

    figure = go.Figure(traces)
    figure.update_layout(
        height=height,
        font={"family": FONT, "color": INK, "size": style.tick},
        paper_bgcolor="white", plot_bgcolor="white",
        margin={"t": top, "b": bottom, "l": left, "r": right, "pad": 0},
        title={"text": "<br>".join(title), "x": 0, "xref": "container", "xanchor": "left",
               "y": 1, "yref": "container", "yanchor": "top", "pad": {"t": style.pad + title_shift, "l": style.pad},
               "font": {"size": style.title, "weight": 700},
               "subtitle": {"text": "<br>".join(subtitle), "font": {"size": style.subtitle, "color": MUTED}}},
        legend={"orientation": "h", "x": 0, "xref": "container", "xanchor": "left",
                "y": 1 - (style.pad + title_px + 4) / height, "yref": "container", "yanchor": "top",
                "font": {"size": style.subtitle * 0.95}, "bgcolor": "rgba(0,0,0,0)", "traceorder": "normal",
                "indentation": max(style.pad - 12, 0)},  # below 0 sends plotly.js into an endless redraw
        hovermode="closest",
        hoverlabel={"bgcolor": "white", "font": {"family": FONT, "size": 13, "color": INK}, "align": "left"},
        xaxis={"range": [lo, hi], "tickmode": "linear", "tick0": 0, "dtick": tick_step(int(hi - lo), width - left),
               "tickformat": "d", "showgrid": False, "zeroline": False, "ticks": "outside", "ticklen": 4,
               "linecolor": "#9aa0a6", "fixedrange": True,
               # fixed: drawn narrower than laid out (a phone before it sends its width), rotating
               # tick labels and the margin they push send plotly.js into an endless redraw
               "tickangle": 0, "automargin": False},
        yaxis=y_axis(view, width),
        shapes=shapes, annotations=annotations,
        separators=".,",
        barmode="group", bargap=0.25, bargroupgap=0.05,
    )
    if not traces:
        figure.update_xaxes(visible=False)
        figure.update_yaxes(visible=False)
    return figure


def member_traces(dataset: Dataset, view: View, shown: pd.DataFrame, style: Style) -> list[go.Scatter]:
    """The member count: each party's year-end line, then its figures at other dates as markers."""
    year_ends, others = shown[shown["as_of"] == ""], shown[shown["as_of"] != ""]
    traces = []
    for slug in view.parties:
        rows = year_ends[year_ends["party"] == slug]
        if not rows.empty:
            traces.append(year_end_trace(dataset, slug, rows, style))
    for slug in view.parties:
        rows = others[others["party"] == slug]
        if not rows.empty:
            has_line = (year_ends["party"] == slug).any()
            traces.append(other_dates_trace(dataset, slug, rows, style, has_line))
    return traces


# ---------------------------------------------------------------- the measures other than members

def figure_row(dataset: Dataset, slug: str, year: int) -> pd.Series | None:
    """The year-end figure of a party for a year (the row with its source and note), if there is one."""
    year_ends = dataset.year_ends()
    rows = year_ends[(year_ends["party"] == slug) & (year_ends["year"] == year)]
    return rows.iloc[0] if not rows.empty else None


def measure_hover(dataset: Dataset, measured: Measured, year: int) -> str:
    """What a value is made of: the measure, the two year-end figures and the source of each."""
    name = dataset.party_name(measured.party)
    value = measured.values[year]
    against = measured.against[year]
    now, then = figure_row(dataset, measured.party, year), figure_row(dataset, measured.party, against)
    assert now is not None and then is not None, "a measure is made of year-end figures only"
    if measured.measure == INDEX:
        lines = [f"<b>{escape(name)}</b>, 31 Dec {year}",
                 f"Index {value_text(INDEX, value)} ({against} = 100)",
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
    sources = [(year, now)] if against == year or now["source"] == then["source"] else [(year, now), (against, then)]
    for source_year, row in sources:
        label = "Source: " if len(sources) == 1 else f"Source ({source_year}): "
        lines += [label + line if i == 0 else line for i, line in enumerate(wrap(row["source"], HOVER_WRAP * 7, 13.5))]
    for row in (now, then) if against != year else (now,):
        if row["note"]:
            lines += [f"<i>{line}</i>" for line in wrap(f"{row['year']}: {row['note']}", HOVER_WRAP * 7, 13.5)]
    return "<br>".join(lines)


def measure_traces(dataset: Dataset, view: View, measured: list[Measured], style: Style) -> list[go.Scatter | go.Bar]:
    """A change as bars (falls hatched, below the zero line); an index as lines with gaps."""
    traces: list[go.Scatter | go.Bar] = []
    for m in measured:
        if not m.values:
            continue
        party = dataset.parties[m.party]
        years = list(range(min(m.values), max(m.values) + 1))
        y = [m.values.get(year) for year in years]
        hover = [measure_hover(dataset, m, year) if year in m.values else "" for year in years]
        if view.measure in (CHANGE, CHANGE_PERCENT):
            traces += change_bars(party.name, m.party, party.colour, years, y, hover)
        else:
            traces.append(go.Scatter(
                x=years, y=y, hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
                name=party.name, legendgroup=m.party, mode="lines+markers", connectgaps=False,
                line={"color": party.colour, "width": style.line},
                marker={"color": party.colour, "size": style.marker * 1.4},
            ))
    return traces


def change_bars(name: str, slug: str, colour: str, years: list[int], values: list[float | None],
                hover: list[str]) -> list[go.Bar]:
    """One party's changes as bars: rises solid, falls hatched (so a fall reads as one without
    colour), both in the party's slot of each year (one offset group) and one legend entry."""
    bars = []
    for falls in (False, True):
        keep = [v is not None and (v < 0) == falls for v in values]
        if not any(keep):
            continue
        pattern = {"shape": "/", "fgcolor": "white", "size": 6, "solidity": 0.45} if falls else {"shape": ""}
        bars.append(go.Bar(
            x=[x for x, k in zip(years, keep) if k], y=[v for v, k in zip(values, keep) if k],
            hovertext=[h for h, k in zip(hover, keep) if k], hovertemplate="%{hovertext}<extra></extra>",
            name=name, legendgroup=slug, offsetgroup=slug, showlegend=not bars,
            marker={"color": colour, "line": {"color": colour, "width": 1}, "pattern": pattern},
        ))
    return bars


def not_drawn_lines(dataset: Dataset, view: View, shown: pd.DataFrame, measured: list[Measured]) -> list[str]:
    """Sentences for what the view asked for and the chart cannot draw, and why."""
    def names(slugs: list[str]) -> str:
        return ", ".join(dataset.party_name(s) for s in slugs)

    span = f"{view.start}–{view.end}" if view.start != view.end else str(view.start)
    lines = []
    if view.measure == MEMBERS:
        missing = [s for s in view.parties if not (shown["party"] == s).any()]
        if missing:
            kind = "figures" if view.other_dates else "year-end figures"
            lines.append(f"No {kind} in {span} for {names(missing)}.")
        return lines
    if view.measure == INDEX:
        missing = [m.party for m in measured if m.not_indexed]
        if missing:
            lines.append(f"Not indexed: no year-end figure for {view.base_year} for {names(missing)}.")
        empty = [m.party for m in measured if not m.not_indexed and not m.values]
        if empty:
            lines.append(f"No year-end figures in {span} for {names(empty)}.")
    else:
        empty = [m.party for m in measured if not m.values]
        if empty:
            lines.append(f"No change to draw for {names(empty)}: no year-end figures for two years in a row in {span}.")
    others = dataset.other_dates()
    if view.other_dates and (others["party"].isin(view.parties) & others["year"].between(view.start, view.end)).any():
        lines.append("Figures reported at other dates are not used in " +
                     ("a change." if view.measure in (CHANGE, CHANGE_PERCENT) else "an index."))
    return lines


def empty_message(not_drawn: list[str], style: Style, width: int) -> dict:
    """A short message in the chart's place when nothing can be drawn (never an empty 0–4 axis)."""
    text = " ".join(not_drawn) or "No figures to draw for this view."
    return {"xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5, "xanchor": "center", "yanchor": "middle",
            "showarrow": False, "align": "center",
            "text": "<br>".join(wrap(text, min(520, width - 4 * style.pad), style.subtitle * 1.1)),
            "font": {"size": style.subtitle * 1.1, "color": INK}}


def reference_shapes(view: View) -> list[dict]:
    """The line a measure is read against: 100 for an index (zero is the axis's own zero line)."""
    if view.measure != INDEX:
        return []
    return [{"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": 100, "y1": 100,
             "line": {"color": "#5b616b", "width": 1.2, "dash": "dash"}, "layer": "below"}]


def axis_label_annotation(view: View, left: int, style: Style) -> dict:
    """The y axis's unit above its top tick, where the eye starts reading the axis."""
    return {"xref": "paper", "yref": "paper", "x": 0, "y": 1, "xanchor": "left", "yanchor": "bottom",
            "xshift": -left + style.pad, "yshift": 6, "showarrow": False, "text": escape(axis_label(view)),
            "font": {"size": style.small, "color": MUTED}}


def y_axis(view: View, width: int) -> dict:
    """The y axis for the measure: members from zero (or on a log scale), changes around a strong
    zero line with signed ticks, an index from zero."""
    axis = {"gridcolor": GRID, "zeroline": True, "zerolinecolor": "#9aa0a6", "fixedrange": True, "ticks": "",
            "automargin": False, "minexponent": 3, "exponentformat": "none"}
    compact = width < 600
    if view.measure in (CHANGE, CHANGE_PERCENT):
        axis.update(zerolinecolor=INK, zerolinewidth=1.5, tickformat=("~s" if compact else ",") if view.measure == CHANGE
                    else ".0f", ticksuffix="%" if view.measure == CHANGE_PERCENT else "")
    elif view.measure == INDEX:
        axis.update(rangemode="tozero", tickformat=",.0f")
    elif view.log_scale:
        axis.update(type="log", tickformat="~s" if compact else ",", dtick="D2")
    else:
        axis.update(rangemode="tozero", tickformat="~s" if compact else ",")
    return axis

