"""How precisely a figure is known, as data: its `bound` (the true count is the figure, below it,
above it, or about it) and its `date_precision` (the day, or only the month, only the year, or an
approximate date).

Both are columns of data/membership.csv, empty for the plain case (an exact figure known to the
day). They were derived once from the notes' words by the rule below (`membership derive-precision`),
the rows it gave reviewed against the notes, and are kept as data since: the chart, the labels and
the sentences read the columns, never the words. An upload may give them.
"""
from __future__ import annotations

import datetime as dt
import re

BOUNDS = ("below", "above", "about")  # or "": the figure as reported is the count
PRECISIONS = ("day", "month", "year", "approximate")  # "day" is written as an empty cell
BOUND_NAMES = {"": "exact", "below": "upper bound", "above": "lower bound", "about": "approximate"}

# Words of a note that bound the very number of its figure ('fallen below 250,000', '66,500+').
_BELOW = r"below|under|fewer than|less than|almost|nearly"
_ABOVE = r"more than|over|at least|past|above|topped"
_ABOUT = r"around|about|approximately|roughly|some|c\.\s?"
# The compiler's own markers, which speak of the row's figure wherever they stand in its note.
_MARKERS = (("(upper bound)", "below"), ("(more than)", "above"), ("(approximate)", "about"),
            ("approximate figure", "about"))


def parse_bound(text: str) -> tuple[str, str | None]:
    """A bound as the data file writes it ("" for an exact figure), or the reason it is not one."""
    value = text.strip().lower()
    if value in ("", "exact"):
        return "", None
    if value in BOUNDS:
        return value, None
    return "", f"'{text[:40]}' is not a bound (accepted: below, above, about, or empty for an exact figure)"


def parse_precision(text: str) -> tuple[str, str | None]:
    """A date precision as the data file writes it ("" for a date known to the day), or the reason it is
    not one."""
    value = text.strip().lower()
    if value in ("", "day"):
        return "", None
    if value in PRECISIONS:
        return value, None
    return "", f"'{text[:40]}' is not a date precision (accepted: {', '.join(PRECISIONS)}; empty for day)"


def date_span(as_of: str, precision: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day a figure dated `as_of` may count from when its date is known only to the
    month or the year; None for a year-end figure (as_of empty: a point at 31 December), a known day
    or an approximate date."""
    if not as_of or precision not in ("month", "year"):
        return None
    day = dt.date.fromisoformat(as_of)
    if precision == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    following = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return dt.date(day.year, day.month, 1), following - dt.timedelta(days=1)


def drawn_date(as_of: str, year: int, precision: str = "") -> dt.date:
    """Where on the time axis a figure is drawn: its day, 31 December for a year end, the middle of its
    month or year when it is known only to that."""
    span = date_span(as_of, precision)
    if span is not None:
        return span[0] + (span[1] - span[0]) / 2
    return dt.date.fromisoformat(as_of) if as_of else dt.date(year, 12, 31)


def derive_bound(members: int, note: str) -> str:
    """The bound a note's words put on this figure: the compiler's marker ('(upper bound)', '(more than)',
    '(approximate)') if it has one, else the first bounding word standing right before this very number
    ('below 250,000') or a '+' after it ('66,500+'). Words about another number leave it exact (a note
    that quotes another source's 'more than 350,000' for a figure of 370,600)."""
    text = note.lower()
    for marker, bound in _MARKERS:
        if marker in text:
            return bound
    if re.match(r"approximate\b(?! date)", text):  # 'approximate ('approximately just 60k')'
        return "about"
    number = re.escape(f"{members:,}")
    found = [(m.start(), bound) for bound, words in (("below", _BELOW), ("above", _ABOVE), ("about", _ABOUT))
             for m in re.finditer(rf"(?<![\w.])(?:just |well )?(?:{words})\s*{number}(?![\d,])", text)]
    found += [(m.start(), "above") for m in re.finditer(rf"(?<![\d,]){number}\+", text)]
    return min(found)[1] if found else ""


# Phrases of the notes that say how the date is known. Where a note has several, the first says it of
# this figure: a later one may speak of another source's ("month only; ... the infobox gives 8,100
# for 2016 (year only)").
_DATE_PHRASES = (
    (r"month only", "month"), (r"year only", "year"), (r"date within the year not stated", "year"),
    (r"mid-year used", "year"), (r"approximate date", "approximate"),
    (r"date of (?:the )?(?:\w+ ){0,2}(?:report|analysis)", "approximate"),
    (r"treated as (?:the )?(?:\d{4} )?year-end", "approximate"),
)
# Phrases that say the figure's own date is unknown, whatever else its note says of the date it has.
_UNKNOWN_DATE = ("underlying date not stated", "own date was not captured")


def derive_precision(note: str) -> str:
    """How precisely the note says the figure's date is known ("" for the day): only the year ('only the
    year is known', 'year only', 'mid-year used'), only the month ('month only'), or approximately ('approximate
    date', the date of a report or a scrape standing in for the count's own, a date the compiler chose
    'treated as year-end')."""
    text = note.lower()
    if "only the year is known" in text:
        return "year"
    if any(phrase in text for phrase in _UNKNOWN_DATE):
        return "approximate"
    found = [(m.start(), precision) for phrase, precision in _DATE_PHRASES for m in re.finditer(phrase, text)]
    return min(found)[1] if found else ""
