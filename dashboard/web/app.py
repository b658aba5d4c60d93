"""create_app(settings) -> dash.Dash: wires the layout, callbacks and routes to the core."""
from __future__ import annotations

from pathlib import Path

import dash
from dash import Input, Output, State, html
from flask import Flask, Response, has_request_context, request

from dashboard.chart import plotly_bundle
from dashboard.config import Settings
from dashboard.core.dataset import BUNDLED_DATA_PATH, DatasetCache
from dashboard.core.memo import ResultCache
from dashboard.core.problems import DataError
from dashboard.core.selection import shown_counts
from dashboard.core.view import resolve, view_from_dict, view_from_link
from dashboard.export.data_download import safe_csv
from dashboard.web import (
    callback_guard,
    crawlers,
    export_panel,
    first_paint,
    ids,
    publish,
    repair,
    security,
    share_panel,
    sign_in,
    update_panel,
)
from dashboard.web.access_check import is_editor
from dashboard.web.chart_callbacks import register_callbacks
from dashboard.web.counts_table import figures_table, related_table, table_data
from dashboard.web.data_banner import banner
from dashboard.web.inputs import view_dict
from dashboard.web.layout import page
from dashboard.web.page_scripts import REGENERATOR_URL_PATH, page_scripts, regenerator_bytes

ASSETS = Path(__file__).parent / "assets"
PANEL_MODULES: list = [export_panel, update_panel]
# The chart's plotly.js: the basic bundle, a quarter of the full one (chart/plotly_bundle.py). Its
# name carries its version, so browsers may keep it for good.
PLOTLY_JS_PATH = f"_plotly/{plotly_bundle.FILENAME}"
PLOTLY_JS_MAX_AGE = 365 * 24 * 3600


def ids_script() -> str:
    """The page's one inline script of its own (allowed by its hash in the CSP)."""
    return f"window.DASHBOARD_IDS = {ids.as_json()};"


