"""The writer's marks in the Export panel: a small form to add, edit and remove notes and
highlighted periods, and a click on the chart to place a note at that date.

The marks are part of the view: an edit here sends the new list to the page's view callback
(`marks-edit`), which draws it and writes it into the address bar, so Back undoes it and the link,
the image link and the embed carry it. Every field is read with the link's own parser
(core/marks.py), so the form, the link and the CLI refuse the same things with the same words.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dash import ALL, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.core.dataset import Dataset
from dashboard.core.marks import (
    MAX_MARK_TEXT,
    MAX_MARKS,
    MAX_PERIODS,
    Mark,
    MarkError,
    Period,
    mark_text,
    period_text,
    read_mark,
    read_period,
)
from dashboard.core.view import View, view_from_dict
from dashboard.web import ids
from dashboard.web.fields import field
from dashboard.web.inputs import bad, number, text, view_dict

AT_DATE = ""  # the pin choice for a note at its date only
AT_VALUE = "@value"  # the pin choice for a note at a number of members


@dataclass(frozen=True)
class Edited:
    """The marks after a form action, and what to tell the writer."""

    marks: tuple[Mark, ...]
    highlights: tuple[Period, ...]
    message: str = ""
    done: bool = True  # False: nothing changed (the message says why)


def note_from_fields(date: str | None, pin: str | None, value: Any, words: str | None) -> Mark:
    """The note the form describes, read as a link's `mark=` is (MarkError says what is wrong)."""
    date = (date or "").strip()
    if not date:
        raise MarkError("give the note's date (or click the chart where it goes)")
    at = ""
    if pin == AT_VALUE:
        if value in (None, "") or str(value).replace(",", "").strip().isdigit() is False:
            raise MarkError("give the number of members the note points at")
        at = "@" + str(value).replace(",", "").strip()
    elif pin:
        at = "@" + pin
    return read_mark(f"{date}{at}:{words or ''}")


def period_from_fields(start: str | None, end: str | None, label: str | None) -> Period:
    if not (start or "").strip() or not (end or "").strip():
        raise MarkError("give the period's first and last day")
    return read_period(f"{(start or '').strip()}:{(end or '').strip()}:{label or ''}")


def _placed(items: tuple, item: object, editing: int | None, limit: int, what: str) -> tuple:
    if editing is not None and 0 <= editing < len(items):
        return items[:editing] + (item,) + items[editing + 1:]
    if len(items) >= limit:
        raise MarkError(f"a chart holds at most {limit} {what}: remove one first")
    return (*items, item)


def add_note(view: View, date: str | None, pin: str | None, value: Any, words: str | None,
             editing: int | None = None) -> Edited:
    """The view's notes with this one added (or put in place of the one being edited)."""
    try:
        note = note_from_fields(date, pin, value, words)
        marks = _placed(view.marks, note, editing, MAX_MARKS, "notes")
    except MarkError as error:
        return Edited(view.marks, view.highlights, _sentence(str(error)), done=False)
    verb = "Saved" if editing is not None else "Added"
    return Edited(marks, view.highlights, f"{verb} the note at {_day(note.date)}.")


def add_period(view: View, start: str | None, end: str | None, label: str | None,
               editing: int | None = None) -> Edited:
    try:
        period = period_from_fields(start, end, label)
        periods = _placed(view.highlights, period, editing, MAX_PERIODS, "highlighted periods")
    except MarkError as error:
        return Edited(view.marks, view.highlights, _sentence(str(error)), done=False)
    verb = "Saved" if editing is not None else "Added"
    return Edited(view.marks, periods, f"{verb} the period {_day(period.start)} to {_day(period.end)}.")


def remove(view: View, kind: str, index: int) -> Edited:
    if kind == "note" and 0 <= index < len(view.marks):
        return Edited(view.marks[:index] + view.marks[index + 1:], view.highlights, "Removed the note.")
    if kind == "period" and 0 <= index < len(view.highlights):
        return Edited(view.marks, view.highlights[:index] + view.highlights[index + 1:], "Removed the period.")
    return Edited(view.marks, view.highlights, "That mark is no longer on the chart.", done=False)


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _day(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day:%b %Y}"


def edit_data(edited: Edited, seq: int) -> dict:
    """What the view callback reads (`marks-edit`): the marks in a link's words."""
    return {"marks": [mark_text(m) for m in edited.marks], "highlights": [period_text(p) for p in edited.highlights],
            "seq": seq}


