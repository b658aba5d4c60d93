"""The "Update data" panel: one figure, one party or one event by hand, or a CSV/XLSX upload of any kind ->
preview -> apply -> undo.

It owns its layout and callbacks (attach() is what app.py's PANEL_MODULES expects; the party and event
forms are in update_forms.py, the drawings in update_preview.py). Callbacks only translate: the one
preview-then-apply path of updates/ reads, previews and writes, in the page's words. Every callback that could change
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

from dash import Input, Output, State, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboard.config import Settings
from dashboard.core.dataset import BASES, Dataset, DatasetCache
from dashboard.core.measures import YEAR_END_ONLY
from dashboard.core.view import View, default_range, view_from_dict, view_to_dict, view_to_query
from dashboard.updates import preview_apply
from dashboard.updates.cells import read_basis
from dashboard.updates.changes import Preview
from dashboard.updates.filekind import human_size
from dashboard.updates.ingest import FORM, Defaults
from dashboard.updates.preview_apply import Proposal, Shown
from dashboard.updates.store import Entry, Refused, Store
from dashboard.updates.voice import PAGE
from dashboard.web import ids, update_forms
from dashboard.web.access_check import access_refusal, editing_off_reason, is_editor, signed_in, who
from dashboard.web.answers import Answer, outputs
from dashboard.web.fields import field
from dashboard.web.sign_in import sign_in_link, sign_out_form
from dashboard.web.update_preview import history_view, preview_view

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


def defaults_from(values: object, add_parties: object = False) -> Defaults:
    """The panel's party/source/url/note/basis as defaults for file rows, and whether to add the parties the
    file names but the data does not know; anything odd from a browser is dropped."""
    party, source, url, note, basis = (list(values) + [None] * 5)[:5] if isinstance(values, (list, tuple)) else [None] * 5
    basis_slug, error = read_basis(_text(basis))
    return Defaults(party=_text(party) or None, source=_text(source), url=_text(url), note=_text(note),
                    basis="" if error else basis_slug, add_parties=add_parties is True)


# A pending request's kind -> the form it came from (updates/forms.py)
FORM_KINDS = {"form": "figure", "party": "party", "event": "event"}


def _field(value: object) -> object:
    """A form field as the browser sent it: text (trimmed), a number or a tick box; anything else is empty."""
    if isinstance(value, (bool, int, float)):
        return value
    return _text(value)


def proposal_from(request: dict, payload: dict | None, settings: Settings) -> tuple[Proposal | None, str | None]:
    """The proposal a pending request (a file or the form) stands for, rebuilt from what the browser holds;
    or why the upload cannot be read."""
    request = request if isinstance(request, dict) else {}
    kind = request.get("kind")
    if kind in FORM_KINDS:
        given = request.get("fields")
        fields: dict[str, Any] = given if isinstance(given, dict) else {}
        return Proposal(FORM, fields={str(k): _field(v) for k, v in fields.items()}, form=FORM_KINDS[str(kind)],
                        voice=PAGE), None
    if kind == "remove":
        return Proposal(FORM, remove_party=_text(request.get("party")), voice=PAGE), None
    name, data, error = decode_upload(payload, settings.max_upload_bytes)
    if data is None:
        return None, error
    return Proposal(name, data=data, defaults=defaults_from(request.get("defaults"), request.get("add_parties")),
                    sheet=_text(request.get("sheet")) or None, voice=PAGE), None


def compute_preview(dataset: Dataset, request: dict, payload: dict | None,
                    settings: Settings) -> tuple[Preview | None, str | None]:
    """The preview for a pending request (a file or the form), computed only from server-side code."""
    proposal, error = proposal_from(request, payload, settings)
    if proposal is None:
        return None, error
    return preview_apply.preview(dataset, proposal, max_bytes=settings.max_upload_bytes), None


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


def party_names(dataset: Dataset) -> dict[str, str]:
    return {slug: p.name for slug, p in dataset.parties.items()}


def history_section(entries: list[Entry], dataset: Dataset, editor: bool) -> html.Details:
    return html.Details([html.Summary("History of changes"),
                         html.Div(history_view(entries, party_names(dataset), editor), id=ids.UPDATE_HISTORY)],
                        className="history-wrap")


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
        return html.Section([heading, first, history_section(entries, dataset, editor=False)],
                            id=ids.UPDATE_PANEL, className="panel update")
    party_options = update_forms.party_choices(dataset)
    text = {"type": "text", "debounce": False, "autoComplete": "off"}
    undo_id, undo_label, undo_off, redo_id, redo_label, redo_off = undo_redo_state(store, entries)
    sign_out = [sign_out_form(ids.SIGN_OUT)] if signed_in(settings) else []
    return html.Section([
        heading,
        *sign_out,
        html.P("Add or correct figures, parties, leaders' terms and elections: type one in, or upload a file. You "
               "see exactly what would change before anything is written, and Undo restores the data as it was.",
               className="hint"),
        html.Fieldset([
            html.Legend("One figure"),
            html.Div([
                field("Party", dcc.Dropdown(id=ids.UPDATE_PARTY, options=party_options, value="labour",
                                            clearable=False, searchable=False)),
                field("Year", dcc.Input(id=ids.UPDATE_YEAR, inputMode="numeric", placeholder="e.g. 2025", **text)),
                field("Members", dcc.Input(id=ids.UPDATE_MEMBERS, inputMode="numeric", placeholder="whole number", **text)),
                field("As of", dcc.Input(id=ids.UPDATE_AS_OF, placeholder="26/02/2026 or 2026-02-26", **text),
                      "Blank for 31 December."),
                field("Source", dcc.Input(id=ids.UPDATE_SOURCE, placeholder="who published it", **text)),
                field("URL", dcc.Input(id=ids.UPDATE_URL, placeholder="https://…", inputMode="url", **text)),
                field("Note", dcc.Input(id=ids.UPDATE_NOTE, placeholder="rounded, estimate, …", **text)),
                field("Basis", dcc.Dropdown(id=ids.UPDATE_BASIS, options=BASIS_CHOICES, value="", clearable=False,
                                            searchable=False),
                      "What kind of figure it is; files may give their own in a basis column."),
            ], className="form-grid"),
            html.Button("Preview this figure", id=ids.PREVIEW_FORM, n_clicks=0, className="secondary"),
        ]),
        update_forms.party_fieldset(dataset),
        update_forms.event_fieldset(dataset),
        html.Fieldset([
            html.Legend("Or a file"),
            dcc.Upload(id=ids.UPLOAD_DATA, accept=".csv,.xlsx", multiple=False, max_size=-1,
                       children=html.Div(["Drop a .csv or .xlsx file here, or ", html.Span("choose one", className="link")]),
                       className="dropzone"),
            html.P(f"Up to {human_size(settings.max_upload_bytes)}. Figures long (party, year, members, …), wide "
                   "(a year column and one per party) or in two columns (year, members) for the figure's party "
                   "above; or parties (slug, name, colour, …), events (kind, party, name, start, end, source) or "
                   "related figures (with a measure column); or an .xlsx with sheets named membership, parties, "
                   "events, related. Rows without a source, URL, note or basis take them from the figure's fields "
                   "above.", className="hint", id=ids.UPLOAD_LIMIT),
            dcc.Checklist(id=ids.ADD_PARTIES, value=[], options=[
                {"label": "Add the new parties: a party the figures name but the data does not know is added "
                          "with them", "value": "yes"}]),
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
        history_section(entries, dataset, editor=True),
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


def follow_latest(stored: dict | None, before: Dataset, after: Dataset) -> dict | None:
    """A view that ended at its latest figure keeps doing so when a change moves that year: the new view, or
    None when the view stays as it is."""
    if not stored:
        return None
    view = view_from_dict(stored)
    year_ends_only = view.measure in YEAR_END_ONLY
    if view.end is None or view.end != default_range(before, view.parties, view.bases, year_ends_only)[1]:
        return None
    new_end = default_range(after, view.parties, view.bases, year_ends_only)[1]
    return view_to_dict(replace(view, end=new_end)) if new_end != view.end else None


# The buttons that preview what a form holds, and the kind of request each makes.
PREVIEW_BUTTONS = (ids.PREVIEW_FORM, ids.PREVIEW_PARTY, ids.REMOVE_PARTY, ids.PREVIEW_EVENT)
BUTTON_KINDS = {ids.PREVIEW_FORM: "form", ids.PREVIEW_PARTY: "party", ids.REMOVE_PARTY: "remove",
                ids.PREVIEW_EVENT: "event"}
FIGURE_BOXES = (ids.UPDATE_YEAR, ids.UPDATE_MEMBERS, ids.UPDATE_AS_OF, ids.UPDATE_SOURCE, ids.UPDATE_URL,
                ids.UPDATE_NOTE)


def deciding_trigger(triggered: set[str], triggered_id: object) -> object:
    """The one input that decides what to preview, of the component ids that fired (`triggered`): a click on a
    Preview button wins over the field it took the focus from (leaving Source fires with the click), and a new
    file over a field of the panel; else the one Dash names (`triggered_id`)."""
    for wins in (*PREVIEW_BUTTONS, ids.UPLOAD_PAYLOAD, ids.UPDATE_SHEET):
        if wins in triggered:
            return wins
    return triggered_id


def request_for(trigger: object, payload: object, sheet: object, party: object, basis: object, add_parties: object,
                figure: list, party_form: list, event_form: list, ends_current: object, pending: object) -> dict | None:
    """What to preview, from what the user just did: a button previews its form; a new file, sheet or a field
    the file's rows take (party, basis, source, URL, note, adding new parties) re-checks the file shown. None
    when there is nothing to preview (a field changed while no file is shown)."""
    pending = pending if isinstance(pending, dict) else {}
    kind = BUTTON_KINDS.get(str(trigger)) if trigger in BUTTON_KINDS else None
    if kind is None:
        if trigger not in (ids.UPLOAD_PAYLOAD, ids.UPDATE_SHEET) and pending.get("kind") != "file":
            return None  # the figure's fields changed while no file is shown: nothing to re-check
        if not payload:
            return None
        source, url, note = figure[3:6]
        keep_sheet = trigger != ids.UPLOAD_PAYLOAD
        return {"kind": "file", "sheet": sheet if keep_sheet else None, "defaults": [party, source, url, note, basis],
                "add_parties": isinstance(add_parties, list) and "yes" in add_parties}
    if kind == "form":
        year, members, as_of, source, url, note = figure
        return {"kind": "form", "fields": {"party": party, "year": year, "members": members, "as_of": as_of,
                                           "source": source, "url": url, "note": note, "basis": basis}}
    if kind == "remove":
        return {"kind": "remove", "party": party_form[0]}
    if kind == "party":
        return {"kind": "party", "fields": update_forms.party_fields(party_form)}
    return {"kind": "event", "fields": update_forms.event_fields(event_form, ends_current)}


def pending_of(request: dict, result: Preview) -> dict:
    """The request, with what an apply checks it against (the page applies only what it showed)."""
    can_apply = not result.problems and bool(result.writes)
    return {**request, "stamp": result.stamp(), "digest": result.digest(), "file": result.file,
            "can_apply": can_apply, "needs_overwrite": result.needs_overwrite}


def overwrite_box(result: Preview) -> tuple:
    """(style, options, value) of the overwrite box: shown, unticked, when the change replaces what the data says."""
    shown = not result.problems and result.needs_overwrite
    label = f"Overwrite {result.overwritten_words()} (shown as Changed or Removed above)"
    return ({} if shown else HIDDEN, [{"label": label, "value": "yes"}], [])


def sheet_choice(result: Preview) -> tuple:
    """(options, value, style) of the sheet chooser: shown when a workbook has several sheets of figures."""
    sheets = list(result.sheets) if result.kinds == ("figures",) else []
    if result.sheet and result.sheet not in sheets:
        sheets.append(result.sheet)
    return [{"label": s, "value": s} for s in sheets], result.sheet, {} if len(sheets) > 1 else HIDDEN


# The outputs of the preview and the change callbacks, in their order (web/answers.py)
PREVIEW_PROPS = ((ids.UPDATE_PREVIEW, "children"), (ids.UPDATE_PENDING, "data"), (ids.OVERWRITE_WRAP, "style"),
                 (ids.OVERWRITE_EXISTING, "options"), (ids.OVERWRITE_EXISTING, "value"), (ids.UPDATE_SHEET, "options"),
                 (ids.UPDATE_SHEET, "value"), (ids.UPDATE_SHEET_WRAP, "style"), (ids.UPDATE_STATUS, "children"))
UNDO_REDO_PROPS = ((ids.UNDO_TARGET, "data"), (ids.UNDO_CHANGE, "children"), (ids.UNDO_CHANGE, "disabled"),
                   (ids.REDO_TARGET, "data"), (ids.REDO_CHANGE, "children"), (ids.REDO_CHANGE, "disabled"))
CHANGE_PROPS = ((ids.DATA_VERSION, "data"), (ids.UPDATE_STATUS, "children"), (ids.UPDATE_HISTORY, "children"),
                *UNDO_REDO_PROPS, (ids.VIEW_STORE, "data"), (ids.UPDATE_PREVIEW, "children"),
                (ids.UPDATE_PENDING, "data"), (ids.OVERWRITE_WRAP, "style"))


def preview_cleared(message: str) -> Answer:
    """No preview, nothing to apply, the overwrite box hidden and unticked: and why."""
    return {(ids.UPDATE_PREVIEW, "children"): None, (ids.UPDATE_PENDING, "data"): None,
            (ids.OVERWRITE_WRAP, "style"): HIDDEN, (ids.OVERWRITE_EXISTING, "value"): [],
            (ids.UPDATE_STATUS, "children"): html.P(message, className="error")}


def preview_state(dataset_of: Callable[[], Dataset], request: dict, payload: dict | None, settings: Settings,
                  refusal: str | None) -> Answer:
    """What the panel shows for a request to preview: the changes and what an apply checks them against, or
    why there are none (`refusal`: the visitor may not change data). Nothing is written here."""
    if refusal:
        return preview_cleared(refusal)
    dataset = dataset_of()
    result, error = compute_preview(dataset, request, payload, settings)
    if result is None:
        return preview_cleared(error or "Nothing could be read.")
    return dict(zip(PREVIEW_PROPS, (preview_view(dataset, result), pending_of(request, result), *overwrite_box(result),
                                    *sheet_choice(result), "")))


def undo_or_redo(store: Store, action: str, target: object, editor: str) -> str:
    """Undo or redo the change the button names (`target`), and say so; Refused when it is no longer the latest."""
    if not isinstance(target, int) or isinstance(target, bool):
        raise Refused("this page does not know which change to act on: reload it")
    if action == ids.UNDO_CHANGE:
        entry = store.undo(who=editor, expected=target)
        return f"Undone: change #{entry.undoes} is reverted and the data is exactly as it was before it."
    entry = store.redo(who=editor, expected=target)
    return f"Redone: change #{entry.source.rsplit('#', 1)[-1]} is back, exactly as it was applied."


def apply_pending(store: Store, dataset: Dataset, pending: dict | None, payload: dict | None, overwrite: bool,
                  settings: Settings, editor: str) -> str:
    """Apply the change the page previewed, recomputed here from the upload or form (nothing the browser says
    the preview was is trusted), and say what it did; Refused when it cannot or may not be applied."""
    if not pending:
        raise Refused("there is no previewed change to apply: upload a file or preview a figure first")
    result, error = compute_preview(dataset, pending, payload, settings)
    if result is None:
        raise Refused(error or "the upload could not be read again: choose the file again")
    outcome = preview_apply.apply(store, result, overwrite=overwrite, who=editor,
                                  shown=Shown(pending.get("stamp"), pending.get("digest")))
    if outcome.entry is None:
        raise Refused(outcome.message)
    entry = outcome.entry
    origin = "the form" if entry.source == FORM else entry.source
    removed = sum(c.kind == "removed" for c in result.changes)
    return (f"Applied change #{entry.id} from {origin}: {len(result.added)} new, {len(result.changed)} changed"
            + (f", {removed} removed" if removed else "") + ". Undo restores the previous data exactly.")


def nothing_changed(refused: Refused) -> str:
    text = str(refused)
    return f"Nothing was changed: {text[0].lower() + text[1:]}"


def change_state(store: Store, dataset_of: Callable[[], Dataset], action: str, pending: dict | None,
                 payload: dict | None, overwrite: list[str] | None, view_stored: dict | None, targets: dict[str, object],
                 settings: Settings, editor: str) -> Answer:
    """Apply the previewed change, or undo or redo the change its button names (`targets`: button id -> change
    id); what the panel then shows. The chart and table follow data-version; a refusal changes nothing."""
    before = dataset_of()
    try:
        if action in (ids.UNDO_CHANGE, ids.REDO_CHANGE):
            message = undo_or_redo(store, action, targets.get(action), editor)
        else:
            message = apply_pending(store, before, pending, payload, "yes" in (overwrite or []), settings, editor)
    except Refused as exc:
        entries = store.entries()
        return {(ids.UPDATE_STATUS, "children"): html.P(nothing_changed(exc), className="error"),
                (ids.UPDATE_HISTORY, "children"): history_view(entries, party_names(before), editor=True),
                **dict(zip(UNDO_REDO_PROPS, undo_redo_state(store, entries)))}
    after = dataset_of()
    entries = store.entries()
    state: Answer = {(ids.DATA_VERSION, "data"): after.version,
                         (ids.UPDATE_STATUS, "children"): html.P(message, className="ok"),
                         (ids.UPDATE_HISTORY, "children"): history_view(entries, party_names(after), editor=True),
                         **dict(zip(UNDO_REDO_PROPS, undo_redo_state(store, entries))),
                         (ids.UPDATE_PREVIEW, "children"): None, (ids.UPDATE_PENDING, "data"): None,
                         (ids.OVERWRITE_WRAP, "style"): HIDDEN}
    followed = follow_latest(view_stored, before, after)
    if followed is not None:
        state[(ids.VIEW_STORE, "data")] = followed
    return state


def register_callbacks(app, settings: Settings, cache: DatasetCache) -> None:
    """Wire the panel's components to preview_state and change_state (and the browser-side gates)."""
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
        inputs={"payload": Input(ids.UPLOAD_PAYLOAD, "data"), "sheet": Input(ids.UPDATE_SHEET, "value"),
                "clicks": [Input(button, "n_clicks") for button in PREVIEW_BUTTONS],
                # what a file's rows take from the panel: a change re-checks the file shown
                "party": Input(ids.UPDATE_PARTY, "value"), "basis": Input(ids.UPDATE_BASIS, "value"),
                "add_parties": Input(ids.ADD_PARTIES, "value"),
                "left": [Input(box, prop) for box in (ids.UPDATE_SOURCE, ids.UPDATE_URL, ids.UPDATE_NOTE)
                         for prop in ("n_blur", "n_submit")]},
        state={"figure": [State(box, "value") for box in FIGURE_BOXES],
               "party_form": [State(ids.PARTY_FORM_PARTY, "value"),
                              *(State(box, "value") for box in update_forms.PARTY_INPUTS.values())],
               "event_form": [State(box, "value") for box in update_forms.EVENT_INPUTS.values()],
               "ends_current": State(ids.EVENT_FORM_ENDS_CURRENT, "value"), "pending": State(ids.UPDATE_PENDING, "data")},
        prevent_initial_call=True,
    )
    def preview(payload, sheet, clicks, party, basis, add_parties, left, figure, party_form, event_form, ends_current,
                pending):
        """Read the upload or a form and show what would change; nothing is written here."""
        trigger = deciding_trigger(set(ctx.triggered_prop_ids.values()), ctx.triggered_id)
        request = request_for(trigger, payload, sheet, party, basis, add_parties, figure, party_form, event_form,
                              ends_current, pending)
        if request is None:
            raise PreventUpdate
        return outputs(preview_state(cache.get, request, payload, settings, access_refusal(settings)), PREVIEW_PROPS)

    @app.callback(
        Output(ids.DATA_VERSION, "data"), Output(ids.UPDATE_STATUS, "children"), Output(ids.UPDATE_HISTORY, "children"),
        *(Output(component, prop) for component, prop in UNDO_REDO_PROPS), Output(ids.VIEW_STORE, "data", allow_duplicate=True),
        Output(ids.UPDATE_PREVIEW, "children", allow_duplicate=True), Output(ids.UPDATE_PENDING, "data", allow_duplicate=True),
        Output(ids.OVERWRITE_WRAP, "style", allow_duplicate=True),
        Input(ids.APPLY_CHANGES, "n_clicks"), Input(ids.UNDO_CHANGE, "n_clicks"), Input(ids.REDO_CHANGE, "n_clicks"),
        State(ids.UPDATE_PENDING, "data"), State(ids.UPLOAD_PAYLOAD, "data"), State(ids.OVERWRITE_EXISTING, "value"),
        State(ids.VIEW_STORE, "data"), State(ids.UNDO_TARGET, "data"), State(ids.REDO_TARGET, "data"),
        prevent_initial_call=True,
    )
    def change(apply_clicks, undo_clicks, redo_clicks, pending, payload, overwrite, view_stored, undo_target,
               redo_target):
        """Apply the previewed change, or undo or redo the one the button names."""
        clicks = {ids.APPLY_CHANGES: apply_clicks, ids.UNDO_CHANGE: undo_clicks, ids.REDO_CHANGE: redo_clicks}
        if not clicks.get(ctx.triggered_id):
            raise PreventUpdate  # the panel being put on the page is not a click
        refusal = access_refusal(settings)
        if refusal:
            return outputs({(ids.UPDATE_STATUS, "children"): html.P(refusal, className="error")}, CHANGE_PROPS)
        targets = {ids.UNDO_CHANGE: undo_target, ids.REDO_CHANGE: redo_target}
        return outputs(change_state(store, cache.get, ctx.triggered_id, pending, payload, overwrite, view_stored,
                                    targets, settings, who(settings)), CHANGE_PROPS)


def attach(app, settings: Settings, cache: DatasetCache) -> Callable[[Dataset, View], html.Section]:
    """Register the panel's callbacks and the server-side request limit; return its layout function."""
    limit = request_limit(settings)
    current = app.server.config.get("MAX_CONTENT_LENGTH")
    app.server.config["MAX_CONTENT_LENGTH"] = max(limit, current or 0)
    if editing_off_reason(settings) is None:
        # With editing off the panel is only a notice: no components, so no callbacks (Dash would
        # report each missing component in the browser), and no endpoint that could write.
        register_callbacks(app, settings, cache)
        update_forms.register(app, cache)
    store = settings.store()
    return lambda dataset, view: panel_layout(settings, dataset, store, view)
