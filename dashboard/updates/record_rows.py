"""Rows of an uploaded table of parties, events (leaders' terms, general elections) or related figures, read
the way a person meant each cell, with a located problem for every cell that cannot be read.

What the rows would change, and the checks that need the data (a colour too close to another party's, a
term that overlaps another), are for party_changes.py, event_changes.py and changes.py.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from dashboard.core.party_style import parse_colour
from dashboard.core.problems import control_character
from dashboard.core.tabular import Table
from dashboard.updates.cells import normalise, read_as_of, read_date, read_members, read_text, read_year, resolve_party
from dashboard.updates.located import ProblemList
from dashboard.updates.shapes import EVENTS, PARTIES, RELATED, columns_of
from dashboard.updates.voice import Voice

SLUG = re.compile(r"[a-z][a-z0-9_-]*")
TEXTS = ("source", "url", "note")
# How people write the kind of an event; each maps to a kind of events.csv.
EVENT_KIND_ALIASES = {
    "leader": {"leader", "leaders", "leaderterm", "leadersterm", "leadership", "partyleader", "term"},
    "general_election": {"generalelection", "ge", "election", "ukgeneralelection"},
}
_EVENT_KIND_OF = {alias: kind for kind, aliases in EVENT_KIND_ALIASES.items() for alias in (normalise(kind), *aliases)}
EVENT_KINDS_WORDS = "leader (a leader's term), general_election (a general election)"


@dataclass(frozen=True)
class RecordRow:
    """One row of a parties, events or related table: `values` in the table's columns (core.tables), `given`
    the columns the file itself filled, `columns` the file's heading of each, to locate later problems."""

    table: str
    values: dict[str, object]
    given: frozenset[str]
    line: int | None
    sheet: str | None
    columns: dict[str, str]


@dataclass(frozen=True)
class Context:
    """What reading a row needs besides the row: party names (the data's, and those the upload adds), the
    source, url and note for rows with none, and the words of the interface."""

    lookup: Mapping[str, str]
    known: str                  # the party names a message can suggest
    texts: Mapping[str, str]    # source/url/note defaults
    voice: Voice


def read_records(table: Table, kind: str, header: int, stop: int | None, context: Context,
                 problems: ProblemList) -> tuple[list[RecordRow], tuple[str, ...]]:
    """The rows under the header (up to `stop`, where another table begins), and the headings nothing reads."""
    heading = table.rows[header]
    at, unknown = columns_of(kind, heading)
    names = {role: heading[column].strip() for role, column in at.items()}
    required = {PARTIES: (), EVENTS: ("kind", "name", "start"), RELATED: ("party", "year", "members", "measure")}[kind]
    missing = [role for role in required if role not in at]
    if missing:
        problems.add(f"has no {', '.join(repr(m) for m in missing)} column (header: "
                     f"{', '.join(repr(c.strip()) for c in heading if c.strip())})", row=table.first_row + header)
        return [], ()
    if kind == PARTIES and "slug" not in at and "name" not in at:
        problems.add("has no 'name' column: a party needs its name", row=table.first_row + header)
        return [], ()
    reader = {PARTIES: _party, EVENTS: _event, RELATED: _related}[kind]
    rows: list[RecordRow] = []
    for offset, row in enumerate(table.rows[header + 1:stop], start=header + 1):
        cells = {role: (row[column].strip() if column < len(row) else "") for role, column in at.items()}
        if not any(c.strip() for c in row):
            continue
        line = table.first_row + offset

        def problem(role: str | None, message: str, line: int = line) -> None:
            problems.add(message, line, names.get(role) if role else None)

        bad = False
        for column, text in enumerate(row):
            if text and (error := control_character(text)) is not None:
                problems.add(error, line, heading[column].strip() if column < len(heading) else None)
                bad = True
        values, given, ok = reader(cells, context, problem)
        if ok and not bad:
            rows.append(RecordRow(kind, values, frozenset(given), line, table.sheet, names))
    return rows, tuple(unknown.values())


