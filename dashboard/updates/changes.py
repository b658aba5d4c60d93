"""What an upload would do to the data: new, changed (old -> new) and unchanged figures.

A Preview names the version of the data it was computed against, so an apply can refuse when
the data moved on in between; the page and the CLI show the same Preview.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Literal

from dashboard.core.collector import cyclic_gc_paused
from dashboard.core.dataset import BASES, COLUMNS, Dataset, basis_of
from dashboard.core.problems import Problem, printable
from dashboard.updates.ingest import TEXT_FIELDS, Row, Upload

Key = tuple  # a figure's (party, year, as_of); another table's key columns (core.tables)
Kind = Literal["added", "changed", "unchanged", "removed"]
# What a row says about its figure besides the count: a file that gives one of these changes it.
DESCRIPTIVE = (*TEXT_FIELDS, "basis")


@dataclass(frozen=True)
class Change:
    """One row of the upload compared with the data: a figure, or a row of another `table` (parties,
    events, related; core.tables). `old`/`new` are full records in the table's columns; `fields` names
    what differs. A removed row's `new` is the row as it was (what the preview shows going)."""

    kind: Kind
    key: Key
    new: dict
    old: dict | None = None
    fields: tuple[str, ...] = ()
    line: int | None = None
    sheet: str | None = None
    table: str = "membership"

    @property
    def after(self) -> dict | None:
        """The row as the data will hold it: None once removed."""
        return None if self.kind == "removed" else self.new


@dataclass(frozen=True)
class Preview:
    """Everything an apply would write, and what stops it; computed against `base_version`."""

    file: str
    base_version: str
    changes: tuple[Change, ...] = ()
    problems: tuple[Problem, ...] = ()
    shape: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    ignored_columns: tuple[str, ...] = field(default=())
    base_files: tuple[tuple[str, str], ...] = ()   # (table, version) of every file the preview was computed on

    @property
    def added(self) -> list[Change]:
        return [c for c in self.changes if c.kind == "added"]

    @property
    def changed(self) -> list[Change]:
        return [c for c in self.changes if c.kind == "changed"]

    @property
    def unchanged(self) -> list[Change]:
        return [c for c in self.changes if c.kind == "unchanged"]

    @property
    def writes(self) -> list[Change]:
        """The changes an apply would write (new and changed figures)."""
        return [c for c in self.changes if c.kind != "unchanged"]

    @property
    def needs_overwrite(self) -> bool:
        return any(c.kind == "changed" for c in self.changes)

    @property
    def touched(self) -> tuple[str, ...]:
        """The tables an apply would write, in core.tables order."""
        return tuple(dict.fromkeys(c.table for c in self.writes))

    def stamp(self) -> str:
        """The versions of the files an apply would write, as previewed: if any of them changes, the
        preview is stale (a change to another file is no reason to refuse)."""
        versions = dict(self.base_files)
        return ";".join(f"{table}={versions.get(table, '')}" for table in sorted(self.touched))

    @property
    def without_basis(self) -> list[Change]:
        """Figures that would be written with no basis: the preview says so, nothing guesses one."""
        return [c for c in self.writes if not c.new.get("basis")]

    def notices(self) -> list[str]:
        """What the preview must say before an apply that is allowed but not what a reader expects."""
        missing = self.without_basis
        if not missing:
            return []
        n = len(missing)
        figures = f"{n} figure{'s' if n != 1 else ''}"
        return [f"{figures} would be saved with no basis and shown as '{basis_of('').label}' "
                f"({', '.join(describe_key(c.key) for c in missing[:3])}{', ...' if n > 3 else ''}). "
                f"To say what kind of figure {'they are' if n != 1 else 'it is'}, add a basis column "
                f"({', '.join(BASES)}) or choose a basis (Basis in the panel, --basis on the command line)."]

    def digest(self) -> str:
        """Fingerprint of what would be written: the page applies only what it showed."""
        payload = [self.stamp(), [(c.table, c.kind, list(c.key), c.new) for c in self.writes]]
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


def record(row: Row) -> dict:
    return {"party": row.party, "year": row.year, "members": row.members, "as_of": row.as_of,
            "source": row.source, "url": row.url, "note": row.note, "basis": row.basis}


def existing_records(dataset: Dataset) -> dict[Key, list[dict]]:
    """The data's figures by (party, year, as_of)."""
    found: dict[Key, list[dict]] = {}
    frame = dataset.counts
    for values in zip(*(frame[c].tolist() for c in COLUMNS)):
        rec = dict(zip(COLUMNS, values))
        rec["year"], rec["members"] = int(rec["year"]), int(rec["members"])
        for name in ("as_of", *DESCRIPTIVE):
            rec[name] = "" if rec[name] is None or rec[name] != rec[name] else str(rec[name])
        found.setdefault((rec["party"], rec["year"], rec["as_of"]), []).append(rec)
    return found


