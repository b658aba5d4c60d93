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

from dashboard.core.dataset import Dataset
from dashboard.core.selection import date_label, position, shown_counts, shown_events
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
    names = [dataset.party_name(p) for p in view.parties]
    span = f"{view.start}–{view.end}" if view.start != view.end else str(view.start)
    if len(names) == 1:
        return f"{names[0]} membership, {span}"
    return f"Party membership, {span}"


def default_subtitle(view: View, has_other_dates: bool) -> str:
    text = "Individual members at 31 December of each year"
    if has_other_dates:
        text += "; hollow markers are figures reported at other dates"
    return text + "."


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
                 credit: str = "", static: bool = False) -> list[str]:
    """Note, source line and credit, wrapped to the width; the source line is summarised more
    briefly until the footer fits its share of the height (the note and credit are the user's
    words and are never shortened)."""
    detail = STATIC_SOURCE_DETAIL if static else SOURCE_DETAIL
    note = wrap("Note: " + view.note, text_px, style.small) if view.note else []
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

    text_px = width - 2 * style.pad
    title = wrap(view.title or default_title(dataset, view), text_px, style.title)
    subtitle = wrap(view.subtitle or default_subtitle(view, not others.empty), text_px, style.subtitle)
    footer = footer_lines(shown, view, text_px, style, height, credit, static)

    legend_px = legend_height(legend_groups(traces), text_px, style)
    # plotly.js draws a title of several lines about 0.7 em higher than a one-line title,
    # cutting the first line off at the top: push it down by as much
    title_shift = style.title * 0.72 if len(title) > 1 else 0
    title_px = title_shift + style.title * 1.3 * len(title) + style.subtitle * 1.4 * len(subtitle) + 10
    top = round(style.pad + title_px + legend_px + 8)
    bottom = round(34 + style.small * 1.4 * len(footer) + style.pad)
    left, right = (round(style.tick * 4.6), style.pad) if width >= 600 else (round(style.tick * 3.6), 8)

    assert view.start is not None and view.end is not None, "resolve() the view before drawing it"
    x_values = [x for t in traces for x in t.x]
    lo = min([view.start - 1, *x_values]) - 0.4
    hi = max([view.end, *x_values]) + 0.4
    shapes, annotations = event_shapes(shown_events(dataset, view), (lo, hi), width - left - right, style)
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
                "indentation": style.pad - 12},
        hovermode="closest",
        hoverlabel={"bgcolor": "white", "font": {"family": FONT, "size": 13, "color": INK}, "align": "left"},
        xaxis={"range": [lo, hi], "tickmode": "linear", "tick0": 0, "dtick": tick_step(int(hi - lo), width - left),
               "tickformat": "d", "showgrid": False, "zeroline": False, "ticks": "outside", "ticklen": 4,
               "linecolor": "#9aa0a6", "fixedrange": True},
        yaxis={"rangemode": "tozero", "tickformat": "," if width >= 600 else "~s", "gridcolor": GRID, "zeroline": True,
               "zerolinecolor": "#9aa0a6", "fixedrange": True, "ticks": "", "automargin": False},
        shapes=shapes, annotations=annotations,
        separators=".,",
    )
    return figure
