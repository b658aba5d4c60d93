"""What a callback accepts from the browser. The page always sends the right types; a script
posting anything else gets 400 Bad Request with a one-line reason, never a traceback.

RULES names the kind of every property a server callback reads; web/callback_guard.py checks a
posted value against it before Dash calls the callback, and callbacks may check again.
"""
from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable
from typing import Any, NoReturn

from werkzeug.exceptions import BadRequest

from dashboard.core.view import View
from dashboard.web import ids

MAX_TEXT = 2000
MAX_ITEMS = 100


def bad(what: str) -> NoReturn:
    raise BadRequest(f"{what} is not of the expected kind")


def _fits(value: object, default: object) -> bool:
    """Whether a stored view field has the type of the View field's default."""
    if isinstance(default, tuple):
        return (isinstance(value, (list, tuple)) and len(value) < 100
                and all(isinstance(v, str) and len(v) <= MAX_TEXT for v in value))
    if isinstance(default, bool):
        return isinstance(value, bool)
    if default is None:
        return value is None or (isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10_000)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if isinstance(default, str):
        return isinstance(value, str) and len(value) <= MAX_TEXT
    return True


def view_dict(value: object, what: str = "the view") -> dict[str, Any] | None:
    """A stored view (view-store) whose every known field has its View type, or 400."""
    if value is None:
        return None
    if not isinstance(value, dict):
        bad(what)
    for field in dataclasses.fields(View):
        if field.name in value and field.default is not dataclasses.MISSING and not _fits(value[field.name], field.default):
            bad(f"{what}'s '{field.name}'")
    return value


def marks_edit_data(value: object, what: str = "the notes") -> dict[str, Any] | None:
    """The writer's marks after an edit in the Export panel (lists of a link's words), or 400."""
    if value is None:
        return None
    if not isinstance(value, dict):
        bad(what)
    for key in ("marks", "highlights"):
        texts(value.get(key, []), f"the {key}")
    return value


def text(value: object, what: str) -> str | None:
    if value is None or (isinstance(value, str) and len(value) <= MAX_TEXT):
        return value
    bad(what)


def texts(value: object, what: str) -> list[str] | None:
    if value is None or (isinstance(value, list) and all(isinstance(v, str) and len(v) <= MAX_TEXT for v in value)
                         and len(value) < MAX_ITEMS):
        return value
    bad(what)


def _finite(value: object) -> bool:
    """A JSON number a person could have typed: not a bool, not Infinity or NaN."""
    return (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, float) and math.isfinite(value))


def number(value: object, what: str) -> int | float | str | None:
    """A number box's value: a finite number, text being typed, or nothing."""
    if value is None or ((_finite(value) or isinstance(value, str)) and len(str(value)) < 40):
        return value  # type: ignore[return-value]
    bad(what)


def year_pair(value: object, what: str = "the year range") -> list[int] | None:
    if value is None or (isinstance(value, list) and len(value) == 2
                         and all(isinstance(v, int) and not isinstance(v, bool) and abs(v) < 10_000 for v in value)):
        return value
    bad(what)


def clicks(value: object, what: str) -> int | None:
    """A button's click count."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2 ** 53):
        return value
    bad(what)


def flag(value: object, what: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    bad(what)


def record(value: object, what: str) -> dict[str, Any] | None:
    """A store's object (a pending change, an upload): a JSON object or nothing; its fields are read
    defensively by the callback that owns it."""
    if value is None or isinstance(value, dict):
        return value
    bad(what)


def list_index(value: object, what: str) -> int | None:
    """Which note or period of a list is being edited: a small whole number, or nothing."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and 0 <= value < MAX_ITEMS):
        return value
    bad(what)


def clicks_each(value: object, what: str) -> list[int | None] | None:
    """The click counts of every button a pattern matches (ALL), one per button."""
    if value is None or (isinstance(value, list) and len(value) < MAX_ITEMS):
        return [clicks(v, what) for v in value] if value is not None else None
    bad(what)


def whole_or_text(value: object, what: str) -> int | float | str | None:
    """A store holding a change id or a data version: a number or text."""
    return number(value, what)


def anything(value: object, what: str) -> object:
    """A property only compared or handed back (a figure's config): any JSON the size checks let through."""
    return value


