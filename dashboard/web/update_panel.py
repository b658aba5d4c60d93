"""The "Update data" panel: one figure by hand or a CSV/XLSX upload -> preview -> apply -> undo.

It owns its layout and callbacks (attach() is what app.py's PANEL_MODULES expects). Callbacks only
translate: ingest reads, changes.diff previews, store writes. Every callback that could change
data checks access itself, on the server, and an apply recomputes the preview from the upload
instead of trusting anything the browser sends back. Upload text is only ever a Dash text child
(escaped), never markup.
"""
from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from dash import Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.config import Settings
from dashboard.core.dataset import BASES, Dataset, DatasetCache, basis_of
from dashboard.core.measures import YEAR_END_ONLY
from dashboard.core.view import View, default_range, view_from_dict, view_to_dict, view_to_query
from dashboard.updates import preview_apply
from dashboard.updates.cells import read_basis
from dashboard.updates.changes import Change, Preview, summary
from dashboard.updates.filekind import human_size
from dashboard.updates.ingest import FORM, Defaults
from dashboard.updates.preview_apply import Proposal, Shown
from dashboard.updates.store import Entry, Refused, Store
from dashboard.updates.wording import change_line, change_lines
from dashboard.web import ids
from dashboard.web.access_check import access_refusal, editing_off_reason, is_editor, signed_in, who
from dashboard.web.fields import field
from dashboard.web.sign_in import SIGN_OUT_PATH, sign_in_link

SHOWN_ROWS = 200
HISTORY_SHOWN = 15
# Flask refuses bigger requests outright: the upload travels as base64 (4/3) inside JSON, and an
# apply sends it once more; the margin covers the form fields and Dash's own payload.
REQUEST_MARGIN_BYTES = 256 * 1024
HIDDEN = {"display": "none"}
BASIS_CHOICES = [{"label": "Not given (say so in the preview)", "value": ""},
                 *({"label": b.label, "value": slug} for slug, b in BASES.items())]


def request_limit(settings: Settings) -> int:
    return settings.max_upload_bytes * 4 // 3 + REQUEST_MARGIN_BYTES


# ---------------------------------------------------------------- reading what the browser sent

def decode_upload(payload: dict | None, max_bytes: int) -> tuple[str, bytes | None, str | None]:
    """(file name, bytes, None) or (name, None, why not) from the upload store's data URL."""
    payload = payload if isinstance(payload, dict) else {}
    name = str(payload.get("filename") or "upload")[:200]
    contents = payload.get("contents")
    if not isinstance(contents, str) or "," not in contents:
        return name, None, "The upload arrived empty or damaged: choose the file again."
    encoded = contents.split(",", 1)[1]
    if len(encoded) * 3 // 4 > max_bytes + 3:
        return name, None, f"{name} is {human_size(len(encoded) * 3 // 4)}, over the {human_size(max_bytes)} limit."
    try:
        return name, base64.b64decode(encoded, validate=True), None
    except (binascii.Error, ValueError):
        return name, None, "The upload arrived damaged: choose the file again."


def _text(value: object, limit: int = 2000) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def defaults_from(values: object) -> Defaults:
    """The panel's party/source/url/note/basis as defaults for file rows; anything odd from a browser is dropped."""
    party, source, url, note, basis = (list(values) + [None] * 5)[:5] if isinstance(values, (list, tuple)) else [None] * 5
    basis_slug, error = read_basis(_text(basis))
    return Defaults(party=_text(party) or None, source=_text(source), url=_text(url), note=_text(note),
                    basis="" if error else basis_slug)


