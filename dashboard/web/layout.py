"""The page's components. The chart comes first: beside the controls on a laptop, under a bar that
opens them as a drawer on a phone, with the latest figures under it and the panels after. The same
tree is the live page (Dash renders it) and the first response's plain HTML (first_paint.py), so
the two are laid out alike. The chart's figure is built on the server into the layout, laid out for
the width of its box (chart/screen_sizes.py), so the page draws it without waiting for a callback."""
from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard.chart.alt_text import alt_text
from dashboard.chart.captions import chart_caveat, default_title
from dashboard.chart.figure import figure_dict
from dashboard.chart.measure_labels import MEASURE_CHOICES, span_text
from dashboard.chart.plot_config import PLOT_CONFIG
from dashboard.chart.screen_sizes import PAGE_CHART_HEIGHT, PAGE_DESKTOP
from dashboard.core.dataset import BASES, Dataset
from dashboard.core.marks import outside_years
from dashboard.core.measures import INDEX, MEMBERS, YEAR_END_ONLY
from dashboard.core.view import Notice, View, view_to_dict
from dashboard.export.image import DEFAULT_PRESET, ExportSpec, filename_for, make_spec
from dashboard.web import ids, latest_panel
from dashboard.web.fields import field

ANNOTATIONS = (("elections", "General elections"), ("leaders", "Leaders' terms"),
               ("other_dates", "Figures at other dates"))
GRAPH_CONFIG = PLOT_CONFIG
CHART_HEIGHT = PAGE_CHART_HEIGHT
LEDE = ("Individual members of the Labour Party at the end of each year since 1989, with other parties and "
        "figures reported at other dates. Every figure carries its source: hover a point or read the table.")


def party_options(dataset: Dataset) -> list[dict]:
    """Parties that have at least one figure, in the order of parties.csv.

    Each label starts with a space: dcc.Dropdown shows the chosen names side by side with a
    comma drawn by CSS, so without it their text runs together ("LabourSNP") for speech input
    and the accessibility audit; on screen the space is collapsed into the comma's."""
    with_figures = set(dataset.counts["party"])
    return [{"label": " " + p.name, "value": p.slug} for p in dataset.parties.values() if p.slug in with_figures]


def year_marks(first: int, last: int) -> dict:
    """Round years only: the slider's number boxes already show the exact ends."""
    step = 10 if last - first > 30 else 5
    return {y: str(y) for y in range(first - first % step + step, last, step)}


def annotation_values(view: View) -> list[str]:
    """The switches that are on; figures at other dates show as off where the measure cannot draw them."""
    return [key for key, _ in ANNOTATIONS if getattr(view, key)
            and not (key == "other_dates" and view.measure in YEAR_END_ONLY)]


def annotation_options(view: View) -> list[dict]:
    """Figures at other dates can be switched on only where the measure can show them."""
    return [{"label": label, "value": key, "disabled": key == "other_dates" and view.measure in YEAR_END_ONLY}
            for key, label in ANNOTATIONS]


BASIS_OPTIONS = [{"label": basis.label, "value": slug} for slug, basis in BASES.items()]


def basis_values(view: View) -> list[str]:
    """The bases ticked: every one when the view does not choose."""
    return list(view.bases or BASES)


def bases_from_values(values: list[str] | None) -> tuple[str, ...]:
    """The view's bases from the ticked boxes; none ticked shows every basis (the boxes say so again)."""
    return tuple(v for v in BASES if v in (values or ())) if values else ()


def notice(messages: list[str]) -> dict[str, Any]:
    """Props of the notice above the chart: hidden when there is nothing to say."""
    return {"children": " ".join(messages), "hidden": not messages}


def log_scale_options(view: View) -> list[dict]:
    return [{"label": "Log scale", "value": "log", "disabled": view.measure != MEMBERS}]


def year_box(label: str, component_id: str, value: int | None) -> html.Div:
    """A labelled year box; its value is taken on Enter (or on leaving it)."""
    return field(label, dcc.Input(id=component_id, type="number", value=value, debounce=True, step=1,
                                  inputMode="numeric", className="year-box"), class_name="year-field")


def notice_text(notices: list[Notice]) -> str:
    """The short visible notice of what a link asked for that the view could not give."""
    return ("Part of this link could not be used: " + " ".join(n.text for n in notices)) if notices else ""


def view_summary(dataset: Dataset, view: View) -> str:
    """The view in a few words, for the phone's bar above the chart: 'Labour, SNP · 1989–2025 · Members'."""
    names = [dataset.parties[slug].name if slug in dataset.parties else slug for slug in view.parties]
    parties = ", ".join(names) if len(names) <= 2 else f"{len(names)} parties"
    measure = dict(MEASURE_CHOICES).get(view.measure, view.measure)
    return f"{parties} · {span_text(view)} · {measure}"