def pin_options(dataset: Dataset, view: View) -> list[dict]:
    """Where a note may point: at its date only, on a shown party's line, or at a number of members."""
    options = [{"label": "At its date only", "value": AT_DATE}]
    options += [{"label": f"On {dataset.party_name(slug)}'s line", "value": slug} for slug in view.parties]
    return options + [{"label": "At a number of members", "value": AT_VALUE}]


def _action(kind: str, do: str, index: int, label: str) -> html.Button:
    return html.Button(do.capitalize(), id={"type": ids.MARK_ACTION, "kind": kind, "do": do, "index": index},
                       className="mark-action", n_clicks=0, **{"aria-label": f"{do.capitalize()} {label}"})


def mark_lists(dataset: Dataset, view: View) -> tuple[list, list]:
    """The notes and periods on the chart, each with Edit and Remove (text as text, never markup)."""
    notes = []
    for i, mark in enumerate(view.marks):
        where = (f" · on {dataset.party_name(mark.party)}'s line" if mark.party
                 else f" · at {mark.value:,} members" if mark.value is not None else "")
        label = f"the note “{mark.text}”"
        notes.append(html.Li([html.Span(f"{_day(mark.date)}{where}: ", className="mark-when"),
                              html.Span(mark.text), _action("note", "edit", i, label),
                              _action("note", "remove", i, label)]))
    periods = []
    for i, period in enumerate(view.highlights):
        label = f"the period “{period.label or 'unlabelled'}”"
        periods.append(html.Li([html.Span(f"{_day(period.start)} to {_day(period.end)}: ", className="mark-when"),
                                html.Span(period.label or "(no label)"), _action("period", "edit", i, label),
                                _action("period", "remove", i, label)]))
    return notes, periods


def form(dataset: Dataset, view: View) -> html.Fieldset:
    """The form, for the Export panel (its callbacks are registered by `register`)."""
    notes, periods = mark_lists(dataset, view)
    text_box = {"type": "text", "debounce": False, "className": "export-text"}
    return html.Fieldset([
        html.Legend("Your notes on the chart"),
        html.P(f"Type a note and click the chart where it belongs, or give its date and press Add. Up to "
               f"{MAX_MARKS} notes of {MAX_MARK_TEXT} characters and {MAX_PERIODS} highlighted periods; "
               "they are in the link, the image and the embed.", className="hint"),
        html.Ul(notes, id=ids.NOTES_LIST, className="marks-list"),
        html.Div([
            field("Note", dcc.Input(id=ids.NOTE_TEXT, maxLength=MAX_MARK_TEXT, placeholder="e.g. Corbyn elected",
                                    **text_box), class_name="export-field mark-text"),
            field("Date", dcc.Input(id=ids.NOTE_DATE, type="date", className="mark-date"),
                  class_name="export-field"),
            field("Points at", dcc.Dropdown(id=ids.NOTE_PIN, options=pin_options(dataset, view), value=AT_DATE,
                                            clearable=False, searchable=False), class_name="export-field mark-pin"),
            html.Div(field("Members", dcc.Input(id=ids.NOTE_VALUE, type="number", min=1, step=1,
                                                className="export-number"), class_name="export-field"),
                     id=ids.NOTE_VALUE_WRAP, className="mark-value", hidden=True),
        ], className="marks-row"),
        html.Div([
            html.Button("Add note", id=ids.NOTE_ADD, className="export-button", n_clicks=0),
            html.Button("Cancel edit", id=ids.NOTE_CANCEL, className="mark-action", n_clicks=0, hidden=True),
            html.P(id=ids.NOTE_MESSAGE, className="export-message", role="status"),
        ], className="export-actions"),
        html.Ul(periods, id=ids.PERIODS_LIST, className="marks-list"),
        html.Div([
            field("Highlighted period", dcc.Input(id=ids.PERIOD_LABEL, maxLength=MAX_MARK_TEXT,
                                                  placeholder="e.g. Corbyn years", **text_box),
                  class_name="export-field mark-text"),
            field("From", dcc.Input(id=ids.PERIOD_START, type="date", className="mark-date"), class_name="export-field"),
            field("To", dcc.Input(id=ids.PERIOD_END, type="date", className="mark-date"), class_name="export-field"),
        ], className="marks-row"),
        html.Div([
            html.Button("Add period", id=ids.PERIOD_ADD, className="export-button", n_clicks=0),
            html.Button("Cancel edit", id=ids.PERIOD_CANCEL, className="mark-action", n_clicks=0, hidden=True),
            html.P(id=ids.PERIOD_MESSAGE, className="export-message", role="status"),
        ], className="export-actions"),
        dcc.Store(id=ids.NOTE_EDITING), dcc.Store(id=ids.PERIOD_EDITING),
    ], id=ids.MARKS_PANEL, className="marks-panel")


