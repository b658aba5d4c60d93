"""One cell of a person's spreadsheet read the way the person meant it: '309,000', '309 000',
Excel's '309000.0', 'Lib Dems' for libdem; and the reason, in words, when it cannot be read.
"""
from __future__ import annotations

import re

from dashboard.core.dataset import BASES, parse_members, parse_year

# Party names are read in core (shared links understand them too): uploads use the same lookup.
from dashboard.core.party_names import known_parties, normalise, party_lookup, resolve_party

__all__ = ["MAX_TEXT", "known_parties", "normalise", "party_lookup", "accepted_bases", "read_basis", "read_members", "read_text",
           "read_year", "resolve_party"]

MAX_TEXT = 1000

_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")
_COMMA_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+")
_DOT_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")
_ZERO_DECIMALS = re.compile(r"(-?\d+)\.0+")
_DECIMAL = re.compile(r"-?\d*\.\d+")
_NEGATIVE = re.compile(r"-\d+")
_WEB_ADDRESS = re.compile(r"https?://\S+", re.IGNORECASE)


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
    if error and not _NEGATIVE.fullmatch(cleaned):
        error = f"'{text}' is not a number: write the whole number of members, e.g. 309000 or 309,000"
    elif error:
        error = f"'{text}' is negative: a member count is zero or more"
    return members, error


def read_year(text: str) -> tuple[int | None, str | None]:
    cleaned = _SPACES.sub("", text)
    if match := _ZERO_DECIMALS.fullmatch(cleaned):
        cleaned = match.group(1)
    return parse_year(cleaned)


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
