"""(dataset, view) -> plotly Figure: the layout that puts the house style's parts together.

Everything a reader needs to publish the chart is inside the figure (title, subtitle, legend,
direct labels, source line, note), laid out in pixels for the width it will be shown at, so a
screenshot or an export carries it whole. The parts have their own modules: style.py (sizes and
text), captions.py (title, subtitle, footer), axes.py, series.py and measure_series.py (the traces),
legend.py, end_labels.py (direct labels) and marks.py (elections and leaders).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard.chart.axes import Frame, axis_label_annotation, reference_shapes, y_axis, year_axis
from dashboard.chart.captions import (
    BRIEF,
    FULL,
    MINIMAL,
    default_subtitle,
    default_title,
    empty_message,
    footer_lines,
    not_drawn_lines,
    short_subtitle,
)
from dashboard.chart.crossings import Point, break_lines, unsupported_crossings
from dashboard.chart.end_labels import end_labels, fit_labels, label_annotations, label_boxes, label_width, place_end_labels
from dashboard.chart.key import KeyEntry, key_height, key_marks, key_rows
from dashboard.chart.labels import Box
from dashboard.chart.latest import latest_rows
from dashboard.chart.legend import TIER_KEY, TIER_SHORT, legend_entry, legend_groups, legend_height, legend_name
from dashboard.chart.marks import event_row_px, event_shapes, writer_marks
from dashboard.chart.measure_series import measure_traces
from dashboard.chart.precision_marks import precision_shapes
from dashboard.chart.series import (
    JOIN_LIMIT_TEXT,
    TIER_SUFFIX,
    TIERS,
    dated_trace,
    off_series_dates,
    party_symbol,
    year_end_trace,
)
from dashboard.chart.style import FONT, INK, MUTED, Style, text_px, wrap
from dashboard.chart.wording import bounds
from dashboard.core.dataset import Dataset, basis_of
from dashboard.core.marks import outside_years
from dashboard.core.measures import CHANGE, CHANGE_PERCENT, INDEX, MEMBERS, Measured
from dashboard.core.precision import date_span, drawn_date
from dashboard.core.selection import figure_date, position, shown_by_party, shown_counts, shown_events, shown_measures
from dashboard.core.view import View

MIN_PLOT_SHARE = 0.42  # the source line is summarised until the plot keeps at least this share of the height
IMAGE_PLOT_SHARE = 0.5  # an exported image says less until its plot keeps half of its height


def build_figure(dataset: Dataset, view: View, width: int = 1200, height: int = 620, *,
                 credit: str = "", static: bool = False, read_width: int | None = None) -> go.Figure:
    """The chart for a resolved view, laid out for `width` x `height` pixels.

    `credit` adds a line under the source (an exported image's "Chart: ..."); `static` is for an
    image, which has no hover text: its source line names the sources and its footer says how the
    latest figures compare when they differ in date or basis. `read_width` is the width the image
    will be shown at, if narrower (Style.for_width). A validated Figure, for export and the static
    site; the page sends `figure_dict` as it is.
    """
    return go.Figure(figure_dict(dataset, view, width, height, credit=credit, static=static, read_width=read_width))


_TEMPLATES: dict[str, dict] = {}


def default_template() -> dict:
    """plotly's default template as plain JSON, once: a Figure would fill it in, and the page's
    chart must look the same as the exported one."""
    name = pio.templates.default
    if name not in _TEMPLATES:
        _TEMPLATES[name] = pio.templates[name].to_plotly_json()
    return _TEMPLATES[name]


def subtitle_steps(dataset: Dataset, view: View) -> list[tuple[str, int]]:
    """The subtitles and caveats an image short of room tries in turn, saying less step by step: the source line
    summarised (footer_lines), the subtitle in fewer words, the caveat shortened, no subtitle, the shortest
    caveat. A writer's own subtitle is kept whole."""
    if view.subtitle:
        return [(view.subtitle, BRIEF), (view.subtitle, MINIMAL)]
    return [(default_subtitle(dataset, view), FULL), (short_subtitle(dataset, view), BRIEF), ("", MINIMAL)]


def figure_dict(dataset: Dataset, view: View, width: int = 1200, height: int = 620, *,
                credit: str = "", static: bool = False, read_width: int | None = None) -> dict:
    """The same chart as plain JSON-ready data: building and checking a Figure object costs
    several times more than the chart itself, on every view change of every reader."""
    if view.start is None or view.end is None:
        raise ValueError("build_figure needs a resolved view (core.view.resolve)")
    style = Style.for_width(width, read_width)
    shown = shown_counts(dataset, view)
    narrow = width < 600
    members = view.measure == MEMBERS
    latest = latest_rows(dataset, view) if members else []

    legend: list[dict] = []
    measured: list[Measured] = []
    if members:
        data, legend = member_traces(dataset, view, style)
    else:
        measured = shown_measures(dataset, view)
        data = measure_traces(dataset, view, measured, style)
    not_drawn = not_drawn_lines(dataset, view, shown, measured)
    if static:  # an image says which of the writer's marks it leaves out; the page says so above the chart
        not_drawn += outside_years(view.marks, view.highlights, view.start, view.end)
    marked = shown if view.measure in (MEMBERS, INDEX) and data else shown.iloc[0:0]
    entries = key_entries(dataset, view, marked, data)

    full_width = width - 2 * style.pad
    if static and members and latest and {row.slug for row in latest} >= {t["meta"]["party"] for t in legend}:
        legend = []  # an image names each party at its label, with its marker: the legend would say it again
    title = wrap(view.title or default_title(dataset, view), full_width, style.title)
    groups = legend_groups([*legend, *data] if not members else legend)
    legend_px = legend_height(groups, full_width, style)
    key = key_rows(entries, full_width, style, fewer_words=static)
    key_px = key_height(key, style)
    # plotly.js draws a title of several lines about 0.7 em higher than a one-line title,
    # cutting the first line off at the top: push it down by as much
    title_shift = style.title * 0.72 if len(title) > 1 else 0
    events = shown_events(dataset, view) if data else shown_events(dataset, view).iloc[0:0]
    events_px = event_row_px(style) if len(events) else 0.0  # the row naming elections and leaders
    axis_px = style.tick * 2.0 + 6
    line_px = style.small * 1.3
    share = IMAGE_PLOT_SHARE if static else MIN_PLOT_SHARE
    steps = subtitle_steps(dataset, view)
    left = round(style.tick * (4.6 if not narrow else 3.4))
    direct_labels = end_labels(dataset, latest, narrow)  # the same texts whatever room the loop finds
    while True:
        for text, most in steps if static else steps[:1]:
            subtitle = wrap(text, full_width, style.subtitle) if text else []
            title_px = title_shift + style.title * 1.3 * len(title) + style.subtitle * 1.4 * len(subtitle) + 10
            # the axis's unit shares the row naming elections and leaders, when there is one
            top = round(style.pad + title_px + legend_px + 8 + (events_px or style.small * 1.6))
            room = height - top - axis_px - key_px - style.pad - share * height
            budget = max(int(room // line_px), 1)
            footer = footer_lines(shown, view, full_width, style, budget, credit, static, latest,
                                  not_drawn if data else [], most)
            if len(footer) <= budget:
                break
        bottom = round(axis_px + key_px + line_px * len(footer) + style.pad)
        plot_h = height - top - bottom
        labels, label_font = fit_labels(direct_labels, plot_h, axis_px, style)
        right = round(max(label_width(labels, label_font, style), style.pad))
        plot_w = width - left - right
        # plotly.js wraps a horizontal legend at the plot's width, not the figure's: on a phone, with the
        # direct labels beside the plot, its entries take more rows than the figure's width would give.
        # The legend only grows (at most a row an entry), so this ends.
        needed = legend_height(groups, plot_w, style)
        if needed <= legend_px:
            break
        legend_px = needed

    lo, hi = view.start - 0.06, view.end + 1.06
    yaxis, y_top, y_bottom = y_axis(view, shown, measured, narrow, style)
    frame = Frame(lo, hi, plot_w, plot_h, None if view.measure in (CHANGE, CHANGE_PERCENT) else y_top, y_bottom)
    taken: list[Box] = []
    if data:
        markers = marker_boxes(data, frame, style)
        unit = axis_label_annotation(view, left, style)
        reserved = text_px(unit["text"], style.small) - (left - style.pad)  # the unit's end, from the plot's left
        shapes, annotations, taken = event_shapes(events, frame, style, markers, reserved)
        shapes += reference_shapes(view)
        annotations.append(unit)
    else:
        shapes, annotations = [], [empty_message(not_drawn, style, width)]
    placed = place_end_labels(labels, label_font, frame, axis_px)
    label_notes, leaders = label_annotations(placed, label_font, frame, style)
    annotations += label_notes
    shapes += leaders
    if members and data:
        by_party = shown_by_party(dataset, view)
        shapes += precision_shapes(((slug, [*ends, *dated]) for slug, (ends, dated) in by_party.items()), frame, style,
                                   {slug: dataset.parties[slug].colour for slug in by_party})
    key_shapes, key_words = key_marks(key, style.pad - left, axis_px, plot_w, plot_h, style)
    shapes += key_shapes
    annotations += key_words
    if data and (view.marks or view.highlights):
        mark_shapes, mark_notes = writer_marks(view, frame, style, party_lines(dataset, view) if members else {},
                                               taken + label_boxes(placed, label_font, frame, style), markers)
        shapes += mark_shapes
        annotations += mark_notes
    annotations.append({"xref": "paper", "yref": "paper", "x": 0, "y": 0, "xanchor": "left", "yanchor": "top",
                        "xshift": -left + style.pad, "yshift": -axis_px - key_px, "align": "left", "showarrow": False,
                        "text": "<br>".join(footer), "font": {"size": style.small, "color": MUTED},
                        "name": "footer"})

    layout = dict(
        template=default_template(),
        height=height,
        font={"family": FONT, "color": INK, "size": style.tick},
        paper_bgcolor="white", plot_bgcolor="white",
        margin={"t": top, "b": bottom, "l": left, "r": right, "pad": 0},
        title={"text": "<br>".join(title), "x": 0, "xref": "container", "xanchor": "left",
               "y": 1, "yref": "container", "yanchor": "top", "pad": {"t": style.pad + title_shift, "l": style.pad},
               "font": {"size": style.title, "weight": 700},
               "subtitle": {"text": "<br>".join(subtitle), "font": {"size": style.subtitle, "color": MUTED}}},
        # indentation below 0 sends plotly.js into an endless redraw at some widths
        legend={"orientation": "h", "x": 0, "xref": "container", "xanchor": "left",
                "y": 1 - (style.pad + title_px + 4) / height, "yref": "container", "yanchor": "top",
                "font": {"size": style.subtitle * 0.95}, "bgcolor": "rgba(0,0,0,0)", "traceorder": "normal",
                "indentation": max(style.pad - 12, 0), "itemwidth": 30},
        hovermode="closest",
        hoverlabel={"bgcolor": "white", "font": {"family": FONT, "size": 13, "color": INK}, "align": "left"},
        # fixed: drawn narrower than laid out (a phone before it sends its width), rotating tick
        # labels and the margin they push send plotly.js into an endless redraw
        xaxis={"range": [lo, hi], **year_axis(view.start, view.end, plot_w, style), "tickangle": 0, "automargin": False,
               **({} if data else {"visible": False})},
        yaxis={**yaxis, **({} if data else {"visible": False})},
        shapes=shapes, annotations=annotations,
        separators=".,",
        barmode="group", bargap=0.25, bargroupgap=0.05,
    )
    return {"data": [*data, *legend], "layout": layout}


def marker_boxes(data: list[dict], frame: Frame, style: Style) -> list[Box]:
    """Where the figures' markers are drawn (pixels), for labels that must not sit on one; none for bars."""
    if frame.y_top is None:
        return []
    half = style.marker * 1.6 / 2 + 1
    return [Box(px - half, px + half, py - half, py + half)
            for trace in data if trace.get("type") == "scatter"
            for x, y in zip(trace["x"], trace["y"]) if x is not None and y is not None
            for px, py in [(frame.x_px(x), frame.y_px(y))]]


def member_traces(dataset: Dataset, view: View, style: Style) -> tuple[list[dict], list[dict]]:
    """Each party's year-end line and dated figures, with no crossing no figures show; and its legend entry."""
    data: list[dict] = []
    legend: list[dict] = []
    for slug, (ends, dated) in shown_by_party(dataset, view).items():
        if not ends and not dated:
            continue
        has_line = bool(ends)
        if has_line:
            data.append(year_end_trace(dataset, slug, ends, style))
        if dated:
            data.append(dated_trace(dataset, slug, dated, style, {int(row["year"]) for row in ends}))
        legend.append(legend_entry(dataset, slug, legend_name(dataset, slug, dated, has_line), has_line, style))
    break_lines(data, unsupported_crossings(data, party_points(dataset, view)))
    return data, legend


def key_entries(dataset: Dataset, view: View, marked: pd.DataFrame, data: list[dict]) -> list[KeyEntry]:
    """What the key under the axis explains: each way of drawing a marker that the chart uses (in
    TIERS order) in the party shapes drawn that way, and how far dotted lines join figures."""
    found: dict[str, list[str]] = {}
    for slug, basis in zip(marked["party"], marked["basis"]):
        tier = basis_of(basis).tier
        symbol = party_symbol(dataset, slug) + TIER_SUFFIX[tier]
        if symbol not in found.setdefault(tier, []):
            found[tier].append(symbol)
    entries = [KeyEntry(TIER_KEY[tier], tuple(found[tier]), short=TIER_SHORT[tier]) for tier in TIERS if tier in found]
    if view.measure != MEMBERS or not data:
        return entries
    parts = shown_by_party(dataset, view)
    if any(off_series_dates(ends, dated) for ends, dated in parts.values()):
        entries.append(KeyEntry(f"figures at other dates, joined when at most {JOIN_LIMIT_TEXT} apart", dash="dot",
                                short=f"joined if ≤ {JOIN_LIMIT_TEXT} apart"))
    rows = [row for ends, dated in parts.values() for row in [*ends, *dated]]
    drawn_bounds = [b for b in ("below", "above", "about") if b in {str(row.get("bound") or "") for row in rows}]
    if drawn_bounds:  # one entry, a ring with each mark drawn: 'true count below / above / about the figure'
        words = " / ".join(drawn_bounds)
        entries.append(KeyEntry(f"true count {words} the figure", ("circle-open",) * len(drawn_bounds),
                                short=words, marks=tuple(drawn_bounds)))
    if any(date_span(str(row["as_of"]), str(row.get("date_precision") or "day")) for row in rows):
        entries.append(KeyEntry("known only to the month or year", short="month or year only", marks=("span",)))
    return entries


def party_points(dataset: Dataset, view: View) -> dict[str, list[Point]]:
    """Each party's figures shown, where they are drawn and what their words say (for crossings)."""
    return {slug: [Point(position(drawn_date(str(row["as_of"]), int(row["year"]), str(row.get("date_precision") or "day"))),
                         bounds(int(row["members"]), str(row.get("bound") or ""))) for row in [*ends, *dated]]
            for slug, (ends, dated) in shown_by_party(dataset, view).items()}


def party_lines(dataset: Dataset, view: View) -> dict[str, list[tuple[dt.date, int]]]:
    """Each party's figures shown, in date order: what a note pinned to its line is placed on."""
    return {slug: sorted((figure_date(str(row["as_of"]), int(row["year"])), int(row["members"]))
                         for row in [*ends, *dated])
            for slug, (ends, dated) in shown_by_party(dataset, view).items()}


def figure_dates(figure: go.Figure) -> list[str]:
    """The ISO dates of every point drawn (tests and the page read which figures are on the chart)."""
    return [d for trace in figure.data for d in (trace.customdata or ()) if d]
