"""The "Share and download" section under the chart: the link to this view (with a Copy button),
the figures shown as CSV and XLSX, the whole data set, and a citation that can be copied.

The page's own address is known only in the browser (a proxy may stand in front of the server),
so the server sends the view's query and the citation's words, and a clientside function
(assets/explore.js) puts the browser's address into the link and the citation.
"""
from __future__ import annotations

from typing import Any

import dash
from dash import ClientsideFunction, Input, Output, dcc, html
from flask import Response

from dashboard.config import Settings
from dashboard.core.dataset import Dataset, DatasetCache, last_changed
from dashboard.core.view import View, view_to_query
from dashboard.export.data_download import citation_parts, data_set_about, data_set_xlsx
from dashboard.export.image import filename_for
from dashboard.web import ids, publish

# The view's figures are served by publish.py (the embed's "Get the data" uses them too); the
# whole data set as CSV by app.py, as XLSX here.
VIEW_CSV, VIEW_XLSX = "data/view.csv", "data/view.xlsx"
ALL_CSV, ALL_XLSX = "/data/membership.csv", "/data/membership.xlsx"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def share_info(dataset: Dataset, view: View, prefix: str = "/") -> dict[str, Any]:
    """What the browser needs to write the link, the citation and the download addresses."""
    before, after = citation_parts(dataset, view, last_changed(dataset))
    return {"query": view_to_query(view), "cite": [before, after], "csv": prefix + VIEW_CSV,
            "xlsx": prefix + VIEW_XLSX}


def copy_field(label: str, component: Any, button_id: str, button_text: str) -> html.Div:
    return html.Div([html.Label(label, htmlFor=component.id), html.Div([
        component, html.Button(button_text, id=button_id, type="button", n_clicks=0, className="copy-button"),
    ], className="copy-row")], className="share-field")


def section(dataset: Dataset, view: View, prefix: str = "/") -> html.Section:
    """The section for the page's first view; its callbacks keep it in step with the chart."""
    query = view_to_query(view)
    info = share_info(dataset, view, prefix)
    return html.Section([
        html.H2("Share and download", id=ids.SHARE_HEADING),
        html.Div([
            copy_field("Link to this view", dcc.Input(id=ids.SHARE_LINK, type="text", readOnly=True, value=query,
                                                      className="share-text"), ids.COPY_LINK, "Copy link"),
            copy_field("Cite this chart", dcc.Textarea(id=ids.CITATION, readOnly=True, className="share-text citation"),
                       ids.COPY_CITATION, "Copy citation"),
        ], className="share-grid"),
        html.P(id=ids.COPY_STATUS, className="control-message", role="status"),
        html.P([
            "The figures shown, each with its date, basis, source and note: ",
            html.A("CSV", id=ids.DOWNLOAD_VIEW_CSV, href=info["csv"] + query, download=filename_for(view, "csv")),
            " · ",
            html.A("Excel (XLSX)", id=ids.DOWNLOAD_VIEW_XLSX, href=info["xlsx"] + query, download=filename_for(view, "xlsx")),
            ". The whole data set: ",
            html.A("CSV", id=ids.DOWNLOAD_ALL_CSV, href=ALL_CSV, download="membership.csv"),
            " · ",
            html.A("Excel (XLSX)", id=ids.DOWNLOAD_ALL_XLSX, href=ALL_XLSX, download="membership.xlsx"),
            ".",
        ], className="downloads"),
        dcc.Store(id=ids.SHARE_STORE, data=info),
        dcc.Store(id=ids.SHARE_APPLIED),
    ], id=ids.SHARE_PANEL, className="panel share-panel", **{"aria-labelledby": ids.SHARE_HEADING})


def attachment(data: bytes, name: str, mimetype: str) -> Response:
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def register(app: dash.Dash, cache: DatasetCache, settings: Settings) -> None:
    """The section's clientside callbacks (assets/explore.js) and the whole data set as XLSX."""
    app.clientside_callback(
        ClientsideFunction("explore", "share"),
        Output(ids.SHARE_LINK, "value"), Output(ids.CITATION, "value"),
        Output(ids.DOWNLOAD_VIEW_CSV, "href"), Output(ids.DOWNLOAD_VIEW_XLSX, "href"),
        Input(ids.SHARE_STORE, "data"),
    )
    app.clientside_callback(
        ClientsideFunction("explore", "copy"),
        Output(ids.COPY_STATUS, "children"),
        Input(ids.COPY_LINK, "n_clicks"), Input(ids.COPY_CITATION, "n_clicks"),
        prevent_initial_call=True,
    )

    @app.server.get(ALL_XLSX)
    def download_data_xlsx() -> Response:
        dataset = cache.get()  # the last good version while the file on disk is broken; else 503 (repair.py)
        page = publish.public_base(settings) + app.config.requests_pathname_prefix
        about = data_set_about(dataset, page, last_changed(dataset))
        return attachment(data_set_xlsx(dataset, about), "membership.xlsx", XLSX_MIME)
