"""The page's callbacks: they only translate between components and the core (view, figures)."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from dash import ClientsideFunction, Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate

from dashboard.chart.figure import figure_dict
from dashboard.core.dataset import Dataset, DatasetCache
from dashboard.core.selection import shown_counts
from dashboard.core.view import View, query_notices, resolve, view_from_dict, view_from_query, view_to_dict, view_to_query
from dashboard.web import ids, latest_panel
from dashboard.web.counts_table import table_data
from dashboard.web.inputs import bad, text, texts, view_dict, year_pair
from dashboard.web.layout import (
    ANNOTATIONS,
    CHART_HEIGHT,
    annotation_values,
    bases_from_values,
    basis_values,
    notice,
    year_marks,
)
from dashboard.web.result_cache import ResultCache

CONTROL_IDS = (ids.PARTY_SELECT, ids.YEAR_RANGE, ids.ANNOTATIONS, ids.BASIS_SELECT)
DEFAULT_WIDTH = 1200


def register_callbacks(app, cache: DatasetCache) -> None:
    figures: ResultCache[dict] = ResultCache()
    tables: ResultCache[dict] = ResultCache()

    def table_for(dataset: Dataset, view: View) -> dict:
        return tables.get((dataset.version, id(dataset), view), lambda: table_data(dataset, shown_counts(dataset, view)))

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

    # the table of figures is drawn in the browser from plain rows (assets/figures_table.js)
    app.clientside_callback(ClientsideFunction(namespace="figures", function_name="draw"),
                            Output(ids.FIGURES_TABLE_DRAWN, "data"), Input(ids.FIGURES_TABLE_DATA, "data"))

    @app.callback(
        Output(ids.PARTY_SELECT, "value"), Output(ids.YEAR_RANGE, "value"), Output(ids.ANNOTATIONS, "value"),
        Output(ids.BASIS_SELECT, "value"),
        Output(ids.YEAR_RANGE, "min"), Output(ids.YEAR_RANGE, "max"), Output(ids.YEAR_RANGE, "marks"),
        Output(ids.CHART, "figure"), Output(ids.FIGURES_TABLE_DATA, "data"),
        Output(ids.VIEW_STORE, "data"), Output(ids.LOCATION, "search"),
        Output(ids.VIEW_NOTICE, "children"), Output(ids.VIEW_NOTICE, "hidden"),
        Input(ids.LOCATION, "search"), Input(ids.PARTY_SELECT, "value"), Input(ids.YEAR_RANGE, "value"),
        Input(ids.ANNOTATIONS, "value"), Input(ids.BASIS_SELECT, "value"), Input(ids.VIEWPORT_WIDTH, "data"),
        Input(ids.DATA_VERSION, "data"), Input(ids.CHART_DRAWN, "data"),
        State(ids.VIEW_STORE, "data"),
    )
    def sync_view(search, parties, years, annotations, bases, width, _version, _drawn, stored):
        """One view drives everything: the URL sets the controls, the controls set the URL."""
        search, parties, annotations = text(search, "the address"), texts(parties, "parties"), texts(annotations, "show")
        years, stored, bases = year_pair(years), view_dict(stored), texts(bases, "bases")
        if width is not None and (not isinstance(width, int) or isinstance(width, bool) or not 100 <= width <= 10_000):
            bad("the chart width")
        triggered = {prop.split(".")[0] for prop in ctx.triggered_prop_ids}
        dataset = cache.get()
        notices: dict | None = None  # None: leave the notice as it is
        if ids.LOCATION in triggered and search and search != view_to_query(view_from_dict(stored)):
            view = view_from_query(search)
            notices = notice(query_notices(search))
        elif triggered & set(CONTROL_IDS):
            flags: dict[str, Any] = {key: key in (annotations or []) for key, _ in ANNOTATIONS}
            start, end = (years or [None, None])[:2]
            view = replace(view_from_dict(stored), parties=tuple(parties or ()), start=start, end=end,
                           bases=bases_from_values(bases), **flags)
            notices = notice([])
        elif width or ids.DATA_VERSION in triggered:
            view = view_from_dict(stored)
        elif ids.CHART_DRAWN in triggered:
            # the page came with the chart only: its table of figures follows once the chart is drawn
            table = table_for(dataset, resolve(view_from_dict(stored), dataset))
            return (*(no_update,) * 8, table, *(no_update,) * 4)
        else:
            raise PreventUpdate
        view = resolve(view, dataset)
        first, last = dataset.year_bounds()
        width = width or DEFAULT_WIDTH
        figure = figures.get((dataset.version, id(dataset), view, width),
                             lambda: figure_dict(dataset, view, width=width, height=CHART_HEIGHT))
        query = view_to_query(view)
        notice_children, notice_hidden = (no_update, no_update) if notices is None else (
            notices["children"], notices["hidden"])
        return (list(view.parties), [view.start, view.end], annotation_values(view), basis_values(view),
                first, last, year_marks(first, last), figure, table_for(dataset, view), view_to_dict(view),
                query if query != search else no_update, notice_children, notice_hidden)

    latest_panel.register_callbacks(app, cache)