def view_bar(dataset: Dataset, view: View) -> html.Div:
    """On a phone, above the chart: what it shows, and the button that opens the controls."""
    return html.Div([
        html.P(view_summary(dataset, view), id=ids.VIEW_SUMMARY, className="view-summary"),
        html.Button("Change the view", id=ids.CONTROLS_TOGGLE, n_clicks=0, type="button", className="controls-toggle",
                    **{"aria-expanded": "false", "aria-controls": ids.CONTROLS}),
    ], className="view-bar")


def view_notice(view: View, link_notices: list[Notice] | None = None) -> dict[str, Any]:
    """The notice above the chart: what of a link could not be used, and the writer's marks that
    fall outside the years shown (never dropped silently)."""
    outside = outside_years(view.marks, view.highlights, view.start or 0, view.end or 0)
    text = " ".join([notice_text(link_notices or []), *outside]).strip()
    return {"notice": text, "notice_hidden": not text}


def controls(dataset: Dataset, view: View) -> html.Div:
    first, last = dataset.year_bounds()
    return html.Div([
        html.Div([
            html.H2("Change the view", className="drawer-title"),
            html.Button("Done", id=ids.CONTROLS_CLOSE, n_clicks=0, type="button", className="controls-close"),
        ], className="drawer-head"),
        html.Div([
            html.Label("Parties", htmlFor=ids.PARTY_SELECT, id=ids.PARTY_LABEL),
            dcc.Dropdown(id=ids.PARTY_SELECT, options=party_options(dataset), value=list(view.parties),
                         multi=True, clearable=False, searchable=True, placeholder="Choose parties",
                         labels={"selected_count": " {num_selected} selected"}),
            html.P("Type a name to find a party; arrow keys move, Space or Enter chooses.", className="hint"),
        ], className="control parties"),
        html.Div([
            html.Span("Years", className="label", id=ids.YEAR_RANGE_LABEL),
            dcc.RangeSlider(id=ids.YEAR_RANGE, min=first, max=last, step=1, value=[view.start, view.end],
                            marks=year_marks(first, last), allowCross=False, updatemode="mouseup",
                            allow_direct_input=False, tooltip={"placement": "bottom", "always_visible": False}),
            html.Div([year_box("First year", ids.YEAR_FROM, view.start), year_box("Last year", ids.YEAR_TO, view.end)],
                     className="year-boxes"),
            html.P(id=ids.YEAR_MESSAGE, className="control-message", role="status"),
        ], className="control years"),
        html.Fieldset([
            html.Legend("Measure"),
            dcc.RadioItems(id=ids.MEASURE, options=[{"label": label, "value": key} for key, label in MEASURE_CHOICES],
                           value=view.measure, inline=True, className="choices"),
            html.Div([
                html.Div(year_box("Base year (= 100)", ids.BASE_YEAR, view.base_year), id=ids.BASE_YEAR_WRAP,
                         hidden=view.measure != INDEX),
                dcc.Checklist(id=ids.LOG_SCALE, options=log_scale_options(view), value=["log"] if view.log_scale else [],
                              inline=True, className="choices"),
            ], className="measure-options"),
            html.P(id=ids.MEASURE_MESSAGE, className="control-message", role="status"),
        ], className="control measure"),
        html.Fieldset([
            html.Legend("Show"),
            dcc.Checklist(id=ids.ANNOTATIONS, options=annotation_options(view), value=annotation_values(view),
                          inline=True, className="choices"),
        ], className="control annotations"),
        html.Fieldset([
            html.Legend("Figures from", id=ids.BASIS_SELECT_LABEL),
            dcc.Checklist(id=ids.BASIS_SELECT, options=BASIS_OPTIONS, value=basis_values(view), inline=True,
                          className="choices"),
        ], className="control bases"),
    ], id=ids.CONTROLS, className="controls", role="region", **{"aria-label": "Change the view"})


def chart_config(view: View, spec: ExportSpec) -> dict:
    """The chart's config with its camera button set to an export size (drawn in the reader's browser)."""
    name = filename_for(view, spec.format).rsplit(".", 1)[0]
    return {**GRAPH_CONFIG, "toImageButtonOptions": {"format": spec.format, "width": spec.width,
                                                     "height": spec.height, "scale": spec.scale, "filename": name}}


