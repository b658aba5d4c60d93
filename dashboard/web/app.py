"""create_app(settings) -> dash.Dash: wires the layout, callbacks and routes to the core."""
from __future__ import annotations

from pathlib import Path

import dash
from dash import Input, Output, State
from flask import has_request_context, request

from dashboard.config import Settings
from dashboard.core.dataset import DatasetCache
from dashboard.core.view import resolve, view_from_dict, view_from_link
from dashboard.web import export_panel, ids, share_panel, update_panel
from dashboard.web.chart_callbacks import register_callbacks
from dashboard.web.layout import page

ASSETS = Path(__file__).parent / "assets"
PANEL_MODULES: list = [export_panel, update_panel]
# The chart needs plotly.js and dcc's lazy chunks; the renderer asks for them only after it has
# fetched the layout. Preloading starts the downloads with the page instead.
PRELOADED_SCRIPTS = ("plotly/package_data/plotly.min.js", "dash/dcc/async-graph.js",
                     "dash/dcc/async-dropdown.js", "dash/dcc/async-slider.js", "dash/dcc/async-upload.js")


def index_string(prefix: str) -> str:
    links = "".join(f'<link rel="preload" as="script" href="{prefix}_dash-component-suites/{path}">'
                    for path in PRELOADED_SCRIPTS)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n{%metas%}\n<title>{%title%}</title>\n{%favicon%}\n"
        + links + "\n{%css%}\n</head>\n<body>\n{%app_entry%}\n<footer>\n{%config%}\n"
        # the component ids for the page's scripts (assets and clientside callbacks), before them
        + f"<script>window.DASHBOARD_IDS = {ids.as_json()};</script>\n"
        + "{%scripts%}\n"
        "{%renderer%}\n</footer>\n</body>\n</html>")


def create_app(settings: Settings) -> dash.Dash:
    cache = DatasetCache(settings.data_path)
    cache.get()  # fail at start-up, not on the first visitor, if the data is broken
    app = dash.Dash(__name__, assets_folder=str(ASSETS), title="British party membership",
                    compress=True, update_title=None,
                    # the panels' callbacks name components that arrive after the first render
                    suppress_callback_exceptions=True,
                    meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"},
                               {"name": "description", "content": "Labour Party membership at year end since 1989, "
                                "with other parties, every figure with its source."}])
    # Each panel module owns its layout and callbacks: attach() registers the callbacks and
    # returns a function (dataset, view) -> the panel's section of the page.
    panels = [module.attach(app, settings, cache) for module in PANEL_MODULES]

    def serve_layout():
        dataset = cache.get()
        # The query string of the page itself reaches the layout request as its referrer.
        referrer = request.referrer if has_request_context() else None
        query = referrer.split("?", 1)[1] if referrer and "?" in referrer else ""
        view, notices = view_from_link(query, dataset)
        return page(dataset, view, notices, share_panel.section(dataset, view))

    app.index_string = index_string(app.config.requests_pathname_prefix)
    app.layout = serve_layout
    register_callbacks(app, cache)
    share_panel.register(app, cache)

    # The panels (export, update) are put on the page once the chart is drawn: the first render is
    # only what a reader sees first, and the chart does not wait for the forms below it.
    app.clientside_callback(
        """function(_) {
            return new Promise(resolve => {
                const drawn = () => document.querySelector('#' + window.DASHBOARD_IDS.CHART + ' .main-svg .infolayer');
                if (drawn()) { return resolve(true); }
                const observer = new MutationObserver(() => {
                    if (drawn()) { observer.disconnect(); resolve(true); }
                });
                observer.observe(document.body, {childList: true, subtree: true});
                setTimeout(() => { observer.disconnect(); resolve(true); }, 5000);
            });
        }""",
        Output(ids.CHART_DRAWN, "data"),
        Input(ids.LOCATION, "pathname"),
    )

    @app.callback(Output(ids.PANELS, "children"), Input(ids.CHART_DRAWN, "data"), State(ids.VIEW_STORE, "data"))
    def fill_panels(_drawn, stored):
        dataset = cache.get()
        view = resolve(view_from_dict(stored), dataset)
        return [panel(dataset, view) for panel in panels]

    return app