def _index(value: Any) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 100):
        return value
    bad("the mark being edited")


def click_date(click: Any) -> tuple[str, str]:
    """The date and party a click on the chart gave (assets/marks.js), checked: 400 otherwise."""
    if not isinstance(click, dict) or not isinstance(click.get("date"), str) or not isinstance(click.get("party", ""), str):
        bad("the click on the chart")
    date = click["date"]
    try:
        dt.date.fromisoformat(date)
    except ValueError:
        bad("the click on the chart")
    return date, click.get("party", "")[:40]


NOTE_OUTPUTS = (Output(ids.MARKS_EDIT, "data"), Output(ids.NOTE_MESSAGE, "children"),
                Output(ids.NOTE_TEXT, "value"), Output(ids.NOTE_DATE, "value"), Output(ids.NOTE_PIN, "value"),
                Output(ids.NOTE_VALUE, "value"), Output(ids.NOTE_EDITING, "data"), Output(ids.NOTE_ADD, "children"),
                Output(ids.NOTE_CANCEL, "hidden"), Output(ids.PERIOD_MESSAGE, "children"),
                Output(ids.PERIOD_LABEL, "value"), Output(ids.PERIOD_START, "value"), Output(ids.PERIOD_END, "value"),
                Output(ids.PERIOD_EDITING, "data"), Output(ids.PERIOD_ADD, "children"),
                Output(ids.PERIOD_CANCEL, "hidden"))
NOTE_KEYS = ("edit", "note_message", "note_text", "note_date", "note_pin", "note_value", "note_editing", "note_add",
             "note_cancel_hidden", "period_message", "period_label", "period_start", "period_end", "period_editing",
             "period_add", "period_cancel_hidden")


CLEARED = {"note": {"note_text": "", "note_value": None, "note_editing": None, "note_add": "Add note",
                    "note_cancel_hidden": True},
           "period": {"period_label": "", "period_start": None, "period_end": None, "period_editing": None,
                      "period_add": "Add period", "period_cancel_hidden": True}}


def _sent(edited: Edited, kind: str, seq: int) -> dict[str, Any]:
    """The form after an edit: its message; when done, the new marks to send and the form cleared."""
    out: dict[str, Any] = {f"{kind}_message": edited.message}
    if edited.done:
        out.update(CLEARED[kind], edit=edit_data(edited, seq))
    return out


def _clicked(view: View, fields: dict[str, Any], seq: int, click: tuple[str, str]) -> dict[str, Any]:
    """A click on the chart: the note typed goes there, else the form takes the date (and the party)."""
    date, party = click
    pin = party if party in view.parties else AT_DATE
    if (fields.get("note_text") or "").strip():
        edited = add_note(view, date, pin, None, fields.get("note_text"), fields.get("note_editing"))
        return {"note_date": date, "note_pin": pin, **_sent(edited, "note", seq)}
    return {"note_date": date, "note_pin": pin,
            "note_message": f"Date set to {_day(date)}: type the note, then press Add note."}


def _editing(view: View, kind: str, index: int) -> dict[str, Any]:
    """The form filled with the note or period to edit (Save puts it back in its place)."""
    if kind == "note" and index < len(view.marks):
        mark = view.marks[index]
        return {"note_text": mark.text, "note_date": mark.date, "note_value": mark.value, "note_editing": index,
                "note_pin": mark.party or (AT_VALUE if mark.value is not None else AT_DATE), "note_add": "Save note",
                "note_cancel_hidden": False, "note_message": f"Editing the note at {_day(mark.date)}."}
    if kind == "period" and index < len(view.highlights):
        period = view.highlights[index]
        return {"period_label": period.label, "period_start": period.start, "period_end": period.end,
                "period_editing": index, "period_add": "Save period", "period_cancel_hidden": False,
                "period_message": f"Editing the period from {_day(period.start)}."}
    return {}


def _mark_button(view: View, trigger: dict, seq: int) -> dict[str, Any]:
    """Edit or Remove beside a note or period in the lists."""
    kind, do, index = trigger.get("kind"), trigger.get("do"), trigger.get("index")
    if not isinstance(index, int) or kind not in ("note", "period") or do not in ("edit", "remove"):
        bad("the mark's button")
    return _sent(remove(view, kind, index), kind, seq) if do == "remove" else _editing(view, kind, index)


