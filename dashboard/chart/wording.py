"""A figure in words as honest as its source: "below 250,000" for an upper bound, "Dec 2025" for a
figure known only to the month. The data's notes follow fixed conventions (../shared/data/README.md):
"(more than)", "(upper bound)", "month only", 'around 93,000'; this module reads them in one place.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dashboard.core.dataset import basis_of

# short basis words for the chart's direct labels, where a whole phrase does not fit
BASIS_WORD = {"accounts": "accounts", "party_report": "party report", "compiled": "compiled", "press": "press",
              "party_claim": "own claim", "": "basis not given"}


@dataclass(frozen=True)
class Bounds:
    """What a reported number says about the true count: exactly it, at least it, at most it, or about it."""

    value: int
    kind: str = "exact"   # "exact", "more than", "below" or "about"

    @property
    def low(self) -> float:
        return 0.0 if self.kind == "below" else float(self.value)

    @property
    def high(self) -> float:
        return float("inf") if self.kind == "more than" else float(self.value)


CLEAR_GAP = 0.2  # figures this far apart (a share of the larger) rank as stated, whatever their qualifiers


def order(a: Bounds, b: Bounds) -> int:
    """1 when `a` is known to be above `b`, -1 when below, 0 when the words cannot rank them: 'below
    250,000' is not known to be above 240,000, but it is above 'more than 90,000' as any reader takes
    those words (figures a fifth or more apart rank as stated)."""
    if a.low > b.high or a.value - b.value >= CLEAR_GAP * max(a.value, 1):
        return 1
    if a.high < b.low or b.value - a.value >= CLEAR_GAP * max(b.value, 1):
        return -1
    return 0


def bounds(members: int, note: str) -> Bounds:
    """The figure with the qualifier its note gives it, if the note speaks of this very number."""
    text = note.lower()
    number = f"{members:,}"
    if "(upper bound)" in text or re.search(rf"\b(below|under|fewer than|less than) {number}\b", text):
        return Bounds(members, "below")
    if ("(more than)" in text or re.search(rf"\b(more than|over|past|above) {number}\b", text)
            or f"{number}+" in text):
        return Bounds(members, "more than")
    if re.search(rf"\b(around|about|approximately|some) {number}\b", text):
        return Bounds(members, "about")
    return Bounds(members)


def value_text(members: int, note: str, compact: bool = False) -> str:
    """'268,631', 'below 250,000', 'more than 180,000' (compact: '269k', '<250k', '>180k')."""
    found = bounds(members, note)
    if compact:
        number = f"{members / 1000:.0f}k" if members >= 10_000 else f"{members / 1000:.1f}k"
        return {"below": "<", "more than": ">", "about": "~"}.get(found.kind, "") + number
    prefix = "" if found.kind == "exact" else found.kind + " "
    return f"{prefix}{members:,}"


def month_only(note: str) -> bool:
    """The day of the date was not known ("month only", "approximate date"): show only the month."""
    text = note.lower()
    return "month only" in text or "approximate date" in text


def when_text(as_of: str, year: int, note: str = "", short: bool = False) -> str:
    """'31 Dec 2024' for a year end, 'Dec 2025' for a figure known only to the month, else '21 Aug 2025'
    (short: 'Dec 25')."""
    date = dt.date.fromisoformat(as_of) if as_of else dt.date(year, 12, 31)
    if short:
        return f"{date:%b} {date:%y}" if as_of else f"end {date:%y}"
    if as_of and month_only(note):
        return f"{date:%b %Y}"
    return f"{date.day} {date:%b %Y}"


def basis_phrase(basis: str) -> str:
    return basis_of(basis).phrase


def possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")
