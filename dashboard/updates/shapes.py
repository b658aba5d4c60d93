"""What kind of table an upload is, recognised from its columns: membership figures, related figures (a
`measure` column), parties (slug, colour, aliases, short name) or events (kind, start, end). An .xlsx may hold
several, one per sheet named after its kind. A table that mixes the columns of two kinds, or a second table of
another kind below the first, is a located problem, never a guess.
"""
from __future__ import annotations

from dataclasses import dataclass

from dashboard.updates.cells import normalise

FIGURES, RELATED, PARTIES, EVENTS = "figures", "related", "parties", "events"
# The sheet names of a workbook of several kinds, and the kind each holds.
SHEETS = {"membership": FIGURES, "parties": PARTIES, "events": EVENTS, "related": RELATED}
# How the preview names each kind.
KIND_WORDS = {FIGURES: "membership figures", RELATED: "related figures", PARTIES: "parties",
              EVENTS: "leaders' terms and elections"}
HEADER_SEARCH_ROWS = 30

_TEXT_ROLES = {
    "source": {"source", "sources", "publishedby", "publisher"},
    "url": {"url", "link", "sourceurl", "web", "weblink"},
    "note": {"note", "notes", "comment", "comments", "caveat", "caveats"},
}
# Column headings each kind's rows are read by (normalised: lower-case letters and digits).
ROLES: dict[str, dict[str, set[str]]] = {
    PARTIES: {"slug": {"slug", "partyslug", "id", "code"}, "name": {"name", "partyname", "fullname"},
              "colour": {"colour", "color", "partycolour", "partycolor", "hex"},
              "aliases": {"aliases", "alias", "othernames", "alsoknownas", "spellings"},
              "short": {"short", "shortname", "label", "abbreviation"}, **_TEXT_ROLES},
    EVENTS: {"kind": {"kind", "type", "event", "eventtype"}, "party": {"party", "partyname", "partyslug"},
             "name": {"name", "leader", "title"}, "start": {"start", "from", "startdate", "began", "since"},
             "end": {"end", "to", "until", "enddate", "ended"}, **_TEXT_ROLES},
    RELATED: {"party": {"party", "partyname", "partyslug"}, "year": {"year", "yr"},
              "members": {"members", "number", "count", "value", "total"},
              "as_of": {"asof", "asat", "asofdate", "date"}, "measure": {"measure", "whatiscounted"}, **_TEXT_ROLES},
}
# The columns that tell a kind from the others.
_YEAR = {"year", "yr", "years", "yearend", "yearending"}
_MEMBERS = {"members", "membership", "membercount", "numberofmembers", "totalmembers", "totalmembership",
            "individualmembers", "memberstotal"}
_DISTINCT = {PARTIES: ROLES[PARTIES]["slug"] | ROLES[PARTIES]["colour"] | ROLES[PARTIES]["aliases"]
             | ROLES[PARTIES]["short"],
             EVENTS: ROLES[EVENTS]["start"] | ROLES[EVENTS]["end"],
             RELATED: ROLES[RELATED]["measure"]}


def kinds_in(row: list[str]) -> list[str]:
    """The kinds whose telling columns this row has (several: a row mixing two kinds' columns)."""
    cells = {normalise(c) for c in row if c.strip()}
    found = []
    if cells & _YEAR:
        found.append(RELATED if cells & _DISTINCT[RELATED] else FIGURES)
    for kind in (PARTIES, EVENTS):
        if cells & _DISTINCT[kind] and not (kind == PARTIES and cells & _DISTINCT[EVENTS]):
            found.append(kind)
    if not found and cells & ROLES[PARTIES]["name"] and not cells & (ROLES[EVENTS]["kind"] | _MEMBERS):
        found.append(PARTIES)  # a list of names (and sources): parties whose slug and colour are left to the product
    return found


@dataclass(frozen=True)
class Recognised:
    """The kind of a table, where its header is, and what is wrong with how it is laid out."""

    kind: str | None
    header: int | None                      # index in the table's rows
    problems: tuple[tuple[str, int | None], ...] = ()   # message, rows index (None: the file as a whole)


def recognise(rows: list[list[str]]) -> Recognised:
    """The first of the top rows that is a header of some kind; a header with two kinds' columns, or a later
    row that is the header of another kind, is a problem."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = kinds_in(row)
        if not found:
            continue
        if len(found) > 1:
            words = " and ".join(f"{KIND_WORDS[k]} ({_telling(row, k)})" for k in found)
            return Recognised(None, index, ((f"has the columns of {words} in one table: put each kind in a file of "
                                             "its own, or in its own sheet of an .xlsx (membership, parties, events, "
                                             "related)", index),))
        kind = found[0]
        later = next(((i, kinds_in(r)) for i, r in enumerate(rows[index + 1:], start=index + 1)
                      if _looks_like_header(r) and kinds_in(r) and kinds_in(r) != [kind]), None)
        if later is not None:
            i, other = later
            return Recognised(kind, index, ((f"starts a second table, of {KIND_WORDS[other[0]]}, below the "
                                             f"{KIND_WORDS[kind]}: put each kind in a file of its own, or in its "
                                             "own sheet of an .xlsx (membership, parties, events, related)", i),))
        return Recognised(kind, index)
    return Recognised(None, None)


def _looks_like_header(row: list[str]) -> bool:
    """A row of words only (a heading), not a row of data with a number or a date in it."""
    cells = [c.strip() for c in row if c.strip()]
    return len(cells) >= 2 and not any(any(ch.isdigit() for ch in c) for c in cells)


def _telling(row: list[str], kind: str) -> str:
    telling = _YEAR | _DISTINCT[RELATED] if kind in (FIGURES, RELATED) else _DISTINCT[kind]
    return ", ".join(c.strip() for c in row if normalise(c) in telling)


def columns_of(kind: str, header: list[str]) -> tuple[dict[str, int], dict[int, str]]:
    """({role: column}, {column: heading not understood}) for a table of parties, events or related figures."""
    roles = ROLES[kind]
    at: dict[str, int] = {}
    unknown: dict[int, str] = {}
    for column, text in enumerate(header):
        key = normalise(text)
        if not key:
            continue
        role = next((r for r, names in roles.items() if key in names), None)
        if role is not None and role not in at:
            at[role] = column
        else:
            unknown[column] = text.strip()
    return at, unknown
