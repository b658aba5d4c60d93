"""A data file's new bytes after a change: changed rows edited in place, removed rows dropped, new rows
inserted in order among their group (a party's figures, a party's leaders), and every other byte kept as
it was, so a git diff of the data shows only the change.
"""
from __future__ import annotations

import bisect
import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from dashboard.core.dataset import LATER_COLUMNS
from dashboard.core.tables import MEMBERSHIP, TableSpec, key_text


class Refused(Exception):
    """A write that must not happen, with the reason a person can act on. Nothing was written."""


class Write(Protocol):
    """One row to write: what `changes.Change` is, seen from here."""

    @property
    def kind(self) -> str: ...

    @property
    def new(self) -> dict: ...

    @property
    def old(self) -> dict | None: ...


def _sort_cell(text: str) -> tuple[int, int, str]:
    """Years compare as numbers, dates and names as text."""
    return (0, int(text), "") if text.isdigit() else (1, 0, text)


def merged_table(old_bytes: bytes, spec: TableSpec, writes: Sequence[Write]) -> bytes:
    """The file `old_bytes` with `writes` made. A column the header lacks is added at its end when a write
    fills it (a party's source, in an older parties.csv); a key column missing is refused."""
    bom = old_bytes.startswith(b"\xef\xbb\xbf")
    text = old_bytes.decode("utf-8-sig")
    newline = "\r\n" if text.split("\n", 1)[0].endswith("\r") else "\n"
    rows = list(csv.reader(io.StringIO(text, newline=""))) or [list(spec.columns)]
    columns = _columns(rows, spec, writes)
    placed = _placed(rows, columns, writes)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator=newline).writerows(placed.rows(rows, columns))
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8")


@dataclass(frozen=True)
class _Columns:
    """Where the spec's columns are in the file (`at`, by name), and how a row is read, written and sorted."""

    spec: TableSpec
    at: dict[str, int]
    width: int

    def cells(self, row: list[str]) -> dict[str, str]:
        return {name: row[index].strip() if index < len(row) else "" for name, index in self.at.items()}

    def row_of(self, record: dict, base: list[str] | None = None) -> list[str]:
        """A record as a row of the file: `base` (the row it changes) with the record's columns filled in."""
        out = list(base) if base else [""] * self.width
        out += [""] * (self.width - len(out))
        for name, index in self.at.items():
            value = record.get(name, "")
            out[index] = "" if value is None else str(value)
        return out

    def group_of(self, values: dict) -> tuple[str, ...]:
        return tuple(str(values.get(c, "") or "").strip().lower() for c in self.spec.group)

    def order_of(self, values: dict) -> tuple:
        return tuple(_sort_cell(str(values.get(c, "") or "").strip()) for c in self.spec.order)

    def in_order(self, extra: list[list[str]]) -> list[list[str]]:
        return sorted(extra, key=lambda r: self.order_of({name: r[i] for name, i in self.at.items()}))


def _columns(rows: list[list[str]], spec: TableSpec, writes: Sequence[Write]) -> _Columns:
    """The file's columns, after adding at the end of `rows` those the writes fill and the header lacks (only
    columns added to the format later may be missing: a key column missing is refused)."""
    header = [h.strip().lower() for h in rows[0]]
    missing = [n for n in spec.columns if n not in header and any((w.new or {}).get(n) for w in writes)]
    if any(name in spec.key or (spec.name == MEMBERSHIP.name and name not in LATER_COLUMNS) for name in missing):
        raise Refused(f"the data file has no column {', '.join(repr(m) for m in missing)} to hold the new values")
    for name in missing:
        header.append(name)
        rows[0] = [*rows[0], name]
        rows[1:] = [[*row, ""] if any(c.strip() for c in row) else row for row in rows[1:]]
    return _Columns(spec, {name: header.index(name) for name in spec.columns if name in header}, len(header))


@dataclass
class _Placed:
    """Where the writes go among the file's rows (by index): rows dropped, new rows inserted before or after
    a row of their group, and rows of a group the file does not have yet (appended, with their sort key)."""

    before: dict[int, list[list[str]]] = field(default_factory=dict)
    after: dict[int, list[list[str]]] = field(default_factory=dict)
    dropped: set[int] = field(default_factory=set)
    appended: list[tuple[tuple, list[str]]] = field(default_factory=list)

    def rows(self, rows: list[list[str]], columns: _Columns) -> list[list[str]]:
        """The file's rows with the writes placed."""
        out: list[list[str]] = []
        for i, row in enumerate(rows):
            out.extend(columns.in_order(self.before.get(i, [])))
            if i not in self.dropped:
                out.append(row)
            out.extend(columns.in_order(self.after.get(i, [])))
        if columns.spec.group:
            out.extend(r for _, r in sorted(self.appended, key=lambda t: t[0]))
        else:
            out.extend(r for _, r in self.appended)    # no order of their own (parties): in the order given
        return out


def _placed(rows: list[list[str]], columns: _Columns, writes: Sequence[Write]) -> _Placed:
    """Make the changed rows in `rows` (in place) and say where the others go."""
    spec = columns.spec
    position: dict[tuple[str, ...], int] = {}
    groups: dict[tuple[str, ...], list[tuple[tuple, int]]] = {}
    for i, row in enumerate(rows[1:], start=1):
        if any(c.strip() for c in row):
            values = columns.cells(row)
            position.setdefault(key_text(spec, values), i)
            groups.setdefault(columns.group_of(values), []).append((columns.order_of(values), i))
    placed = _Placed()
    for write in writes:
        record = write.new if write.kind != "removed" else (write.old or write.new)
        index = position.get(key_text(spec, record))
        if write.kind == "removed":
            if index is not None:
                placed.dropped.add(index)
        elif write.kind == "changed" and index is not None:
            rows[index] = columns.row_of(record, rows[index])
        else:
            _place_new(placed, columns, groups.get(columns.group_of(record)) if spec.group else None, record)
    return placed


def _place_new(placed: _Placed, columns: _Columns, own: list[tuple[tuple, int]] | None, record: dict) -> None:
    """A new row goes in order among its group's rows (`own`: their sort keys and indexes); after the last of a
    group ordered by hand; at the end for a group the file does not have."""
    if not own:
        placed.appended.append(((columns.group_of(record), columns.order_of(record)), columns.row_of(record)))
        return
    keys = [k for k, _ in own]
    if keys != sorted(keys):
        placed.after.setdefault(own[-1][1], []).append(columns.row_of(record))  # a hand-ordered group
        return
    j = bisect.bisect_right(keys, columns.order_of(record))
    if not j:  # before the group's first row (not after the row above it: another group's)
        placed.before.setdefault(own[0][1], []).append(columns.row_of(record))
    else:
        placed.after.setdefault(own[j - 1][1], []).append(columns.row_of(record))


def merged_csv(old_bytes: bytes, writes: Sequence[Write]) -> bytes:
    """The membership file with `writes` made (see merged_table)."""
    return merged_table(old_bytes, MEMBERSHIP, writes)