def proposal_from(request: dict, payload: dict | None, settings: Settings) -> tuple[Proposal | None, str | None]:
    """The proposal a pending request (a file or the form) stands for, rebuilt from what the browser holds;
    or why the upload cannot be read."""
    request = request if isinstance(request, dict) else {}
    if request.get("kind") == "form":
        given = request.get("fields")
        fields: dict[str, Any] = given if isinstance(given, dict) else {}
        return Proposal(FORM, fields={k: _text(v) if not isinstance(v, (int, float)) else v
                                      for k, v in fields.items()}), None
    name, data, error = decode_upload(payload, settings.max_upload_bytes)
    if data is None:
        return None, error
    return Proposal(name, data=data, defaults=defaults_from(request.get("defaults")),
                    sheet=_text(request.get("sheet")) or None), None


def compute_preview(dataset: Dataset, request: dict, payload: dict | None,
                    settings: Settings) -> tuple[Preview | None, str | None]:
    """The preview for a pending request (a file or the form), computed only from server-side code."""
    proposal, error = proposal_from(request, payload, settings)
    if proposal is None:
        return None, error
    return preview_apply.preview(dataset, proposal, max_bytes=settings.max_upload_bytes), None


# ---------------------------------------------------------------- drawing

def _td(label: str, children, **kwargs) -> html.Td:
    """A cell labelled for the phone layout, where each row becomes a card (style.css)."""
    return html.Td(children, **{"data-label": label}, **kwargs)


def _figure_cells(dataset: Dataset, change: Change) -> list:
    party, year, as_of = change.key
    return [_td("Party", dataset.party_name(party)), _td("Year", str(year)),
            _td("Date", as_of or "year end", className="date")]


def _members_cell(change: Change) -> html.Td:
    if change.kind == "changed" and change.old is not None and "members" in change.fields:
        return _td("Members", [html.Del(f"{change.old['members']:,}"), " → ", html.Ins(f"{change.new['members']:,}")],
                   className="num")
    return _td("Members", f"{change.new['members']:,}", className="num")


def _text_cell(change: Change, field: str) -> html.Td:
    label = field.capitalize()
    if change.kind == "changed" and change.old is not None and field in change.fields:
        return _td(label, [html.Del(change.old[field] or "(empty)"), " → ", html.Ins(change.new[field] or "(empty)")])
    return _td(label, change.new[field])


LABELS = {"added": "New", "changed": "Changed", "unchanged": "Unchanged"}


def _basis_cell(change: Change) -> html.Td:
    new = basis_of(change.new.get("basis", "")).label
    if change.kind == "changed" and "basis" in change.fields and change.old is not None:
        return _td("Basis", [html.Del(basis_of(change.old.get("basis", "")).label), " → ", html.Ins(new)])
    return _td("Basis", new, className="missing" if not change.new.get("basis") else None)


def changes_table(dataset: Dataset, changes: list[Change], table_id: str) -> html.Table:
    rows = [html.Tr([_td("What", LABELS[c.kind], className="kind"), *_figure_cells(dataset, c), _members_cell(c),
                     _basis_cell(c), _text_cell(c, "source"), _text_cell(c, "note")], className=c.kind)
            for c in changes[:SHOWN_ROWS]]
    if len(changes) > SHOWN_ROWS:
        rows.append(html.Tr(html.Td(f"… and {len(changes) - SHOWN_ROWS:,} more", colSpan=8)))
    head = ("", "Party", "Year", "Date", "Members", "Basis", "Source", "Note")
    return html.Table([html.Thead(html.Tr([html.Th(h, scope="col") for h in head])), html.Tbody(rows)],
                      id=table_id, className="figures preview")


