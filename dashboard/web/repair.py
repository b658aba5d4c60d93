"""The page while the data file is broken and no good version of it is kept anywhere: the server
stays up (readers read that the data is being corrected; images and downloads answer 503 with
Retry-After), and an editor sees every located problem and can upload a corrected copy, which
replaces the file through the store (validated first, recorded, undoable). `membership check`
stays strict: this only keeps the site up while someone fixes the file.
"""
from __future__ import annotations

from collections.abc import Callable

import dash
from dash import Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate
from flask import Response

from dashboard.config import Settings
from dashboard.core.dataset import DatasetCache
from dashboard.core.problems import DataError, Problem
from dashboard.updates.filekind import human_size
from dashboard.updates.store import HasProblems, Refused, Store
from dashboard.web import ids
from dashboard.web.access_check import access_refusal, is_editor, signed_in, who
from dashboard.web.sign_in import sign_in_link, sign_out_form
from dashboard.web.update_panel import decode_upload

RETRY_AFTER_S = 300
SHOWN_PROBLEMS = 50
REPAIR_UPLOAD = "repair-upload"
REPAIR_STATUS = "repair-status"
REPAIR_RELOAD = "repair-reload"
REPAIR_SIGN_OUT = "repair-sign-out"
BEING_CORRECTED = "The data behind this dashboard is being corrected. Please come back in a few minutes."


def unavailable(_error: DataError | None = None) -> Response:
    """What an image, embed or data route answers meanwhile."""
    return Response(BEING_CORRECTED + "\n", status=503, mimetype="text/plain",
                    headers={"Retry-After": str(RETRY_AFTER_S), "Cache-Control": "no-store"})


def problem_list(problems: list[Problem]) -> html.Ul:
    shown = [html.Li(str(p)) for p in problems[:SHOWN_PROBLEMS]]
    if len(problems) > SHOWN_PROBLEMS:
        shown.append(html.Li(f"… and {len(problems) - SHOWN_PROBLEMS:,} more (membership check lists them all)"))
    return html.Ul(shown, className="problems")


def page(problems: list[Problem], settings: Settings, prefix: str = "/") -> html.Div:
    """Readers: a notice. Editors: the problems and an upload of the corrected file. `prefix` is
    the dashboard's own path (requests_pathname_prefix)."""
    sign_out = [sign_out_form(REPAIR_SIGN_OUT)] if signed_in(settings) else []
    header = html.Header([html.H1("British party membership"), *sign_out], className="repair-heading update")
    if not is_editor(settings):
        sign_in = ([html.P(html.A("Sign in to correct it", href=sign_in_link(prefix, prefix), id=ids.SIGN_IN_LINK))]
                   if settings.password_required else [])
        notice = html.P(BEING_CORRECTED, id=ids.DATA_BANNER, className="data-banner", role="status")
        return html.Div([header, html.Main([notice, *sign_in])], className="page repair-page")
    return html.Div([header, html.Main([
        html.Div([
            html.P([html.Strong("The data file has problems and no earlier good version is kept, "),
                    "so nothing can be shown until it is corrected. Fix these (membership check lists them), "
                    "then upload the corrected file here; it replaces the broken one, and Undo in the history "
                    "puts the broken one back."]),
            problem_list(problems),
        ], id=ids.DATA_BANNER, className="data-banner", role="alert"),
        html.Section([
            html.H2("Upload the corrected file"),
            dcc.Upload(id=REPAIR_UPLOAD, accept=".csv", multiple=False, max_size=-1,
                       children=html.Div(["Drop the corrected membership.csv here, or ",
                                          html.Span("choose it", className="link")]),
                       className="dropzone"),
            html.P(f"The whole data file, up to {human_size(settings.max_upload_bytes)}: it is checked as "
                   "membership check checks it before anything is written.", className="hint"),
            dcc.Loading(html.Div(id=REPAIR_STATUS, role="status", className="status"), type="dot"),
            html.A("Open the dashboard", href=prefix, id=REPAIR_RELOAD, hidden=True, className="button-link"),
        ], className="panel update"),
    ])], className="page repair-page")


def corrected(store: Store, dataset_of: Callable[[], object], contents: str, filename: str | None,
              max_bytes: int, editor: str) -> tuple[html.Div | html.P, bool]:
    """Replace the broken data file with the uploaded copy once it validates: (what the editor reads, whether
    the Reload link stays hidden). Every problem of a copy that does not validate is listed."""
    name, data, error = decode_upload({"filename": filename, "contents": contents}, max_bytes)
    if data is None:
        return html.P(error, className="error"), True
    try:
        entry = store.replace_broken(data, source=name, who=editor)
    except HasProblems as exc:
        return html.Div([html.P(f"Nothing was changed: {exc}.", className="error"), problem_list(exc.problems)]), True
    except Refused as exc:
        return html.P(f"Nothing was changed: {exc}.", className="error"), True
    dataset_of()  # serve it now (raises if it does not load: then the 503 says so)
    return html.P(f"Replaced the broken data file with {name} (change #{entry.id}): the dashboard is back.",
                  className="ok"), False


def attach(app: dash.Dash, settings: Settings, cache: DatasetCache) -> None:
    """The 503 answers for routes that need data, and the editor's upload of a corrected file."""
    app.server.register_error_handler(DataError, unavailable)
    store = settings.store()

    @app.callback(Output(REPAIR_STATUS, "children"), Output(REPAIR_RELOAD, "hidden"),
                  Input(REPAIR_UPLOAD, "contents"), State(REPAIR_UPLOAD, "filename"), prevent_initial_call=True)
    def upload_corrected(contents, filename):
        if not isinstance(contents, str) or not (filename is None or isinstance(filename, str)):
            raise PreventUpdate
        refusal = access_refusal(settings)
        if refusal:
            return html.P(refusal, className="error"), True
        return corrected(store, cache.get, contents, filename, settings.max_upload_bytes, who(settings))
