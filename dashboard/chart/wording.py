"""A figure in words as honest as its source: "below 250,000" for an upper bound, "Dec 2025" for a
figure known only to the month. What the words rest on is data: each figure's `bound` and
`date_precision` (core/precision.py), never its note read again at drawing time.
"""
from __future__ import annotations

import datetime as dt
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


KIND_OF_BOUND = {"": "exact", "below": "below", "above": "more than", "about": "about"}


def bounds(members: int, bound: str) -> Bounds:
    """The figure with the qualifier its data gives it (the `bound` column, core/precision.py)."""
    return Bounds(members, KIND_OF_BOUND.get(bound, "exact"))


def value_text(members: int, bound: str, compact: bool = False) -> str:
    """'268,631', 'below 250,000', 'more than 180,000' (compact: '269k', '<250k', '>180k')."""
    found = bounds(members, bound)
    if compact:
        number = f"{members / 1000:.0f}k" if members >= 10_000 else f"{members / 1000:.1f}k"
        return {"below": "<", "more than": ">", "about": "~"}.get(found.kind, "") + number
    prefix = "" if found.kind == "exact" else found.kind + " "
    return f"{prefix}{members:,}"


def when_text(as_of: str, year: int, precision: str = "day", short: bool = False) -> str:
    """'31 Dec 2024' for a year end, 'Dec 2025' for a figure known only to the month (or to about the
    date), '2018' for one known only to the year, else '21 Aug 2025' (short: 'Dec 25', 'end 24')."""
    date = dt.date.fromisoformat(as_of) if as_of else dt.date(year, 12, 31)
    if short:
        return f"{date:%b} {date:%y}" if as_of and precision != "year" else f"{date:%Y}" if as_of else f"end {date:%y}"
    if as_of and precision == "year":
        return f"{date:%Y}"
    if as_of and precision in ("month", "approximate"):
        return f"{date:%b %Y}"
    return f"{date.day} {date:%b %Y}"


def basis_phrase(basis: str) -> str:
    return basis_of(basis).phrase


def possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")