def preview_view(dataset: Dataset, preview: Preview) -> html.Div:
    """New and changed figures first (highlighted), unchanged ones folded away, then every problem."""
    how = preview.shape or "not read"
    if preview.sheet:
        how += f", sheet '{preview.sheet}'"
    parts: list = [html.P([html.Strong(preview.file), f" ({how}): {summary(preview)}"], className="preview-summary")]
    if preview.problems:
        parts.append(html.Div([
            html.P("Nothing can be applied until these are fixed:", className="problems-title"),
            html.Ul([html.Li(str(p)) for p in preview.problems], className="problems"),
        ], role="alert"))
    writes = preview.writes
    for text in preview.notices:
        parts.append(html.P(text, className="notice preview-notice"))
    figures = [c for c in writes if c.table == "membership"]
    if figures:
        parts.append(changes_table(dataset, figures, "preview-changes"))
    others = [c for c in writes if c.table != "membership"]
    if others:
        names = {slug: p.name for slug, p in dataset.parties.items()}
        parts.append(html.Ul([html.Li(change_line({"table": c.table, "key": list(c.key), "old": c.old,
                                                   "new": c.after}, names, "→")) for c in others],
                             className="preview-rows"))
    unchanged = [c for c in preview.unchanged if c.table == "membership"]
    if unchanged:
        parts.append(html.Details([
            html.Summary(f"{len(unchanged):,} figure{'s' if len(unchanged) != 1 else ''} "
                         "already in the data (unchanged)"),
            changes_table(dataset, unchanged, "preview-unchanged"),
        ]))
    if preview.ignored_columns:
        parts.append(html.P(f"Ignored columns: {', '.join(preview.ignored_columns)}", className="hint"))
    if not writes and not preview.problems:
        parts.append(html.P("Nothing to change: every figure is already in the data.", className="hint"))
    return html.Div(parts)


def _what(entry: Entry) -> str:
    """What an entry did, in words for every visitor (no who, no file name)."""
    if entry.action == "undo":
        return f"undid #{entry.undoes}"
    if entry.action == "redo":
        return f"redid #{entry.source.rsplit('#', 1)[-1]}"
    return "changed the figures"


def history_view(entries: list[Entry], editor: bool = False) -> list:
    """What changed and when for everyone; who made it and from which file only for editors."""
    if not entries:
        return [html.P("No changes recorded yet.", className="hint")]
    items = []
    for entry in reversed(entries[-HISTORY_SHOWN:]):
        lines = change_lines(entry, limit=10, arrow="→")
        detail = f" · {entry.who} · {entry.source}" if editor else f" · {_what(entry)}"
        items.append(html.Li([
            html.Strong(f"#{entry.id} "),
            html.Time(entry.when.replace("T", " ").replace("+00:00", " UTC"), dateTime=entry.when),
            detail,
            html.Ul([html.Li(line) for line in lines]),
        ]))
    return [html.Ul(items, className="history")]


def undo_redo_state(store: Store, entries: list[Entry]) -> tuple:
    """(undo target id, its label, disabled, redo target id, label, disabled): each button names the
    change it acts on, and the server refuses it if that is no longer the latest."""
    undo, redo = store.undoable(entries), store.redoable(entries)
    return (undo.id if undo else None, f"Undo change #{undo.id}" if undo else "Undo", undo is None,
            redo.id if redo else None, f"Redo change #{redo.undoes}" if redo else "Redo", redo is None)


def sign_in_prompt(back: str) -> html.Div:
    """A link to the sign-in page: the password is typed there, in a plain form, never in this page."""
    return html.Div([
        html.P("Reading is open to everyone; adding or correcting figures needs the admin password."),
        html.A("Sign in to change data", href=sign_in_link("/", back), className="button-link", id=ids.SIGN_IN_LINK),
    ], className="sign-in")


def history_section(entries: list[Entry], editor: bool) -> html.Details:
    return html.Details([html.Summary("History of changes"),
                         html.Div(history_view(entries, editor), id=ids.UPDATE_HISTORY)], className="history-wrap")