def form_action(view: View, trigger: dict | str | None, fields: dict[str, Any], seq: int,
                click: tuple[str, str] | None = None) -> dict[str, Any]:
    """What the form shows and sends after `trigger` (the component that fired): a plain function of
    the view and the fields, so it is tested without a browser. Keys as NOTE_KEYS; absent = unchanged."""
    if trigger == ids.CHART_CLICK and click is not None:
        return _clicked(view, fields, seq, click)
    if trigger in (ids.NOTE_ADD, ids.NOTE_TEXT):
        return _sent(add_note(view, fields.get("note_date"), fields.get("note_pin"), fields.get("note_value"),
                              fields.get("note_text"), fields.get("note_editing")), "note", seq)
    if trigger in (ids.PERIOD_ADD, ids.PERIOD_LABEL):
        return _sent(add_period(view, fields.get("period_start"), fields.get("period_end"), fields.get("period_label"),
                                fields.get("period_editing")), "period", seq)
    if trigger in (ids.NOTE_CANCEL, ids.PERIOD_CANCEL):
        kind = "note" if trigger == ids.NOTE_CANCEL else "period"
        return {**CLEARED[kind], f"{kind}_message": ""}
    if isinstance(trigger, dict) and trigger.get("type") == ids.MARK_ACTION:
        return _mark_button(view, trigger, seq)
    return {}


def register(app, dataset_of) -> None:
    """The form's callbacks: edits go to `marks-edit` (read by the view callback); the lists and the
    parties a note may point at follow the view."""

    @app.callback(
        *NOTE_OUTPUTS,
        Input(ids.NOTE_ADD, "n_clicks"), Input(ids.NOTE_TEXT, "n_submit"), Input(ids.NOTE_CANCEL, "n_clicks"),
        Input(ids.PERIOD_ADD, "n_clicks"), Input(ids.PERIOD_LABEL, "n_submit"), Input(ids.PERIOD_CANCEL, "n_clicks"),
        Input({"type": ids.MARK_ACTION, "kind": ALL, "do": ALL, "index": ALL}, "n_clicks"),
        Input(ids.CHART_CLICK, "data"),
        State(ids.EXPORT_VIEW, "data"), State(ids.NOTE_TEXT, "value"), State(ids.NOTE_DATE, "value"),
        State(ids.NOTE_PIN, "value"), State(ids.NOTE_VALUE, "value"), State(ids.NOTE_EDITING, "data"),
        State(ids.PERIOD_LABEL, "value"), State(ids.PERIOD_START, "value"), State(ids.PERIOD_END, "value"),
        State(ids.PERIOD_EDITING, "data"), State(ids.MARKS_EDIT, "data"),
        prevent_initial_call=True,
    )
    def edit_marks(_add, _submit, _cancel, _period_add, _period_submit, _period_cancel, actions, click, stored,
                   note_text, note_date, note_pin, note_value, note_editing, period_label, period_start, period_end,
                   period_editing, last_edit):
        """Add, save or remove a note or a period; a click on the chart gives a note its date."""
        trigger = ctx.triggered_id
        if isinstance(trigger, dict) and not any(actions or []):
            raise PreventUpdate  # the lists were drawn again: no button was pressed
        stored = view_dict(stored)
        fields = {"note_text": text(note_text, "the note"), "note_date": text(note_date, "the note's date"),
                  "note_pin": text(note_pin, "where the note points"), "note_value": number(note_value, "the value"),
                  "note_editing": _index(note_editing), "period_label": text(period_label, "the period's label"),
                  "period_start": text(period_start, "the period's start"),
                  "period_end": text(period_end, "the period's end"), "period_editing": _index(period_editing)}
        seq = int(last_edit.get("seq", 0)) + 1 if isinstance(last_edit, dict) and isinstance(
            last_edit.get("seq", 0), int) else 1
        clicked = click_date(click) if trigger == ids.CHART_CLICK else None
        out = form_action(view_from_dict(stored), trigger, fields, seq, clicked)
        if not out:
            raise PreventUpdate
        return tuple(out.get(key, no_update) for key in NOTE_KEYS)

    # the number of members is asked for only when the note points at one
    app.clientside_callback(f"function(pin) {{ return pin !== '{AT_VALUE}'; }}",
                            Output(ids.NOTE_VALUE_WRAP, "hidden"), Input(ids.NOTE_PIN, "value"))

    @app.callback(
        Output(ids.NOTES_LIST, "children"), Output(ids.PERIODS_LIST, "children"), Output(ids.NOTE_PIN, "options"),
        Input(ids.EXPORT_VIEW, "data"),
        prevent_initial_call=True,
    )
    def lists(stored):
        dataset = dataset_of()
        view = view_from_dict(view_dict(stored))
        notes, periods = mark_lists(dataset, view)
        return notes, periods, pin_options(dataset, view)