# Every property a server callback reads, with the kind of value the page sends for it.
RULES: dict[str, Callable[[object, str], object]] = {
    **{f"{i}.value": text for i in (ids.EXPORT_PRESET, ids.EXPORT_FORMAT, ids.EXPORT_TITLE, ids.EXPORT_SUBTITLE,
                                    ids.EXPORT_NOTE, ids.EXPORT_CREDIT, ids.MEASURE, ids.UPDATE_SHEET, ids.UPDATE_PARTY,
                                    ids.UPDATE_AS_OF, ids.UPDATE_SOURCE, ids.UPDATE_URL, ids.UPDATE_NOTE,
                                    ids.UPDATE_BASIS)},
    **{f"{i}.value": number for i in (ids.EXPORT_WIDTH, ids.EXPORT_HEIGHT, ids.EXPORT_SCALE, ids.YEAR_FROM,
                                      ids.YEAR_TO, ids.BASE_YEAR, ids.UPDATE_YEAR, ids.UPDATE_MEMBERS)},
    **{f"{i}.value": texts for i in (ids.PARTY_SELECT, ids.LOG_SCALE, ids.ANNOTATIONS, ids.BASIS_SELECT,
                                     ids.OVERWRITE_EXISTING)},
    **{f"{i}.n_clicks": clicks for i in (ids.EXPORT_PNG, ids.PREVIEW_FORM, ids.APPLY_CHANGES, ids.UNDO_CHANGE,
                                         ids.REDO_CHANGE, ids.LATEST_TO_NOTE, ids.COPY_LINK, ids.COPY_CITATION)},
    **{f"{i}.data": view_dict for i in (ids.VIEW_STORE, ids.EXPORT_VIEW)},
    **{f"{i}.data": flag for i in (ids.EXPORT_IN_VIEW, ids.CHART_DRAWN)},
    **{f"{i}.data": record for i in (ids.UPLOAD_PAYLOAD, ids.UPDATE_PENDING)},
    **{f"{i}.data": whole_or_text for i in (ids.UNDO_TARGET, ids.REDO_TARGET, ids.DATA_VERSION, ids.VIEWPORT_WIDTH)},
    # the party and event forms: their text boxes and pickers, their buttons, the boxes ticked
    **{f"{i}.value": text for i in (ids.PARTY_FORM_PARTY, ids.PARTY_FORM_NAME, ids.PARTY_FORM_COLOUR,
                                    ids.PARTY_FORM_ALIASES, ids.PARTY_FORM_SHORT, ids.PARTY_FORM_SOURCE,
                                    ids.PARTY_FORM_URL, ids.PARTY_FORM_NOTE, ids.EVENT_FORM_KIND, ids.EVENT_FORM_PARTY,
                                    ids.EVENT_FORM_NAME, ids.EVENT_FORM_START, ids.EVENT_FORM_END,
                                    ids.EVENT_FORM_SOURCE, ids.EVENT_FORM_URL, ids.EVENT_FORM_NOTE)},
    **{f"{i}.n_clicks": clicks for i in (ids.PREVIEW_PARTY, ids.REMOVE_PARTY, ids.PREVIEW_EVENT)},
    **{f"{i}.value": texts for i in (ids.ADD_PARTIES, ids.EVENT_FORM_ENDS_CURRENT)},
    # Enter or leaving a box of the one-figure form previews it (counts, like clicks)
    **{f"{i}.{event}": clicks for i in (ids.UPDATE_SOURCE, ids.UPDATE_URL, ids.UPDATE_NOTE)
       for event in ("n_submit", "n_blur")},
    # the writer's notes and periods (the Export panel's form, a click on the chart, a list's buttons)
    **{f"{i}.value": text for i in (ids.NOTE_TEXT, ids.NOTE_DATE, ids.NOTE_PIN, ids.PERIOD_LABEL, ids.PERIOD_START,
                                    ids.PERIOD_END)},
    f"{ids.NOTE_VALUE}.value": number,
    **{f"{i}.n_clicks": clicks for i in (ids.NOTE_ADD, ids.NOTE_CANCEL, ids.PERIOD_ADD, ids.PERIOD_CANCEL)},
    **{f"{i}.n_submit": clicks for i in (ids.NOTE_TEXT, ids.PERIOD_LABEL)},
    **{f"{i}.data": list_index for i in (ids.NOTE_EDITING, ids.PERIOD_EDITING)},
    f"{ids.MARK_ACTION}.n_clicks": clicks_each,  # a pattern's id: the rule is found by its "type"
    f"{ids.CHART_CLICK}.data": record,
    f"{ids.MARKS_EDIT}.data": marks_edit_data,
    f"{ids.YEAR_RANGE}.value": year_pair,
    f"{ids.LOCATION}.search": text,
    f"{ids.CHART}.config": anything,
}


def rule_name(component_id: str, prop: str) -> str:
    """The RULES key of a property: `id.property`, or `type.property` for a pattern-matching id (which
    Dash names by its JSON, e.g. '{"index":["ALL"],"type":"mark-action"}')."""
    if component_id.startswith("{"):
        try:
            pattern = json.loads(component_id)
        except ValueError:
            pattern = {}
        component_id = str(pattern.get("type", component_id)) if isinstance(pattern, dict) else component_id
    return f"{component_id}.{prop}"