def panel_layout(settings: Settings, dataset: Dataset, store: Store, view: View | None = None) -> html.Section:
    """The panel as the page first draws it."""
    heading = html.H2("Update data")
    reason = editing_off_reason(settings)
    if reason:
        return html.Section([heading, html.P(reason, className="notice", id=ids.UPDATE_OFF)],
                            id=ids.UPDATE_PANEL, className="panel update")
    entries = store.entries()
    if not is_editor(settings):
        if settings.password_required:
            first = sign_in_prompt("/" + (view_to_query(view) if view else ""))
        else:
            first = html.P(access_refusal(settings), className="notice", id=ids.UPDATE_OFF)
        return html.Section([heading, first, history_section(entries, editor=False)],
                            id=ids.UPDATE_PANEL, className="panel update")
    party_options = [{"label": p.name, "value": slug} for slug, p in dataset.parties.items()]
    text = {"type": "text", "debounce": False, "autoComplete": "off"}
    undo_id, undo_label, undo_off, redo_id, redo_label, redo_off = undo_redo_state(store, entries)
    sign_out = ([html.Form(html.Button("Sign out", type="submit", className="secondary"), method="post",
                           action=SIGN_OUT_PATH, id=ids.SIGN_OUT, className="sign-out")]
                if signed_in(settings) else [])
    return html.Section([
        heading,
        *sign_out,
        html.P("Add or correct figures: type one in, or upload a file. You see exactly what would change "
               "before anything is written, and Undo restores the data as it was.", className="hint"),
        html.Fieldset([
            html.Legend("One figure"),
            html.Div([
                field("Party", dcc.Dropdown(id=ids.UPDATE_PARTY, options=party_options, value="labour",
                                            clearable=False, searchable=False)),
                field("Year", dcc.Input(id=ids.UPDATE_YEAR, inputMode="numeric", placeholder="e.g. 2025", **text)),
                field("Members", dcc.Input(id=ids.UPDATE_MEMBERS, inputMode="numeric", placeholder="whole number", **text)),
                field("As of", dcc.Input(id=ids.UPDATE_AS_OF, placeholder="YYYY-MM-DD", **text), "Blank for 31 December."),
                field("Source", dcc.Input(id=ids.UPDATE_SOURCE, placeholder="who published it", **text)),
                field("URL", dcc.Input(id=ids.UPDATE_URL, placeholder="https://…", inputMode="url", **text)),
                field("Note", dcc.Input(id=ids.UPDATE_NOTE, placeholder="rounded, estimate, …", **text)),
                field("Basis", dcc.Dropdown(id=ids.UPDATE_BASIS, options=BASIS_CHOICES, value="", clearable=False,
                                            searchable=False),
                      "What kind of figure it is; files may give their own in a basis column."),
            ], className="form-grid"),
            html.Button("Preview this figure", id=ids.PREVIEW_FORM, n_clicks=0, className="secondary"),
        ]),
        html.Fieldset([
            html.Legend("Or a file"),
            dcc.Upload(id=ids.UPLOAD_DATA, accept=".csv,.xlsx", multiple=False, max_size=-1,
                       children=html.Div(["Drop a .csv or .xlsx file here, or ", html.Span("choose one", className="link")]),
                       className="dropzone"),
            html.P(f"Up to {human_size(settings.max_upload_bytes)}. Long (party, year, members, …), wide (a year "
                   "column and one per party) or two columns (year, members) for the party above. Rows "
                   "without a source, url, note or basis take them from the fields above.", className="hint",
                   id=ids.UPLOAD_LIMIT),
            html.Div(field("Sheet", dcc.Dropdown(id=ids.UPDATE_SHEET, options=[], clearable=False, searchable=False)),
                     id=ids.UPDATE_SHEET_WRAP, style=HIDDEN),
        ]),
        dcc.Loading(html.Div(id=ids.UPDATE_PREVIEW, className="preview", **{"aria-live": "polite"}), type="dot"),
        html.Div(dcc.Checklist(id=ids.OVERWRITE_EXISTING, options=[{"label": "Overwrite existing figures", "value": "yes"}],
                               value=[]), id=ids.OVERWRITE_WRAP, style=HIDDEN),
        html.Div([
            html.Button("Apply", id=ids.APPLY_CHANGES, n_clicks=0, disabled=True, className="primary"),
            html.Button(undo_label, id=ids.UNDO_CHANGE, n_clicks=0, disabled=undo_off, className="secondary"),
            html.Button(redo_label, id=ids.REDO_CHANGE, n_clicks=0, disabled=redo_off, className="secondary"),
        ], className="buttons"),
        html.Div(id=ids.UPDATE_STATUS, role="status", className="status"),
        history_section(entries, editor=True),
        dcc.Store(id=ids.UPLOAD_PAYLOAD),
        dcc.Store(id=ids.UPDATE_PENDING),
        dcc.Store(id=ids.UNDO_TARGET, data=undo_id),
        dcc.Store(id=ids.REDO_TARGET, data=redo_id),
    ], id=ids.UPDATE_PANEL, className="panel update")


