"""The writer's own marks on the chart: notes pinned to a date (optionally to a party's line or to a
value) and highlighted periods. They belong to the view, so the link, the CLI and every export carry
them; here they are read from and written to the words a link uses:

    mark=2015-09-12:Corbyn elected          a note at a date
    mark=2015-09-12@labour:Corbyn elected   on Labour's line at that date
    mark=2017-06-08@550000:A peak           at 550,000 members at that date
    highlight=2015-09-12:2020-04-04:Corbyn years

A writer's text is shown as text, never markup, and is held to the same rule as an upload's cells:
no control characters and no bidirectional overrides.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from dashboard.core.problems import control_character

MAX_MARKS = 10
MAX_MARK_TEXT = 120
MAX_PERIODS = 5
MAX_PIN_TEXT = 40  # a party as written in a link ('Lib Dems'), before it is matched to the data

T = TypeVar("T")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHITESPACE = re.compile(r"[\t\n\r ]+")


@dataclass(frozen=True)
class Mark:
    """A note at `date` (ISO), with a short leader line to its point: on `party`'s line (a slug once
    the view is resolved), at `value` members, or, with neither, at the date itself."""

    date: str
    text: str
    party: str = ""
    value: int | None = None

    @property
    def day(self) -> dt.date:
        return dt.date.fromisoformat(self.date)


@dataclass(frozen=True)
class Period:
    """A highlighted stretch of time, from `start` to `end` (ISO dates), with a label."""

    start: str
    end: str
    label: str = ""

    @property
    def first_day(self) -> dt.date:
        return dt.date.fromisoformat(self.start)

    @property
    def last_day(self) -> dt.date:
        return dt.date.fromisoformat(self.end)


class MarkError(ValueError):
    """A mark or highlight that cannot be read, in words naming it."""


def _date(text: str, what: str) -> str:
    text = text.strip()
    if not _ISO_DATE.fullmatch(text):
        raise MarkError(f"{what} '{text[:20]}' is not a date written YYYY-MM-DD")
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise MarkError(f"{what} '{text}' is not a day of the calendar") from None
    return text


def plain_text(text: str, what: str, limit: int, required: bool = True) -> str:
    """The writer's text on one line; MarkError when it holds a control character, is empty (when
    `required`) or is longer than `limit`."""
    error = control_character(text)
    if error is not None:
        raise MarkError(f"{what} {error}")
    text = _WHITESPACE.sub(" ", text).strip()
    if required and not text:
        raise MarkError(f"{what} has no text")
    if len(text) > limit:
        raise MarkError(f"{what} is {len(text)} characters long; at most {limit}")
    return text


def short(text: str, limit: int = 30) -> str:
    """A writer's text quoted in a message, cut where it would run long."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def read_mark(written: str) -> Mark:
    """`DATE:TEXT`, `DATE@PARTY:TEXT` or `DATE@VALUE:TEXT` as a Mark (the party as written)."""
    head, colon, text = written.partition(":")
    if not colon:
        raise MarkError(f"the note '{short(written)}' has no ':' between its date and its text")
    date_text, at, pin = head.partition("@")
    date = _date(date_text, "the note's date")
    body = plain_text(text, f"the note at {date}", MAX_MARK_TEXT)
    pin = pin.strip()
    if at and not pin:
        raise MarkError(f"the note at {date} has '@' but no party or value after it")
    if pin.replace(",", "").isdigit():
        value = int(pin.replace(",", ""))
        if not 0 < value < 100_000_000:
            raise MarkError(f"the note at {date} is pinned to {value:,} members, which no chart shows")
        return Mark(date, body, value=value)
    if pin:
        pin = plain_text(pin, f"the party of the note at {date}", MAX_PIN_TEXT)
    return Mark(date, body, party=pin)


def read_period(written: str) -> Period:
    """`START:END:LABEL` (the label may be empty) as a Period, its dates in order."""
    start_text, colon, rest = written.partition(":")
    end_text, _, label = rest.partition(":")
    if not colon:
        raise MarkError(f"the highlight '{short(written)}' is not START:END:LABEL")
    start = _date(start_text, "the highlight's start")
    end = _date(end_text, "the highlight's end")
    if end < start:
        start, end = end, start
    if start == end:
        raise MarkError(f"the highlight from {start} to {end} is not a period: its start and end are the same day")
    return Period(start, end, plain_text(label, f"the label of the highlight from {start}", MAX_MARK_TEXT,
                                         required=False))


def mark_text(mark: Mark) -> str:
    """The words a link uses for the mark (read_mark gives it back)."""
    pin = f"@{mark.party}" if mark.party else f"@{mark.value}" if mark.value is not None else ""
    return f"{mark.date}{pin}:{mark.text}"


def period_text(period: Period) -> str:
    return f"{period.start}:{period.end}:{period.label}"


def _read_all(written: list[str], read: Callable[[str], T], limit: int, what: str) -> tuple[tuple[T, ...], list[str]]:
    found: list[T] = []
    problems: list[str] = []
    for text in written:
        try:
            found.append(read(text))
        except MarkError as error:
            message = str(error)
            problems.append(f"{message[0].upper()}{message[1:]}: set aside.")
    if len(found) > limit:
        problems.append(f"At most {limit} {what}: the last {len(found) - limit} set aside.")
    return tuple(found[:limit]), problems


def read_marks(written: list[str]) -> tuple[tuple[Mark, ...], list[str]]:
    """The notes that can be read, at most MAX_MARKS, and a sentence for each one set aside."""
    return _read_all(written, read_mark, MAX_MARKS, "notes")


def read_periods(written: list[str]) -> tuple[tuple[Period, ...], list[str]]:
    """The highlighted periods that can be read, at most MAX_PERIODS, and a sentence for each one set aside."""
    return _read_all(written, read_period, MAX_PERIODS, "highlighted periods")


def outside_years(marks: tuple[Mark, ...], periods: tuple[Period, ...], start: int, end: int) -> list[str]:
    """A sentence for each mark that falls outside the years shown (a period partly inside is drawn)."""
    span = f"{start}–{end}" if start != end else str(start)
    found = [f"the note '{short(m.text)}' ({m.date})" for m in marks if not start <= m.day.year <= end]
    found += [f"the highlight '{short(p.label) if p.label else 'unlabelled'}' ({p.start} to {p.end})"
              for p in periods if p.last_day.year < start or p.first_day.year > end]
    if not found:
        return []
    listed = found[0] if len(found) == 1 else ", ".join(found[:-1]) + " and " + found[-1]
    return [f"Outside the years shown ({span}), not drawn: {listed}."]