def describe_key(key: Key) -> str:
    party, year, as_of = key
    return f"{party} {year} " + (f"on {as_of}" if as_of else "year-end")


def diff(dataset: Dataset, upload: Upload) -> Preview:
    """Compare each uploaded figure with the data. A figure with the same member count is
    unchanged unless the file itself gives a different source, url, note or basis."""
    with cyclic_gc_paused():
        return _diff(dataset, upload)


def _diff(dataset: Dataset, upload: Upload) -> Preview:
    existing = existing_records(dataset)
    changes: list[Change] = []
    problems = list(upload.problems)

    def problem(row: Row, column: str, message: str) -> None:
        problems.append(Problem(upload.file, message, row=row.line, column=column, sheet=row.sheet))

    for row in upload.rows:
        new = record(row)
        olds = existing.get(row.key, [])
        if len(olds) > 1:
            problem(row, "as_of", f"the data already has {len(olds)} figures for {describe_key(row.key)}; "
                                  "fix data/membership.csv by hand first")
            continue
        if not olds:
            if not row.source:
                problem(row, "source", f"no source for the new figure {describe_key(row.key)}: add a source "
                                       "column or fill in Source (--source)")
            changes.append(Change("added", row.key, new, None, tuple(COLUMNS), row.line, row.sheet))
            continue
        old = olds[0]
        if old["members"] == row.members:
            fields = tuple(f for f in DESCRIPTIVE if f in row.given and new[f] != old[f])
            if not fields:
                changes.append(Change("unchanged", row.key, old, old, (), row.line, row.sheet))
                continue
            new = {**old, **{f: new[f] for f in fields}}
        else:
            if not row.source:
                problem(row, "source", f"no source for the new value of {describe_key(row.key)} "
                                       f"({old['members']:,} -> {row.members:,}): "
                                       "add a source column or fill in Source (--source)")
            fields = tuple(f for f in ("members", *DESCRIPTIVE) if new[f] != old[f])
        changes.append(Change("changed", row.key, new, old, fields, row.line, row.sheet))
    return Preview(upload.file, dataset.version, tuple(changes), tuple(problems), upload.shape,
                   upload.sheet, upload.sheets, upload.ignored_columns, tuple(sorted(dataset.file_versions.items())))


def _figure(rec: dict) -> str:
    return f"{rec['members']:,}"


def summary(preview: Preview) -> str:
    n = len(preview.problems)
    return (f"{len(preview.added)} new, {len(preview.changed)} changed, {len(preview.unchanged)} unchanged, "
            f"{n} problem{'s' if n != 1 else ''}")


def render_text(preview: Preview, limit: int = 200) -> str:
    """The preview as plain text, for the CLI (the page draws the same Preview as a table)."""
    how = preview.shape or "unreadable"
    if preview.sheet:
        how += f", sheet '{preview.sheet}'"
    lines = [f"{preview.file} ({how}): {summary(preview)}"]
    if len(preview.sheets) > 1:
        lines.append(f"  sheets with a year column: {', '.join(preview.sheets)} (choose one with --sheet)")
    if preview.ignored_columns:
        lines.append(f"  ignored columns: {', '.join(preview.ignored_columns)}")
    sections = (("New", preview.added, "+"), ("Changed", preview.changed, "~"))
    for title, items, mark in sections:
        if not items:
            continue
        lines.append(f"{title}:")
        for change in items[:limit]:
            if change.kind == "added" or change.old is None:
                basis = basis_of(change.new.get("basis", "")).label
                detail = f"{_figure(change.new)}  ({change.new['source'] or 'no source'}; {basis})"
            else:
                parts = [f"{_figure(change.old)} -> {_figure(change.new)}" if "members" in change.fields
                         else f"{_figure(change.new)} (same)"]
                parts += [f"{f}: '{change.old[f]}' -> '{change.new[f]}'" for f in change.fields if f != "members"]
                detail = "; ".join(parts)
            lines.append(f"  {mark} {describe_key(change.key)}: {detail}")
        if len(items) > limit:
            lines.append(f"  ... and {len(items) - limit:,} more")
    if preview.unchanged:
        plural = "s" if len(preview.unchanged) != 1 else ""
        lines.append(f"Unchanged: {len(preview.unchanged)} figure{plural} already in the data.")
    for notice in preview.notices():
        lines.append("Note: " + notice)
    if preview.problems:
        lines.append("Problems:")
        lines.extend(f"  {p}" for p in preview.problems)
    return printable("\n".join(lines))