# ---------------------------------------------------------------- callbacks

# Runs in the browser: refuse an oversize file with a message (dcc.Upload would drop it silently
# with max_size), pass the file on with a nonce so the same file twice still counts as new, and
# clear the native input so choosing the same file again fires at all (dash#1287).
GATE = r"""
function(contents, filename) {
    const nu = window.dash_clientside.no_update;
    if (!contents) { return [nu, nu, nu]; }
    const input = document.querySelector('#' + window.DASHBOARD_IDS.UPLOAD_DATA + ' input[type=file]');
    if (input) { input.value = ''; }
    const encoded = contents.slice(contents.indexOf(',') + 1);
    const size = Math.floor(encoded.length * 3 / 4);
    if (size > %(limit)d) {
        const human = size >= 1048576 ? (size / 1048576).toFixed(1).replace(/\.0$/, '') + ' MB'
                                      : (size / 1024).toFixed(1).replace(/\.0$/, '') + ' KB';
        return [nu, filename + ' is ' + human + ', over the %(limit_text)s limit: nothing was read.', null];
    }
    return [{filename: filename, contents: contents, nonce: Date.now()}, '', null];
}
"""


def follow_latest(stored: dict | None, before: Dataset, after: Dataset) -> dict | object:
    """A view that ended at its latest figure keeps doing so when a change moves that year."""
    if not stored:
        return no_update
    view = view_from_dict(stored)
    year_ends_only = view.measure in YEAR_END_ONLY
    if view.end is None or view.end != default_range(before, view.parties, view.bases, year_ends_only)[1]:
        return no_update
    new_end = default_range(after, view.parties, view.bases, year_ends_only)[1]
    return view_to_dict(replace(view, end=new_end)) if new_end != view.end else no_update


