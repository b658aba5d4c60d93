"""The page's callbacks: they only translate between components and the core (view, figures)."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from dash import Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate

from dashboard.chart.figure import build_figure
from dashboard.core.dataset import DatasetCache
from dashboard.core.selection import shown_counts
from dashboard.core.view import resolve, view_from_dict, view_from_query, view_to_dict, view_to_query
from dashboard.web import ids
from dashboard.web.counts_table import counts_table
from dashboard.web.layout import ANNOTATIONS, CHART_HEIGHT, annotation_values, year_marks

CONTROL_IDS = (ids.PARTY_SELECT, ids.YEAR_RANGE, ids.ANNOTATIONS)
DEFAULT_WIDTH = 1200


def register_callbacks(app, cache: DatasetCache) -> None:
    # The chart is drawn for a desktop width on the server; a phone tells its width once so the
    # titles and source line are wrapped to fit it.
    app.clientside_callback(
        """function(_) {
            const chart = document.getElementById(window.DASHBOARD_IDS.CHART);
            const width = chart && chart.clientWidth ? chart.clientWidth : window.innerWidth;
            return width < 700 ? width : window.dash_clientside.no_update;
        }""",
        Output(ids.VIEWPORT_WIDTH, "data"),
        Input(ids.LOCATION, "pathname"),
    )

    @app.callback(
        Output(ids.PARTY_SELECT, "value"), Output(ids.YEAR_RANGE, "value"), Output(ids.ANNOTATIONS, "value"),
        Output(ids.YEAR_RANGE, "min"), Output(ids.YEAR_RANGE, "max"), Output(ids.YEAR_RANGE, "marks"),
        Output(ids.CHART, "figure"), Output(ids.FIGURES_TABLE_WRAP, "children"),
        Output(ids.VIEW_STORE, "data"), Output(ids.LOCATION, "search"),
        Input(ids.LOCATION, "search"), Input(ids.PARTY_SELECT, "value"), Input(ids.YEAR_RANGE, "value"),
        Input(ids.ANNOTATIONS, "value"), Input(ids.VIEWPORT_WIDTH, "data"), Input(ids.DATA_VERSION, "data"),
        State(ids.VIEW_STORE, "data"),
    )
    def sync_view(search, parties, years, annotations, width, _version, stored):
        """One view drives everything: the URL sets the controls, the controls set the URL."""
        triggered = {prop.split(".")[0] for prop in ctx.triggered_prop_ids}
        dataset = cache.get()
        if ids.LOCATION in triggered and search and search != view_to_query(view_from_dict(stored)):
            view = view_from_query(search)
        elif triggered & set(CONTROL_IDS):
            flags: dict[str, Any] = {key: key in (annotations or []) for key, _ in ANNOTATIONS}
            start, end = (years or [None, None])[:2]
            view = replace(view_from_dict(stored), parties=tuple(parties or ()), start=start, end=end, **flags)
        elif width or ids.DATA_VERSION in triggered:
            view = view_from_dict(stored)
        else:
            raise PreventUpdate
        view = resolve(view, dataset)
        first, last = dataset.year_bounds()
        figure = build_figure(dataset, view, width=width or DEFAULT_WIDTH, height=CHART_HEIGHT)
        query = view_to_query(view)
        return (list(view.parties), [view.start, view.end], annotation_values(view),
                first, last, year_marks(first, last), figure,
                counts_table(dataset, shown_counts(dataset, view)), view_to_dict(view),
                query if query != search else no_update)
