"""A data file's new bytes after a change: changed rows edited in place, removed rows dropped, new rows
inserted in order among their group (a party's figures, a party's leaders), and every other byte kept as
it was, so a git diff of the data shows only the change.
"""
from __future__ import annotations

import bisect
import csv
import io
from collections.abc import Sequence
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
    first_line = text.split("\n", 1)[0]
    newline = "\r\n" if first_line.endswith("\r") else "\n"
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        rows = [list(spec.columns)]
    header = [h.strip().lower() for h in rows[0]]
    missing = [n for n in spec.columns if n not in header and any((w.new or {}).get(n) for w in writes)]
    if any(name in spec.key or (spec.name == MEMBERSHIP.name and name not in LATER_COLUMNS) for name in missing):
        raise Refused(f"the data file has no column {', '.join(repr(m) for m in missing)} to hold the new values")
    for name in missing:
        header.append(name)
        rows[0] = [*rows[0], name]
        rows[1:] = [[*row, ""] if any(c.strip() for c in row) else row for row in rows[1:]]
    at = {name: header.index(name) for name in spec.columns if name in header}
    width = len(header)

    def cells(row: list[str]) -> dict[str, str]:
        return {name: row[index].strip() if index < len(row) else "" for name, index in at.items()}

    def cells_of(record: dict, base: list[str] | None = None) -> list[str]:
        out = list(base) if base else [""] * width
        out += [""] * (width - len(out))
        for name, index in at.items():
            value = record.get(name, "")
            out[index] = "" if value is None else str(value)
        return out

    def group_of(values: dict) -> tuple[str, ...]:
        return tuple(str(values.get(c, "") or "").strip().lower() for c in spec.group)

    def order_of(values: dict) -> tuple:
        return tuple(_sort_cell(str(values.get(c, "") or "").strip()) for c in spec.order)

    position: dict[tuple[str, ...], int] = {}
    groups: dict[tuple[str, ...], list[tuple[tuple, int]]] = {}
    for i, row in enumerate(rows[1:], start=1):
        if not any(c.strip() for c in row):
            continue
        values = cells(row)
        position.setdefault(key_text(spec, values), i)
        groups.setdefault(group_of(values), []).append((order_of(values), i))

    inserts: dict[int, list[list[str]]] = {}   # after row i
    before: dict[int, list[list[str]]] = {}    # before row i
    dropped: set[int] = set()
    appended: list[tuple[tuple, list[str]]] = []
    for write in writes:
        record = write.new if write.kind != "removed" else (write.old or write.new)
        index = position.get(key_text(spec, record))
        if write.kind == "removed":
            if index is not None:
                dropped.add(index)
            continue
        if write.kind == "changed" and index is not None:
            rows[index] = cells_of(record, rows[index])
            continue
        own = groups.get(group_of(record)) if spec.group else None
        if not own:
            appended.append(((group_of(record), order_of(record)), cells_of(record)))
            continue
        keys = [k for k, _ in own]
        new_key = order_of(record)
        if keys == sorted(keys):
            j = bisect.bisect_right(keys, new_key)
            if not j:  # before the group's first row (not after the row above it: another group's)
                before.setdefault(own[0][1], []).append(cells_of(record))
                continue
            anchor = own[j - 1][1]
        else:
            anchor = own[-1][1]                  # a hand-ordered group: add after its last row
        inserts.setdefault(anchor, []).append(cells_of(record))

    def in_order(extra: list[list[str]]) -> list[list[str]]:
        return sorted(extra, key=lambda r: order_of({name: r[i] for name, i in at.items()}))

    out_rows: list[list[str]] = []
    for i, row in enumerate(rows):
        out_rows.extend(in_order(before.get(i, [])))
        if i not in dropped:
            out_rows.append(row)
        out_rows.extend(in_order(inserts.get(i, [])))
    if spec.group:
        out_rows.extend(r for _, r in sorted(appended, key=lambda t: t[0]))
    else:
        out_rows.extend(r for _, r in appended)    # no order of their own (parties): in the order given
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator=newline).writerows(out_rows)
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8")


def merged_csv(old_bytes: bytes, writes: Sequence[Write]) -> bytes:
    """The membership file with `writes` made (see merged_table)."""
    return merged_table(old_bytes, MEMBERSHIP, writes)