def chart_description(dataset: Dataset, view: View) -> str:
    """The chart's accessible description: its alt text, and where to find every figure."""
    return alt_text(dataset, view) + " Every figure, with its source, is in the table “The figures shown” below the chart."


def page_figure(dataset: Dataset, view: View, width: int | None = None) -> dict:
    """The chart's figure laid out for a box `width` px wide (a laptop's by default). It says the
    width it was laid out for (layout.meta), so the page can tell when the figure fits its box."""
    width = width or PAGE_DESKTOP.width
    figure = figure_dict(dataset, view, width=width, height=CHART_HEIGHT)
    figure["layout"]["meta"] = {"laid_out_for": width}
    return figure


def chart(dataset: Dataset, view: View) -> html.Figure:
    """The chart, named by its title and described by its alt text for screen readers. Its box has
    the size of the screen's chart (CSS from chart/screen_sizes.py), before and after it is drawn."""
    config = chart_config(view, make_spec(preset=DEFAULT_PRESET))
    return html.Figure([
        html.Div(dcc.Graph(id=ids.CHART, figure=page_figure(dataset, view), config=config, className="chart"),
                 className="chart-box"),
        html.P(chart_caveat(dataset, view), id=ids.CHART_CAVEAT, className="chart-caveat",
               hidden=not chart_caveat(dataset, view)),
        html.P(chart_description(dataset, view), id=ids.CHART_ALT, className="visually-hidden"),
    ], id=ids.CHART_FIGURE, className="chart-figure",
        **{"aria-label": view.title or default_title(dataset, view), "aria-describedby": ids.CHART_ALT})


def page(dataset: Dataset, view: View, notices: list[Notice] | None = None, share: html.Section | None = None,
         figures_table: Any = None, related: Any = None) -> html.Div:
    """The whole page for a resolved view. `notices` say what of the link that opened the page could
    not be used; `share` is the "Share and download" section (share_panel.py).

    Dash's first render is what a reader sees first: the tables (`figures_table`, `related`) and the
    panels are filled in once the chart is drawn. The first response's plain HTML (first_paint.py)
    is the same tree with the tables given. What arrives later comes after what is there at once."""
    link_notices = notices or []
    return html.Div([
        # refresh=False: the callback that sets the URL draws the view itself; each new search
        # is pushed onto the history (Back/Forward come back as a new search, see chart_callbacks)
        dcc.Location(id=ids.LOCATION, refresh=False),
        dcc.Store(id=ids.VIEW_STORE, data=view_to_dict(view)),
        dcc.Store(id=ids.DATA_VERSION, data=dataset.version),
        dcc.Store(id=ids.VIEWPORT_WIDTH),
        dcc.Store(id=ids.MARKS_EDIT),  # the writer's notes after an edit in the Export panel (marks_panel.py)
        dcc.Store(id=ids.CHART_CLICK),  # where the chart was clicked (assets/marks.js)
        dcc.Store(id=ids.CHART_DRAWN),
        dcc.Store(id=ids.FIGURES_TABLE_DATA),
        dcc.Store(id=ids.FIGURES_TABLE_DRAWN),
        html.Header(html.H1("British party membership")),
        html.Main([
            html.P(view_notice(view, link_notices)["notice"], id=ids.VIEW_NOTICE, className="view-notice",
                   role="status", hidden=view_notice(view, link_notices)["notice_hidden"]),
            view_bar(dataset, view),
            # in the order they are seen: the plain page is painted while its HTML still arrives, and a part
            # parsed later but shown above one already painted would push it down (a layout shift)
            html.Div([
                controls(dataset, view),
                chart(dataset, view),
                latest_panel.panel(dataset, view),
                html.P(LEDE, className="lede"),
            ], className="chart-first"),
            html.Section([
                html.H2("The figures shown"),
                html.Div(figures_table, id=ids.FIGURES_TABLE_WRAP, className="figures-table-wrap"),
            ], className="panel figures-panel"),
            *([share] if share is not None else []),
            html.Div(id=ids.PANELS, className="panels"),
            html.Section([
                html.Details([
                    html.Summary("Related figures that are not member counts"),
                    html.P("Registered and affiliated supporters and leadership-election votes. They are "
                           "never added to a membership line.", className="hint"),
                    html.Div(related, id=ids.RELATED_TABLE_WRAP),
                ]),
            ], className="panel"),
        ], className="dashboard"),
        html.Footer(html.P(["Figures: party annual reports and accounts to the Electoral Commission, "
                            "as reported by the House of Commons Library and the press. ",
                            html.A("Download the data (CSV)", href="/data/membership.csv")])),
    ], className="page")
