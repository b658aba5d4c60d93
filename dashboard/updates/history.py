"""One line of the history of changes: what a change did to which files, as the store records it.

A line names, for each file the change wrote, its version before and after (`files`), and each row changed,
old and new. Lines written before changes could span files have no `files`: their `before` and `after` are
the membership file's, and every change in them is a figure; they read the same as ever.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from dashboard.core.tables import TABLES

ACTIONS = ("apply", "undo", "redo")
MEMBERSHIP = "membership"


@dataclass(frozen=True)
class Entry:
    """One line of the history."""

    id: int
    when: str
    who: str
    action: str               # "apply", "undo" or "redo"
    source: str               # the uploaded file's name, "form", "undo of #n" or "redo of #n"
    before: str               # the membership file's version before (the same as after when it was not written)
    after: str                # ... and after
    changes: tuple[dict, ...]  # {"table"?, "key": [...], "old": record|None, "new": record|None}
    undoes: int | None = None
    redoes: int | None = None
    files: dict[str, list[str]] = field(default_factory=dict)  # table -> [version before, version after]

    @property
    def versions(self) -> dict[str, tuple[str, str]]:
        """{table: (before, after)} for every file the change wrote (an older line: the membership file)."""
        if self.files:
            return {table: (pair[0], pair[1]) for table, pair in self.files.items()}
        return {MEMBERSHIP: (self.before, self.after)}

    @classmethod
    def from_json(cls, data: object) -> Entry:
        """An entry from its parsed JSON line; ValueError saying what is wrong with a damaged one."""
        if not isinstance(data, dict):
            raise ValueError("is not a JSON object")
        for name in ("id", "when", "who", "action", "source", "before", "after"):
            kind = int if name == "id" else str
            if not isinstance(data.get(name), kind) or isinstance(data.get(name), bool):
                raise ValueError(f"field '{name}' is missing or not a {'whole number' if kind is int else 'text'}")
        if data["action"] not in ACTIONS:
            raise ValueError(f"unknown action {data['action'][:40]!r}")
        for name in ("undoes", "redoes"):
            if data.get(name) is not None and (not isinstance(data[name], int) or isinstance(data[name], bool)):
                raise ValueError(f"field '{name}' is not a whole number")
        changes = data.get("changes", [])
        if not isinstance(changes, list) or not all(_valid_change(c) for c in changes):
            raise ValueError("field 'changes' is damaged")
        files = data.get("files", {})
        if not isinstance(files, dict) or not all(
                table in TABLES and isinstance(pair, list) and len(pair) == 2 and all(isinstance(v, str) for v in pair)
                for table, pair in files.items()):
            raise ValueError("field 'files' is damaged")
        return cls(id=data["id"], when=data["when"], who=data["who"], action=data["action"], source=data["source"],
                   before=data["before"], after=data["after"], changes=tuple(changes), undoes=data.get("undoes"),
                   redoes=data.get("redoes"), files={table: list(pair) for table, pair in files.items()})

    def to_json(self) -> str:
        fields = {k: v for k, v in self.__dict__.items()
                  if not (k == "redoes" and v is None) and not (k == "files" and not v)}
        return json.dumps({**fields, "changes": list(self.changes)}, ensure_ascii=False, sort_keys=True)


def _valid_record(record: object, table: str) -> bool:
    if not isinstance(record, dict):
        return False
    if table in (MEMBERSHIP, "related"):
        return isinstance(record.get("members"), int) and not isinstance(record.get("members"), bool)
    return all(isinstance(v, str) for v in record.values())


def _valid_change(change: object) -> bool:
    """A change as the store writes it: the row's key and its old/new records (a figure's with members)."""
    if not isinstance(change, dict):
        return False
    table = change.get("table", MEMBERSHIP)
    if table not in TABLES:
        return False
    key, old, new = change.get("key"), change.get("old"), change.get("new")
    if not isinstance(key, list) or len(key) != len(TABLES[table].key):
        return False
    if table == MEMBERSHIP and not (isinstance(key[0], str) and isinstance(key[1], int) and isinstance(key[2], str)):
        return False
    if table != MEMBERSHIP and not all(isinstance(k, (str, int)) and not isinstance(k, bool) for k in key):
        return False
    return (old is not None or new is not None) and all(r is None or _valid_record(r, table) for r in (old, new))


def change_record(table: str, key: tuple, old: dict | None, new: dict | None) -> dict:
    """A change as a history line holds it (a figure's without its table, as lines always had)."""
    record = {"key": list(key), "old": old, "new": new}
    return record if table == MEMBERSHIP else {"table": table, **record}


def reversed_changes(changes: tuple[dict, ...]) -> tuple[dict, ...]:
    """The changes an undo (or the redo of an undo) makes: each one's old and new swapped."""
    return tuple({**c, "old": c.get("new"), "new": c.get("old")} for c in changes)
