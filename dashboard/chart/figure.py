"""(dataset, view) -> plotly Figure: the layout that puts the house style's parts together.

Everything a reader needs to publish the chart is inside the figure (title, subtitle, legend,
direct labels, source line, note), laid out in pixels for the width it will be shown at, so a
screenshot or an export carries it whole. The parts have their own modules: style.py (sizes and
text), captions.py (title, subtitle, footer), axes.py, series.py and measure_series.py (the traces),
legend.py, end_labels.py (direct labels) and marks.py (elections and leaders).
"""
from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from dashboard.chart.axes import axis_label_annotation, reference_shapes, y_axis, year_axis
from dashboard.chart.captions import default_subtitle, default_title, empty_message, footer_lines, not_drawn_lines
from dashboard.chart.end_labels import end_labels, fit_labels, label_annotations, label_width
from dashboard.chart.latest import latest_rows
from dashboard.chart.legend import basis_key, legend_entry, legend_groups, legend_height, legend_name
from dashboard.chart.marks import event_shapes
from dashboard.chart.measure_series import measure_traces
from dashboard.chart.series import TIERS, dated_trace, year_end_trace
from dashboard.chart.style import FONT, INK, MUTED, Style, wrap
from dashboard.core.dataset import Dataset, basis_of
from dashboard.core.measures import INDEX, MEMBERS, Measured
from dashboard.core.selection import shown_by_party, shown_counts, shown_events, shown_measures
from dashboard.core.view import View

MIN_PLOT_SHARE = 0.42  # the source line is summarised until the plot keeps at least this share of the height


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

    data: list[dict] = []
    legend: list[dict] = []
    measured: list[Measured] = []
    if members:
        for slug, (ends, dated) in shown_by_party(dataset, view).items():
            if not ends and not dated:
                continue
            has_line = bool(ends)
            if has_line:
                data.append(year_end_trace(dataset, slug, ends, style))
            if dated:
                data.append(dated_trace(dataset, slug, dated, style, {int(row["year"]) for row in ends}))
            legend.append(legend_entry(dataset, slug, legend_name(dataset, slug, dated, has_line), has_line, style))
    else:
        measured = shown_measures(dataset, view)
        data = measure_traces(dataset, view, measured, style)
    not_drawn = not_drawn_lines(dataset, view, shown, measured)
    marked = shown if view.measure in (MEMBERS, INDEX) and data else shown.iloc[0:0]
    tiers = {basis_of(b).tier for b in marked["basis"]}
    keys = [basis_key(tier, style) for tier in TIERS if tier in tiers]

    full_width = width - 2 * style.pad
    title = wrap(view.title or default_title(dataset, view), full_width, style.title)
    subtitle = wrap(view.subtitle or default_subtitle(dataset, view), full_width, style.subtitle)
    legend_px = legend_height(legend_groups([*legend, *data] if not members else legend), full_width, style)
    key_px = legend_height(legend_groups(keys), full_width, style) if keys else 0.0
    # plotly.js draws a title of several lines about 0.7 em higher than a one-line title,
    # cutting the first line off at the top: push it down by as much
    title_shift = style.title * 0.72 if len(title) > 1 else 0
    title_px = title_shift + style.title * 1.3 * len(title) + style.subtitle * 1.4 * len(subtitle) + 10
    top = round(style.pad + title_px + legend_px + 8 + style.small * 1.6)  # and the axis label above the plot
    axis_px = style.tick * 2.2 + 6
    line_px = style.small * 1.3
    room = height - top - axis_px - key_px - style.pad - MIN_PLOT_SHARE * height
    footer = footer_lines(shown, view, full_width, style, max(int(room // line_px), 1), credit, static, latest,
                          not_drawn if data else [])
    bottom = round(axis_px + key_px + line_px * len(footer) + style.pad)
    left = round(style.tick * (4.6 if not narrow else 3.4))
    plot_h = height - top - bottom
    labels, label_font = fit_labels(end_labels(dataset, latest, narrow), plot_h, axis_px, style)
    right = round(max(label_width(labels, label_font, style), style.pad))
    plot_w = width - left - right

    lo, hi = view.start - 0.06, view.end + 1.06
    yaxis, y_top, y_bottom = y_axis(view, shown, measured, narrow, style)
    if data:
        shapes, annotations = event_shapes(shown_events(dataset, view), (lo, hi), plot_w, style)
        shapes += reference_shapes(view)
        annotations.append(axis_label_annotation(view, left, style))
    else:
        shapes, annotations = [], [empty_message(not_drawn, style, width)]
    label_notes, leaders = label_annotations(labels, label_font, y_top, plot_h, axis_px, plot_w, style, y_bottom)
    annotations += label_notes
    shapes += leaders
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
        legend2={"orientation": "h", "x": style.pad / width, "xref": "container", "xanchor": "left",
                 "y": (bottom - axis_px) / height, "yref": "container", "yanchor": "top",
                 "font": {"size": style.subtitle * 0.95, "color": MUTED}, "bgcolor": "rgba(0,0,0,0)",
                 "itemwidth": 30, "traceorder": "normal"},
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
    return {"data": [*data, *legend, *keys], "layout": layout}


def figure_dates(figure: go.Figure) -> list[str]:
    """The ISO dates of every point drawn (tests and the page read which figures are on the chart)."""
    return [d for trace in figure.data for d in (trace.customdata or ()) if d]