def index_string() -> str:
    """The page: the plain first paint and Dash's entry point in the body (first_paint.py fills
    {%app_entry%}), Dash's scripts deferred in {%scripts%} (first_paint.boot_scripts)."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n{%metas%}\n<title>{%title%}</title>\n{%favicon%}\n"
        "{%css%}\n</head>\n<body>\n"
        "{%app_entry%}\n<footer>\n{%config%}\n"
        # the component ids for the page's scripts (assets and clientside callbacks), before them
        + f"<script>{ids_script()}</script>\n"
        + "{%scripts%}\n"
        "{%renderer%}\n</footer>\n</body>\n</html>")


class DashboardApp(dash.Dash):
    """Dash with the page's own list of scripts (web/page_scripts.py), deferred behind the plain
    first paint (web/first_paint.py)."""

    first_paint: first_paint.FirstPaint | None = None

    def interpolate_index(self, **kwargs: str) -> str:
        kwargs["scripts"] = page_scripts(kwargs.get("scripts", ""), self.config.requests_pathname_prefix)
        if self.first_paint is not None:
            kwargs = self.first_paint.index_parts(kwargs)
        return super().interpolate_index(**kwargs)


def open_data(settings: Settings) -> DatasetCache:
    """The data cache, falling back to the last good copy the store keeps when the file is broken.
    With no good version anywhere the server still starts: the page says the data is being
    corrected (web/repair.py) until an editor uploads a corrected file."""
    store = settings.store()
    cache = DatasetCache(settings.data_path, last_good=store.last_good_path, seed_dir=settings.seed_dir)
    try:
        cache.get()  # loaded at start-up, not on the first visitor
    except DataError:
        return cache
    if (not cache.problems() and settings.data_path.exists()
            and settings.data_path.resolve() != BUNDLED_DATA_PATH.resolve()):
        try:
            store.remember_good(settings.data_path.read_bytes())
        except OSError:
            pass  # a read-only data folder: the copy in memory still covers a break while serving
    return cache


def close_streamed_files_after_compression(server: Flask) -> None:
    """Flask-Compress (1.25) wraps a streamed file response (the assets) in a generator and never
    closes the file under it; keep the original iterable and close it with the response."""

    @server.after_request  # runs before Flask-Compress's own hook, which was registered first
    def keep_closable(response: Response) -> Response:
        original = response.response
        if response.is_streamed and hasattr(original, "close"):
            response.call_on_close(original.close)
        return response


def create_app(settings: Settings) -> dash.Dash:
    cache = open_data(settings)
    app = DashboardApp(__name__, assets_folder=str(ASSETS), title="British party membership",
                    compress=True, update_title=None,
                    # the panels' callbacks name components that arrive after the first render
                    suppress_callback_exceptions=True,
                    # the description and link-preview tags are the view's own (publish.py)
                    meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}])
    close_streamed_files_after_compression(app.server)
    app.server.extensions["membership_data"] = cache  # the command line asks it what it serves
    publish.attach(app, settings, cache)
    # Each panel module owns its layout and callbacks: attach() registers the callbacks and
    # returns a function (dataset, view) -> the panel's section of the page.
    panels = [module.attach(app, settings, cache) for module in PANEL_MODULES]

    pages: ResultCache[html.Div] = ResultCache(64)
    prefix = app.config.requests_pathname_prefix

    def layout_for(query: str, plain: bool = False) -> html.Div:
        """The page for a link's query. `plain`: for the first response's plain HTML, with the tables
        that the live page fills in once its chart is drawn."""
        dataset = cache.get()
        view, notices = view_from_link(query, dataset)

        def make() -> html.Div:
            tables = ((figures_table(table_data(dataset, shown_counts(dataset, view), view)), related_table(dataset))
                      if plain else (None, None))
            return page(dataset, view, notices, share_panel.section(dataset, view, prefix), *tables)
        notice = banner(cache.problems(), is_editor(settings) if has_request_context() else False)
        if notice is not None:
            layout = make()  # made afresh: it is changed here
            layout.children.insert(0, notice)  # above everything: the figures shown are not the file's
            return layout
        return pages.get((dataset.identity, view, tuple(notices), plain), make)

    def serve_layout():
        try:
            cache.get()
        except DataError:  # broken, and no good version kept: a notice, and for editors the way out
            return repair.page(cache.problems(), settings, prefix)
        # The query string of the page itself reaches the layout request as its referrer.
        referrer = request.referrer if has_request_context() else None
        return layout_for(referrer.split("?", 1)[1] if referrer and "?" in referrer else "")

    app.index_string = index_string()
    app.layout = serve_layout
    register_callbacks(app, cache)
    share_panel.register(app, cache, settings)

    # The panels (export, update) and the tables are put on the page once the chart is drawn: the
    # first render is only what a reader sees first, and the chart does not wait for what is below it.
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

    @app.callback(Output(ids.PANELS, "children"), Output(ids.RELATED_TABLE_WRAP, "children"),
                  Input(ids.CHART_DRAWN, "data"), State(ids.VIEW_STORE, "data"))
    def fill_panels(_drawn, stored):
        stored = view_dict(stored)
        dataset = cache.get()
        view = resolve(view_from_dict(stored), dataset)
        return [panel(dataset, view) for panel in panels], related_table(dataset)

    @app.server.get(f"{app.config.routes_pathname_prefix}{PLOTLY_JS_PATH}")
    def plotly_js():
        return Response(plotly_bundle.bundle_bytes(), mimetype="text/javascript",
                        headers={"Cache-Control": f"public, max-age={PLOTLY_JS_MAX_AGE}, immutable"})

    @app.server.get(f"{app.config.routes_pathname_prefix}{REGENERATOR_URL_PATH}")
    def regenerator_js():
        return Response(regenerator_bytes(), mimetype="text/javascript",
                        headers={"Cache-Control": f"public, max-age={PLOTLY_JS_MAX_AGE}, immutable"})

    @app.server.get("/data/membership.csv")
    def download_data():
        dataset = cache.get()  # the last good version while the file on disk is broken; else 503 (repair.py)
        return Response(safe_csv(dataset.counts), mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=membership.csv"})

    app.first_paint = first_paint.attach(app, settings, cache, layout_for, lambda: publish.public_base(settings),
                                         f"{prefix}{PLOTLY_JS_PATH}")
    crawlers.attach(app, settings, cache)
    sign_in.attach(app, settings)
    repair.attach(app, settings, cache)
    security.install(app, settings, [ids_script()])
    callback_guard.install(app)
    return app