def register_callbacks(app, settings: Settings, cache: DatasetCache) -> None:
    store = settings.store()
    app.clientside_callback(
        GATE % {"limit": settings.max_upload_bytes, "limit_text": human_size(settings.max_upload_bytes)},
        Output(ids.UPLOAD_PAYLOAD, "data"), Output(ids.UPDATE_STATUS, "children", allow_duplicate=True),
        Output(ids.UPLOAD_DATA, "contents"),
        Input(ids.UPLOAD_DATA, "contents"), State(ids.UPLOAD_DATA, "filename"),
        prevent_initial_call=True,
    )
    # Apply is offered only for a clean preview, and for changes to existing figures only once the
    # overwrite box is ticked; the server checks both again, this only spares a useless click.
    app.clientside_callback(
        """function(pending, overwrite) {
            if (!pending || !pending.can_apply) { return true; }
            return Boolean(pending.needs_overwrite) && !(overwrite || []).includes('yes');
        }""",
        Output(ids.APPLY_CHANGES, "disabled"),
        Input(ids.UPDATE_PENDING, "data"), Input(ids.OVERWRITE_EXISTING, "value"),
    )

    @app.callback(
        Output(ids.UPDATE_PREVIEW, "children"), Output(ids.UPDATE_PENDING, "data"), Output(ids.OVERWRITE_WRAP, "style"),
        Output(ids.OVERWRITE_EXISTING, "options"), Output(ids.OVERWRITE_EXISTING, "value"),
        Output(ids.UPDATE_SHEET, "options"), Output(ids.UPDATE_SHEET, "value"), Output(ids.UPDATE_SHEET_WRAP, "style"),
        Output(ids.UPDATE_STATUS, "children", allow_duplicate=True),
        Input(ids.UPLOAD_PAYLOAD, "data"), Input(ids.PREVIEW_FORM, "n_clicks"), Input(ids.UPDATE_SHEET, "value"),
        Input(ids.UPDATE_PARTY, "value"),
        State(ids.UPDATE_YEAR, "value"), State(ids.UPDATE_MEMBERS, "value"), State(ids.UPDATE_AS_OF, "value"),
        State(ids.UPDATE_SOURCE, "value"), State(ids.UPDATE_URL, "value"), State(ids.UPDATE_NOTE, "value"),
        State(ids.UPDATE_BASIS, "value"), State(ids.UPDATE_PENDING, "data"),
        prevent_initial_call=True,
    )
    def preview(payload, _clicks, sheet, party, year, members, as_of, source, url, note, basis, pending):
        """Read the upload or the form and show what would change; nothing is written here."""
        trigger = ctx.triggered_id
        if trigger == ids.UPDATE_PARTY and not pending:
            raise PreventUpdate
        kind = {ids.UPLOAD_PAYLOAD: "file", ids.UPDATE_SHEET: "file", ids.PREVIEW_FORM: "form"}.get(
            trigger, (pending or {}).get("kind"))
        if kind == "file" and not payload:
            raise PreventUpdate
        refusal = access_refusal(settings)
        cleared: tuple[Any, ...] = (None, None, HIDDEN, no_update, [], no_update, no_update, no_update)
        if refusal:
            return (*cleared, html.P(refusal, className="error"))
        dataset = cache.get()
        request: dict[str, Any]
        if kind == "form":
            request = {"kind": "form", "fields": {"party": party, "year": year, "members": members, "as_of": as_of,
                                                  "source": source, "url": url, "note": note, "basis": basis}}
        else:
            keep_sheet = trigger == ids.UPDATE_SHEET or (trigger == ids.UPDATE_PARTY and pending)
            request = {"kind": "file", "sheet": sheet if keep_sheet else None,
                       "defaults": [party, source, url, note, basis]}
        result, error = compute_preview(dataset, request, payload, settings)
        if result is None:
            return (*cleared, html.P(error or "Nothing could be read.", className="error"))
        can_apply = not result.problems and bool(result.writes)
        n_changed = len(result.changed)
        request.update(stamp=result.stamp(), digest=result.digest(), file=result.file,
                       can_apply=can_apply, needs_overwrite=bool(n_changed))
        overwrite_label = (f"Overwrite {n_changed} existing figure{'s' if n_changed != 1 else ''} "
                           "(shown as Changed above)")
        sheets = list(result.sheets)
        if result.sheet and result.sheet not in sheets:
            sheets.append(result.sheet)
        return (preview_view(dataset, result), request,
                {} if can_apply and n_changed else HIDDEN, [{"label": overwrite_label, "value": "yes"}], [],
                [{"label": s, "value": s} for s in sheets], result.sheet, {} if len(sheets) > 1 else HIDDEN, "")

    undo_outputs = (Output(ids.UNDO_TARGET, "data"), Output(ids.UNDO_CHANGE, "children"),
                    Output(ids.UNDO_CHANGE, "disabled"), Output(ids.REDO_TARGET, "data"),
                    Output(ids.REDO_CHANGE, "children"), Output(ids.REDO_CHANGE, "disabled"))

    @app.callback(
        Output(ids.DATA_VERSION, "data"), Output(ids.UPDATE_STATUS, "children"), Output(ids.UPDATE_HISTORY, "children"),
        *undo_outputs, Output(ids.VIEW_STORE, "data", allow_duplicate=True),
        Output(ids.UPDATE_PREVIEW, "children", allow_duplicate=True), Output(ids.UPDATE_PENDING, "data", allow_duplicate=True),
        Output(ids.OVERWRITE_WRAP, "style", allow_duplicate=True),
        Input(ids.APPLY_CHANGES, "n_clicks"), Input(ids.UNDO_CHANGE, "n_clicks"), Input(ids.REDO_CHANGE, "n_clicks"),
        State(ids.UPDATE_PENDING, "data"), State(ids.UPLOAD_PAYLOAD, "data"), State(ids.OVERWRITE_EXISTING, "value"),
        State(ids.VIEW_STORE, "data"), State(ids.UNDO_TARGET, "data"), State(ids.REDO_TARGET, "data"),
        prevent_initial_call=True,
    )
    def change(apply_clicks, undo_clicks, redo_clicks, pending, payload, overwrite, view_stored, undo_target,
               redo_target):
        """Apply the previewed change, or undo or redo the one the button names; the chart and table
        follow data-version."""
        clicks = {ids.APPLY_CHANGES: apply_clicks, ids.UNDO_CHANGE: undo_clicks, ids.REDO_CHANGE: redo_clicks}
        if not clicks.get(ctx.triggered_id):
            raise PreventUpdate  # the panel being put on the page is not a click
        unchanged = [no_update] * 11
        refusal = access_refusal(settings)
        if refusal:
            return (no_update, html.P(refusal, className="error"), *unchanged)
        before = cache.get()
        try:
            if ctx.triggered_id in (ids.UNDO_CHANGE, ids.REDO_CHANGE):
                target = undo_target if ctx.triggered_id == ids.UNDO_CHANGE else redo_target
                if not isinstance(target, int) or isinstance(target, bool):
                    raise Refused("this page does not know which change to act on: reload it")
                if ctx.triggered_id == ids.UNDO_CHANGE:
                    entry = store.undo(who=who(settings), expected=target)
                    message = f"Undone: change #{entry.undoes} is reverted and the data is exactly as it was before it."
                else:
                    entry = store.redo(who=who(settings), expected=target)
                    message = (f"Redone: change #{entry.source.rsplit('#', 1)[-1]} is back, exactly as it was "
                               "applied.")
            else:
                if not pending:
                    raise Refused("there is no previewed change to apply: upload a file or preview a figure first")
                result, error = compute_preview(before, pending, payload, settings)
                if result is None:
                    raise Refused(error or "the upload could not be read again: choose the file again")
                outcome = preview_apply.apply(store, result, overwrite="yes" in (overwrite or []), who=who(settings),
                                              shown=Shown(pending.get("stamp"), pending.get("digest")))
                if outcome.entry is None:
                    raise Refused(outcome.message)
                entry = outcome.entry
                message = (f"Applied change #{entry.id} from {entry.source}: {len(result.added)} new, "
                           f"{len(result.changed)} changed. Undo restores the previous data exactly.")
        except Refused as exc:
            text = str(exc)
            entries = store.entries()
            return (no_update, html.P(f"Nothing was changed: {text[0].lower() + text[1:]}", className="error"),
                    history_view(entries, editor=True), *undo_redo_state(store, entries), *([no_update] * 4))
        after = cache.get()
        entries = store.entries()
        return (after.version, html.P(message, className="ok"), history_view(entries, editor=True),
                *undo_redo_state(store, entries), follow_latest(view_stored, before, after), None, None, HIDDEN)


def attach(app, settings: Settings, cache: DatasetCache) -> Callable[[Dataset, View], html.Section]:
    """Register the panel's callbacks and the server-side request limit; return its layout function."""
    limit = request_limit(settings)
    current = app.server.config.get("MAX_CONTENT_LENGTH")
    app.server.config["MAX_CONTENT_LENGTH"] = max(limit, current or 0)
    if editing_off_reason(settings) is None:
        # With editing off the panel is only a notice: no components, so no callbacks (Dash would
        # report each missing component in the browser), and no endpoint that could write.
        register_callbacks(app, settings, cache)
    store = settings.store()
    return lambda dataset, view: panel_layout(settings, dataset, store, view)
