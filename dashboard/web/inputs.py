"""What a reader's callback accepts from the browser. The page always sends the right types; a
script posting anything else gets 400 Bad Request with a one-line reason, never a traceback."""
from __future__ import annotations

import dataclasses
from typing import Any, NoReturn

from werkzeug.exceptions import BadRequest

from dashboard.core.view import View

MAX_TEXT = 2000


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
        return value is None or (isinstance(value, int) and not isinstance(value, bool))
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
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


def marks_edit_data(value: object) -> dict[str, Any] | None:
    """The writer's marks after an edit in the Export panel (lists of a link's words), or 400."""
    if value is None:
        return None
    if not isinstance(value, dict):
        bad("the notes")
    for key in ("marks", "highlights"):
        texts(value.get(key, []), f"the {key}")
    return value


def text(value: object, what: str) -> str | None:
    if value is None or (isinstance(value, str) and len(value) <= MAX_TEXT):
        return value
    bad(what)


def texts(value: object, what: str) -> list[str] | None:
    if value is None or (isinstance(value, list) and all(isinstance(v, str) for v in value) and len(value) < 100):
        return value
    bad(what)


def number(value: object, what: str) -> int | float | str | None:
    """A number box's value: a number, text being typed, or nothing."""
    if value is None or (isinstance(value, (int, float, str)) and not isinstance(value, bool)
                         and len(str(value)) < 40):
        return value
    bad(what)


def year_pair(value: object) -> list[int] | None:
    if value is None or (isinstance(value, list) and len(value) == 2
                         and all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        return value
    bad("the year range")
