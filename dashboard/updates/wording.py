"""Changes in words: a row of any data file (a figure, a party, a leader's term, a related figure) as one
line, for the preview and the history. The command line names parties by slug (what its flags take); the
page passes `names` and speaks of 'Labour', never 'labour'.
"""
from __future__ import annotations

from collections.abc import Mapping

from dashboard.core.party_style import SYMBOL_GLYPHS
from dashboard.core.problems import printable
from dashboard.updates.change import Key
from dashboard.updates.history import MEMBERSHIP, Entry


def party_word(slug: str, names: Mapping[str, str] | None) -> str:
    return (names or {}).get(slug, slug)


def describe_key(key: Key, names: Mapping[str, str] | None = None) -> str:
    """A figure: 'labour 2025 year-end', or with `names`, 'Labour 2025 year-end'."""
    party, year, as_of = key[:3]
    return f"{party_word(str(party), names)} {year} " + (f"on {as_of}" if as_of else "year-end")


def describe_row(table: str, key: Key, record: Mapping[str, object], names: Mapping[str, str] | None = None) -> str:
    """What a row is, in a few words: 'Your Party (party)', 'labour leader Andy Burnham from 2026-07-17'."""
    if table == MEMBERSHIP:
        return describe_key(key, names)
    if table == "parties":
        name = str(record.get("name") or key[0])
        return f"party {name}" if names is not None else f"party {key[0]} ({name})"
    if table == "events":
        kind, party, start = (str(k) for k in key)
        if kind == "general_election":
            return f"{record.get('name') or 'general election'} ({start})"
        return f"{party_word(party, names)} leader {record.get('name', '')} from {start}"
    party, year, as_of, measure = key[:4]
    when = f"on {as_of}" if as_of else "year-end"
    return f"{party_word(str(party), names)} {year} {when}: {measure}"


def _number(record: Mapping[str, object]) -> str:
    members = record.get("members")
    return f"{members:,}" if isinstance(members, int) else str(members)


def _fields(old: Mapping[str, object], new: Mapping[str, object], arrow: str) -> str:
    changed = [f for f in new if new.get(f) != old.get(f)]
    return "; ".join(f"{f} {_shown(old.get(f))} {arrow} {_shown(new.get(f))}" for f in changed)


def _shown(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else f"'{value or ''}'"


def party_detail(record: Mapping[str, object], symbol: str | None = None) -> str:
    """A party's colour, marker and other names, for a preview line."""
    parts = [f"colour {record.get('colour')}"]
    if symbol:
        parts.append(f"marker {SYMBOL_GLYPHS.get(symbol, '')} ({symbol})")
    if record.get("aliases"):
        parts.append(f"also written {', '.join(str(record['aliases']).split(';'))}")
    if record.get("short"):
        parts.append(f"labelled '{record['short']}'")
    return ", ".join(parts)


def change_line(change: dict, names: Mapping[str, str] | None = None, arrow: str = "->") -> str:
    """One change of a history entry as a line: '+ added', '- removed', '~ old -> new'."""
    table = str(change.get("table", MEMBERSHIP))
    key = tuple(change["key"])
    old = change.get("old") or {}
    new = change.get("new") or {}
    what = describe_row(table, key, new or old, names)
    if table in (MEMBERSHIP, "related"):
        if not old:
            return f"+ {what}: {_number(new)}"
        if not new:
            return f"- {what}: {_number(old)} removed"
        if old.get("members") != new.get("members"):
            return f"~ {what}: {_number(old)} {arrow} {_number(new)}"
        return f"~ {what}: {_fields(old, new, arrow)}"
    if not old:
        return f"+ {what}" + (f": {party_detail(new)}" if table == "parties" else
                              f" to {new.get('end')}" if new.get("end") else "")
    if not new:
        return f"- {what} removed"
    return f"~ {what}: {_fields(old, new, arrow)}"


def change_lines(entry: Entry, limit: int = 20, arrow: str = "->", names: Mapping[str, str] | None = None) -> list[str]:
    """Each change of an entry as one line, up to `limit`."""
    lines = [change_line(change, names, arrow) for change in entry.changes[:limit]]
    if len(entry.changes) > limit:
        lines.append(f"... and {len(entry.changes) - limit:,} more")
    return lines


def describe_entry(entry: Entry, limit: int = 20) -> str:
    """One history entry as text, for the CLI."""
    head = f"#{entry.id} {entry.when} {entry.who}: {entry.source}"
    return printable("\n".join([head, *("  " + line for line in change_lines(entry, limit))]))
