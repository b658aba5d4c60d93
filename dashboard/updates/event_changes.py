"""What an upload would do to the events (leaders' terms and general elections), checked as figures are.

Every event needs a source. A leader's term that overlaps another term of the same party is a located
problem, unless the upload also ends the earlier one (ending the current leader's term and starting the
next is one change). So is an end before the start, a date in the future, a leader's term without its
party, or a general election given one.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from dashboard.core.dataset import EVENT_COLUMNS, Dataset
from dashboard.core.problems import Problem
from dashboard.core.selection import records
from dashboard.updates.change import Change, Kind
from dashboard.updates.record_rows import RecordRow

EDITABLE = ("name", "end", "source", "url", "note")   # the key (kind, party, start) names the event itself
OPEN = "9999-12-31"                                    # the end of a term that has not ended


def event_key(values: dict) -> tuple[str, str, str]:
    return (str(values["kind"]), str(values["party"]), str(values["start"]))


def _term(values: dict) -> str:
    return f"{values['name']}'s term ({values['start']} to {values['end'] or 'now'})"


def event_changes(dataset: Dataset, rows: list[RecordRow], new_parties: Collection[str], file: str,
                  today: dt.date | None = None) -> tuple[list[Change], list[Problem]]:
    """The changes the rows would make, and every problem with its row and column."""
    today_text = (today or dt.date.today()).isoformat()
    existing = {event_key(r): {c: str(r[c] or "") for c in EVENT_COLUMNS} for r in records(dataset.events)}
    changes: list[Change] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str, str], int | None] = {}
    final = dict(existing)
    mine: list[tuple[RecordRow, dict]] = []

    for row in rows:
        given = {c: str(row.values.get(c) or "") for c in EVENT_COLUMNS}
        key = event_key(given)
        old = existing.get(key)
        # an event already in the data keeps what the row does not give (ending a term keeps its source)
        values = given if old is None else {**old, **{f: given[f] for f in EDITABLE if f in row.given}}

        def problem(role: str, message: str, row: RecordRow = row) -> None:
            problems.append(Problem(file, message, row=row.line, column=row.columns.get(role, role), sheet=row.sheet))

        if key in seen:
            problem("start", f"this event is given twice in this file (first on row {seen[key]})")
            continue
        seen[key] = row.line
        if not _checked(values, dataset, new_parties, today_text, problem):
            continue
        if old is None:
            changes.append(Change("added", key, values, None, EVENT_COLUMNS, row.line, row.sheet, table="events"))
        else:
            fields = tuple(f for f in EDITABLE if values[f] != old[f])
            kind: Kind = "changed" if fields else "unchanged"
            changes.append(Change(kind, key, values, old, fields, row.line, row.sheet, table="events"))
        final[key] = values
        mine.append((row, values))

    reported: set[frozenset] = set()
    for row, values in mine:
        if values["kind"] != "leader":
            continue
        key = event_key(values)
        for other_key, other in final.items():
            if other_key == key or other["kind"] != "leader" or other["party"] != values["party"]:
                continue
            if values["start"] < (other["end"] or OPEN) and other["start"] < (values["end"] or OPEN):
                pair = frozenset((key, other_key))
                if pair in reported:
                    continue
                reported.add(pair)
                problems.append(Problem(file, f"{_term(values)} overlaps {_term(other)}: end that term in the same "
                                              "file (its row with an end date), or correct the dates",
                                        row=row.line, column=row.columns.get("start", "start"), sheet=row.sheet))
    return changes, problems


def _checked(values: dict[str, str], dataset: Dataset, new_parties: Collection[str], today: str, problem) -> bool:
    """Whether the event as it would be stored is sound; a located problem for each thing that is not."""
    ok = True
    if values["kind"] == "general_election" and values["party"]:
        problem("party", "a general election belongs to no party: leave the party empty")
        ok = False
    if values["kind"] == "leader" and not values["party"]:
        problem("party", "is empty: a leader's term needs the party")
        ok = False
    if values["party"] and values["party"] not in dataset.parties and values["party"] not in new_parties:
        problem("party", f"unknown party '{values['party']}'")
        ok = False
    for role in ("start", "end"):
        if values[role] > today:
            problem(role, f"{values[role]} is in the future: record a term or an election once it has happened")
            ok = False
    if values["end"] and values["end"] < values["start"]:
        problem("end", f"{values['end']} is before the start, {values['start']}")
        ok = False
    if not values["source"]:
        problem("source", "is empty: every date needs its source")
        ok = False
    return ok

