"""One cell of a person's spreadsheet read the way the person meant it: '309,000', '309 000',
Excel's '309000.0', 'Lib Dems' for libdem; and the reason, in words, when it cannot be read.
"""
from __future__ import annotations

import datetime as dt
import re

from dashboard.core.dataset import BASES, parse_members, parse_year

# Party names are read in core (shared links understand them too): uploads use the same lookup.
from dashboard.core.party_names import known_parties, normalise, party_lookup, resolve_party

__all__ = ["MAX_TEXT", "accepted_bases", "known_parties", "normalise", "party_lookup", "read_as_of", "read_basis",
           "read_date", "read_members", "read_text", "read_year", "resolve_party"]

MAX_TEXT = 1000

_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")
_COMMA_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+")
_DOT_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")
_ZERO_DECIMALS = re.compile(r"(-?\d+)\.0+")
_DECIMAL = re.compile(r"-?\d*\.\d+")
_NEGATIVE = re.compile(r"-\d+")
_WEB_ADDRESS = re.compile(r"https?://\S+", re.IGNORECASE)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_BRITISH = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")     # 17/07/2026: day, month, year, as in Britain
_SHORT_YEAR = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2}")
_MONTH_ONLY = re.compile(r"\d{4}-\d{1,2}|\d{1,2}[/.-]\d{4}|[A-Za-z]+\.? \d{4}")
DATE_FORMS = "2026-07-17 or 17/07/2026"


def read_members(text: str) -> tuple[int | None, str | None]:
    """A member count as people write it ('309,000', '309 000', Excel's '309000.0'), or why not."""
    if text.isascii() and text.isdigit():
        return parse_members(text)  # the common case, without the forgiving rules below
    cleaned = _SPACES.sub("", text)
    if not cleaned:
        return None, "is empty"
    if _COMMA_THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    elif _DOT_THOUSANDS.fullmatch(cleaned):
        return None, (f"'{text}' is ambiguous (a decimal point or a thousands separator?): "
                      f"write {cleaned.replace('.', '')} or {cleaned.replace('.', ',')}")
    elif match := _ZERO_DECIMALS.fullmatch(cleaned):
        cleaned = match.group(1)
    elif _DECIMAL.fullmatch(cleaned):
        return None, f"'{text}' is fractional: a member count is a whole number"
    members, error = parse_members(cleaned)
    if error is None or cleaned.isdigit():  # a whole number, but too many members: parse_members says so
        return members, error
    if _NEGATIVE.fullmatch(cleaned):
        return None, f"'{text}' is negative: a member count is zero or more"
    return None, f"'{text}' is not a number: write the whole number of members, e.g. 309000 or 309,000"


def read_year(text: str) -> tuple[int | None, str | None]:
    cleaned = _SPACES.sub("", text)
    if match := _ZERO_DECIMALS.fullmatch(cleaned):
        cleaned = match.group(1)
    return parse_year(cleaned)


def read_date(text: str) -> tuple[str, str | None]:
    """A day as people write it, as an ISO date: 2026-07-17, or 17/07/2026 (day first, as in Britain; also
    with . or -); "" for an empty cell; or why it is not a day."""
    cleaned = text.strip()
    if not cleaned:
        return "", None
    found = _ISO.fullmatch(cleaned)
    parts = (found.group(1), found.group(2), found.group(3)) if found else None
    if parts is None and (british := _BRITISH.fullmatch(cleaned)):
        parts = (british.group(3), british.group(2), british.group(1))
    if parts is not None:
        try:
            return dt.date(int(parts[0]), int(parts[1]), int(parts[2])).isoformat(), None
        except ValueError:
            return "", f"'{cleaned}' is not a day of the calendar (day, month and year as in {DATE_FORMS})"
    if _SHORT_YEAR.fullmatch(cleaned):
        return "", f"'{cleaned}' has a two-digit year: write the year in full, as in {DATE_FORMS}"
    if _MONTH_ONLY.fullmatch(cleaned):
        return "", f"'{cleaned}' gives no day: write the whole date, as in {DATE_FORMS}"
    return "", f"'{cleaned[:40]}' is not a date: write it as {DATE_FORMS}"


def read_as_of(text: str, year: int | None) -> tuple[str, str | None]:
    """A figure's date (empty for a 31 December year-end figure) within the figure's year, or why not."""
    date, error = read_date(text)
    if error:
        return "", f"{error} (leave it empty for a 31 December year-end figure)"
    if date and year is not None and int(date[:4]) != year:
        return "", f"{date} is not in the figure's year {year}"
    return date, None


def read_text(text: str, column: str) -> tuple[str, str | None]:
    """Source, url or note on one line; a url must be a web address (it may become a link)."""
    if not text:
        return "", None
    cleaned = " ".join(text.split())
    if len(cleaned) > MAX_TEXT:
        return "", f"is {len(cleaned):,} characters long (limit {MAX_TEXT:,})"
    if column == "url" and not _WEB_ADDRESS.fullmatch(cleaned):
        return "", f"'{cleaned[:80]}' is not a web address starting with http:// or https://"
    return cleaned, None


# How people write the kind of figure a count is; each maps to a key of core.dataset.BASES.
BASIS_ALIASES: dict[str, tuple[str, ...]] = {
    "accounts": ("accounts", "account", "audited", "auditedaccounts", "partyaccounts", "statementofaccounts",
                 "electoralcommission", "ec"),
    "party_report": ("partyreport", "report", "annualreport", "reporttoconference", "conferencereport", "necreport",
                     "official", "officialfigure", "officers"),
    "compiled": ("compiled", "compilation", "commonslibrary", "wikipedia", "notstated", "secondary"),
    "press": ("press", "pressreport", "leak", "leaked", "internal", "internalfigures", "media", "journalist"),
    "party_claim": ("partyclaim", "claim", "claimed", "ownclaim", "pressrelease", "counter", "livecounter",
                    "selfreported", "estimate", "partyestimate"),
}
_BASIS_OF = {alias: slug for slug, aliases in BASIS_ALIASES.items() for alias in (normalise(slug), *aliases)}


def accepted_bases() -> str:
    return ", ".join(f"{slug} ({basis.label})" for slug, basis in BASES.items())


def read_basis(text: str) -> tuple[str, str | None]:
    """The basis of a figure as a person writes it ('Accounts', 'party claim', 'leak'), "" when the
    cell is empty, or the reason it is not one of the accepted bases."""
    if not text.strip():
        return "", None
    slug = _BASIS_OF.get(normalise(text))
    if slug is None:
        return "", f"unknown basis '{text.strip()[:60]}' (accepted: {accepted_bases()})"
    return slug, None
