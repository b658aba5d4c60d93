"""The page's components. The chart is built on the server into the first response, so the page
draws it without waiting for a callback."""
from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard.chart.figure import figure_dict
from dashboard.chart.plot_config import PLOT_CONFIG
from dashboard.core.dataset import BASES, Dataset
from dashboard.core.view import View, view_to_dict
from dashboard.export.image import DEFAULT_PRESET, ExportSpec, filename_for, make_spec
from dashboard.web import ids, latest_panel

ANNOTATIONS = (("elections", "General elections"), ("leaders", "Leaders' terms"),
               ("other_dates", "Figures at other dates"))
GRAPH_CONFIG = PLOT_CONFIG
CHART_HEIGHT = 620


def party_options(dataset: Dataset) -> list[dict]:
    """Parties that have at least one figure, in the order of parties.csv."""
    with_figures = set(dataset.counts["party"])
    return [{"label": p.name, "value": p.slug} for p in dataset.parties.values() if p.slug in with_figures]


def year_marks(first: int, last: int) -> dict:
    """Round years only: the slider's number boxes already show the exact ends."""
    step = 10 if last - first > 30 else 5
    return {y: str(y) for y in range(first - first % step + step, last, step)}


def annotation_values(view: View) -> list[str]:
    return [key for key, _ in ANNOTATIONS if getattr(view, key)]


BASIS_OPTIONS = [{"label": basis.label, "value": slug} for slug, basis in BASES.items()]
BASES_GROUP: dict[str, Any] = {"aria-labelledby": ids.BASIS_SELECT_LABEL}


def basis_values(view: View) -> list[str]:
    """The bases ticked: every one when the view does not choose."""
    return list(view.bases or BASES)


def bases_from_values(values: list[str] | None) -> tuple[str, ...]:
    """The view's bases from the ticked boxes; none ticked shows every basis (the boxes say so again)."""
    return tuple(v for v in BASES if v in (values or ())) if values else ()


def notice(messages: list[str]) -> dict:
    """Props of the notice above the chart: hidden when there is nothing to say."""
    return {"children": " ".join(messages), "hidden": not messages}


def controls(dataset: Dataset, view: View) -> html.Div:
    first, last = dataset.year_bounds()
    return html.Div([
        html.Div([
            html.Label("Parties", htmlFor=ids.PARTY_SELECT),
            dcc.Dropdown(id=ids.PARTY_SELECT, options=party_options(dataset), value=list(view.parties),
                         multi=True, clearable=False, searchable=False),
        ], className="control parties"),
        html.Div([
            html.Label("Years", id=ids.YEAR_RANGE_LABEL),
            dcc.RangeSlider(id=ids.YEAR_RANGE, min=first, max=last, step=1, value=[view.start, view.end],
                            marks=year_marks(first, last), allowCross=False, updatemode="mouseup",
                            tooltip={"placement": "bottom", "always_visible": False}),
        ], className="control years"),
        html.Div([
            html.Span("Show", className="label"),
            dcc.Checklist(id=ids.ANNOTATIONS, options=[{"label": label, "value": key} for key, label in ANNOTATIONS],
                          value=annotation_values(view), inline=True),
        ], className="control annotations"),
        html.Div([
            html.Span("Figures from", className="label", id=ids.BASIS_SELECT_LABEL),
            dcc.Checklist(id=ids.BASIS_SELECT, options=BASIS_OPTIONS, value=basis_values(view), inline=True),
        ], className="control bases", role="group", **BASES_GROUP),
    ], className="controls")


def chart_config(view: View, spec: ExportSpec) -> dict:
    """The chart's config with its camera button set to an export size (drawn in the reader's browser)."""
    name = filename_for(view, spec.format).rsplit(".", 1)[0]
    return {**GRAPH_CONFIG, "toImageButtonOptions": {"format": spec.format, "width": spec.width,
                                                     "height": spec.height, "scale": spec.scale, "filename": name}}


def chart(dataset: Dataset, view: View) -> dcc.Graph:
    config = chart_config(view, make_spec(preset=DEFAULT_PRESET))
    return dcc.Graph(id=ids.CHART, figure=figure_dict(dataset, view, height=CHART_HEIGHT), config=config,
                     style={"height": f"{CHART_HEIGHT}px"}, className="chart")


def page(dataset: Dataset, view: View, notices: list[str] | None = None) -> html.Div:
    """The whole page for a resolved view; `notices` say what a shared link asked for that could not
    be shown. What is below the chart (the panels, the tables of figures) is put on the page once the
    chart is drawn: the first render is what a reader sees first, and the chart does not wait for it."""
    return html.Div([
        dcc.Location(id=ids.LOCATION, refresh=False),
        dcc.Store(id=ids.VIEW_STORE, data=view_to_dict(view)),
        dcc.Store(id=ids.DATA_VERSION, data=dataset.version),
        dcc.Store(id=ids.VIEWPORT_WIDTH),
        dcc.Store(id=ids.CHART_DRAWN),
        dcc.Store(id=ids.FIGURES_TABLE_DATA),
        dcc.Store(id=ids.FIGURES_TABLE_DRAWN),
        html.Header([
            html.H1("British party membership"),
            html.P(["Individual members of the Labour Party at the end of each year since 1989, "
                    "with other parties and figures reported at other dates. Every figure carries its "
                    "source: hover a point or read the table."], className="lede"),
        ]),
        html.Main([
            controls(dataset, view),
            html.P(id=ids.VIEW_NOTICE, className="notice view-notice", role="status", **notice(notices or [])),
            chart(dataset, view),
            latest_panel.panel(dataset, view),
            html.Div(id=ids.PANELS, className="panels"),
            html.Section([
                html.H2("The figures shown"),
                html.Div(id=ids.FIGURES_TABLE_WRAP),
            ], className="panel"),
            html.Section([
                html.Details([
                    html.Summary("Related figures that are not member counts"),
                    html.P("Registered and affiliated supporters and leadership-election votes. They are "
                           "never added to a membership line.", className="hint"),
                    html.Div(id=ids.RELATED_TABLE_WRAP),
                ]),
            ], className="panel"),
        ]),
        html.Footer(html.P(["Figures: party annual reports and accounts to the Electoral Commission, "
                            "as reported by the House of Commons Library and the press. ",
                            html.A("Download the data (CSV)", href="/data/membership.csv")])),
    ], className="page")