def _texts(cells: dict[str, str], context: Context, problem, values: dict[str, object], given: set[str]) -> bool:
    ok = True
    for name in TEXTS:
        value, error = read_text(cells.get(name, ""), name)
        if error:
            problem(name, error)
            ok = False
        if value:
            given.add(name)
        values[name] = value or context.texts.get(name, "")
    return ok


def _party(cells: dict[str, str], context: Context, problem) -> tuple[dict[str, object], set[str], bool]:
    values: dict[str, object] = {}
    given = {role for role, text in cells.items() if text and role not in TEXTS}
    ok = _texts(cells, context, problem, values, given)
    slug = cells.get("slug", "").lower()
    if slug and not SLUG.fullmatch(slug):
        problem("slug", f"'{cells['slug'][:40]}' is not a slug (lower-case letters, digits, - or _, starting with a "
                        "letter): leave it empty to make one from the name")
        ok = False
    name, error = read_text(cells.get("name", ""), "name")
    if error:
        problem("name", error)
        ok = False
    if not slug and not name:
        problem("name", "is empty: give the party's name")
        ok = False
    colour, error = parse_colour(cells.get("colour", ""))
    if error:
        problem("colour", error)
        ok = False
    aliases = [a.strip() for a in cells.get("aliases", "").split(";") if a.strip()]
    short, error = read_text(cells.get("short", ""), "short")
    if error:
        problem("short", error)
        ok = False
    values.update(slug=slug, name=name, colour=colour, aliases=";".join(aliases), short=short)
    return values, given, ok


def _party_slug(text: str, role: str, context: Context, problem, needed: bool) -> tuple[str, bool]:
    if not text:
        if needed:
            problem(role, "is empty: give the party")
        return "", not needed
    slug = resolve_party(text, context.lookup)
    if slug is None:
        problem(role, f"unknown party '{text[:60]}' (known: {context.known}): add the party first, with its name and "
                      "colour, then these rows")
        return "", False
    return slug, True


def _event(cells: dict[str, str], context: Context, problem) -> tuple[dict[str, object], set[str], bool]:
    values: dict[str, object] = {}
    given = {role for role, text in cells.items() if text and role not in TEXTS}
    ok = _texts(cells, context, problem, values, given)
    kind = _EVENT_KIND_OF.get(normalise(cells.get("kind", "")))
    if kind is None:
        problem("kind", f"unknown kind '{cells.get('kind', '')[:40]}' (accepted: {EVENT_KINDS_WORDS})"
                if cells.get("kind") else f"is empty: say what the event is ({EVENT_KINDS_WORDS})")
        ok = False
    party, party_ok = _party_slug(cells.get("party", ""), "party", context, problem, needed=False)
    name, error = read_text(cells.get("name", ""), "name")
    if error or not name:
        problem("name", error or "is empty: give the leader's name, or the election's")
        ok = False
    dates = {}
    for role in ("start", "end"):
        date, error = read_date(cells.get(role, ""))
        if error or (role == "start" and not date):
            problem(role, error or "is empty: give the day the term began (or the election's day)")
            ok = False
        dates[role] = date
    values.update(kind=kind or "", party=party, name=name, **dates)
    return values, given, ok and party_ok


def _related(cells: dict[str, str], context: Context, problem) -> tuple[dict[str, object], set[str], bool]:
    values: dict[str, object] = {}
    given = {role for role, text in cells.items() if text and role not in TEXTS}
    ok = _texts(cells, context, problem, values, given)
    party, party_ok = _party_slug(cells.get("party", ""), "party", context, problem, needed=True)
    year, error = read_year(cells.get("year", ""))
    if error:
        problem("year", error)
    members, error2 = read_members(cells.get("members", ""))
    if error2:
        problem("members", error2)
    as_of, error3 = read_as_of(cells.get("as_of", ""), year)
    if error3:
        problem("as_of", error3)
    measure, error4 = read_text(cells.get("measure", ""), "measure")
    if error4 or not measure:
        problem("measure", error4 or "is empty: say what the number counts (e.g. registered supporters)")
    values.update(party=party, year=year, members=members, as_of=as_of, measure=measure)
    return values, given, ok and party_ok and not (error or error2 or error3 or error4 or not measure)
