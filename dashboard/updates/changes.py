"""What an upload would do to the data: new, changed (old -> new), unchanged and removed rows of every file
it touches (figures, parties, events, related figures), and every problem that stops it.

A Preview names the versions of the files it was computed against, so an apply can refuse when one of
them moved on in between; the page and the CLI show the same Preview.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from dashboard.core.collector import cyclic_gc_paused
from dashboard.core.dataset import BASES, COLUMNS, RELATED_COLUMNS, Dataset, basis_of
from dashboard.core.party_style import symbol_at
from dashboard.core.problems import Problem, printable
from dashboard.core.selection import records
from dashboard.updates.change import Change, Key, Kind
from dashboard.updates.ingest import TEXT_FIELDS, Row, Upload
from dashboard.updates.precision_notes import precision_notices
from dashboard.updates.record_rows import RecordRow
from dashboard.updates.shapes import FIGURES, KIND_WORDS
from dashboard.updates.voice import Voice
from dashboard.updates.wording import describe_key, describe_row, party_detail

__all__ = ["DESCRIPTIVE", "Change", "Key", "Kind", "Preview", "describe_key", "diff", "render_text", "summary"]

# What a row says about its figure besides the count: a file that gives one of these changes it.
DESCRIPTIVE = (*TEXT_FIELDS, "basis", "bound", "date_precision")


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
    kinds: tuple[str, ...] = ()                    # what the upload was recognised as (updates.shapes)
    notices: tuple[str, ...] = ()                  # what to know before applying (no basis, a colour chosen)
    symbols: tuple[tuple[str, str], ...] = ()      # (slug, marker symbol) of each party it adds

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
    def overwritten(self) -> list[Change]:
        """The changes that replace what the data already says: applying them needs the user's confirmation."""
        return [c for c in self.changes if c.overwrites]

    @property
    def needs_overwrite(self) -> bool:
        return bool(self.overwritten)

    def overwritten_words(self) -> str:
        """'2 existing figures', '1 existing row': what an overwrite would change."""
        n = len(self.overwritten)
        word = "figure" if all(c.table == "membership" for c in self.overwritten) else "row"
        return f"{n} existing {word}{'s' if n != 1 else ''}"

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

    def digest(self) -> str:
        """Fingerprint of what would be written: the page applies only what it showed."""
        payload = [self.stamp(), [(c.table, c.kind, list(c.key), c.new) for c in self.writes]]
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


def record(row: Row) -> dict:
    return {"party": row.party, "year": row.year, "members": row.members, "as_of": row.as_of,
            "source": row.source, "url": row.url, "note": row.note, "basis": row.basis, "bound": row.bound,
            "date_precision": row.date_precision}


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


def basis_notice(missing: list[Change], voice: Voice, names: Mapping[str, str] | None) -> str:
    """What the preview says of figures that would be saved without a basis: nothing guesses one."""
    n = len(missing)
    figures = f"{n} figure{'s' if n != 1 else ''}"
    return (f"{figures} would be saved with no basis and shown as '{basis_of('').label}' "
            f"({', '.join(describe_key(c.key, names) for c in missing[:3])}{', ...' if n > 3 else ''}). "
            f"To say what kind of figure {'they are' if n != 1 else 'it is'}, add a basis column "
            f"({', '.join(BASES)}) or {voice.give('basis')}.")


def diff(dataset: Dataset, upload: Upload) -> Preview:
    """Compare each uploaded row with the data. A figure with the same member count is unchanged unless the
    file itself gives a different source, url, note or basis; any other row is changed by the cells the file
    fills. Parties are compared first: the figures and terms of a party the upload adds may follow it."""
    with cyclic_gc_paused():
        return _diff(dataset, upload)


def _diff(dataset: Dataset, upload: Upload) -> Preview:
    from dashboard.updates.event_changes import event_changes  # they build on Change, defined with this module's
    from dashboard.updates.party_changes import party_changes

    voice = upload.voice
    names = {slug: p.name for slug, p in dataset.parties.items()} if voice.names else None
    changes: list[Change] = []
    problems = list(upload.problems)
    notices: list[str] = []
    by_table: dict[str, list[RecordRow]] = {}
    for row in upload.records:
        by_table.setdefault(row.table, []).append(row)
    if by_table.get("parties") or upload.new_parties:
        found, found_problems, party_notices = party_changes(dataset, by_table.get("parties", []), upload.new_parties,
                                                             upload.file)
        changes += found
        problems += found_problems
        notices += party_notices
        if names is not None:
            names.update({c.key[0]: c.new["name"] for c in found if c.kind == "added"})
    changes += _figure_changes(dataset, upload, problems, voice, names)
    if by_table.get("related"):
        changes += _related_changes(dataset, by_table["related"], upload.file, problems, voice)
    if by_table.get("events"):
        added = {c.key[0] for c in changes if c.table == "parties" and c.kind == "added"}
        found, found_problems = event_changes(dataset, by_table["events"], added, upload.file)
        changes += found
        problems += found_problems
    missing = [c for c in changes if c.table == "membership" and c.kind != "unchanged" and not c.new.get("basis")]
    if missing:
        notices.append(basis_notice(missing, voice, names))
    notices += precision_notices(upload, changes, names)
    new_parties = [str(c.key[0]) for c in changes if c.table == "parties" and c.kind == "added"]
    symbols = tuple((slug, symbol_at(len(dataset.parties) + i)) for i, slug in enumerate(new_parties))
    return Preview(upload.file, dataset.version, tuple(changes), tuple(problems), upload.shape,
                   upload.sheet, upload.sheets, upload.ignored_columns, tuple(sorted(dataset.file_versions.items())),
                   tuple(upload.kinds), tuple(notices), symbols)


def _figure_changes(dataset: Dataset, upload: Upload, problems: list[Problem], voice: Voice,
                    names: Mapping[str, str] | None) -> list[Change]:
    existing = existing_records(dataset)
    changes: list[Change] = []
    how = voice.give("source") if upload.shape == "form" else f"add a source column or {voice.give('source')}"

    def problem(row: Row, column: str, message: str) -> None:
        problems.append(Problem(upload.file, message, row=row.line, column=column, sheet=row.sheet))

    for row in upload.rows:
        new = record(row)
        olds = existing.get(row.key, [])
        what = describe_key(row.key, names)
        if row.remove:
            if not olds:
                problem(row, "remove", f"there is no figure for {what} in the data to remove")
            elif olds[0]["members"] != row.members:
                problem(row, "remove", f"the data has {olds[0]['members']:,} for {what}, not {row.members:,}: give "
                                       "the count of the figure to remove")
            else:
                changes.append(Change("removed", row.key, olds[0], olds[0], tuple(COLUMNS), row.line, row.sheet))
            continue
        if len(olds) > 1:
            problem(row, "as_of", f"the data already has {len(olds)} figures for {what}; fix the data file by hand "
                                  "first")
            continue
        if not olds:
            if not row.source:
                problem(row, "source", f"no source for the new figure {what}: {how}")
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
                problem(row, "source", f"no source for the new value of {what} "
                                       f"({old['members']:,} -> {row.members:,}): {how}")
            fields = tuple(f for f in ("members", *DESCRIPTIVE) if new[f] != old[f])
        changes.append(Change("changed", row.key, new, old, fields, row.line, row.sheet))
    return changes


def _related_changes(dataset: Dataset, rows: list[RecordRow], file: str, problems: list[Problem],
                     voice: Voice) -> list[Change]:
    """Related figures (supporters, votes) compared as figures are, by party, year, date and measure."""
    existing: dict[tuple, dict] = {(r["party"], int(r["year"]), r["as_of"] or "", r["measure"]): r
                                   for r in records(dataset.related)}
    changes: list[Change] = []
    seen: dict[tuple, int | None] = {}
    for row in rows:
        new = {c: row.values.get(c) if c in ("year", "members") else str(row.values.get(c) or "")
               for c in RELATED_COLUMNS}
        key = (new["party"], new["year"], new["as_of"], new["measure"])

        def problem(column: str, message: str, row: RecordRow = row) -> None:
            problems.append(Problem(file, message, row=row.line, column=row.columns.get(column, column), sheet=row.sheet))

        if key in seen:
            problem("measure", f"this figure is given twice in this file (first on row {seen[key]})")
            continue
        seen[key] = row.line
        old_row = existing.get(key)
        if old_row is None:
            if not new["source"]:
                problem("source", f"is empty: a related figure needs its source ({voice.give('source')})")
            changes.append(Change("added", key, new, None, RELATED_COLUMNS, row.line, row.sheet, table="related"))
            continue
        old: dict[str, object] = {c: int(old_row[c]) if c in ("year", "members") else str(old_row[c] or "")
                                  for c in RELATED_COLUMNS}
        given = [f for f in ("members", "source", "url", "note") if f in row.given or f == "members"]
        merged: dict[str, object] = {**old, **{f: new[f] for f in given}}
        fields = tuple(f for f in RELATED_COLUMNS if merged[f] != old[f])
        kind: Kind = "changed" if fields else "unchanged"
        changes.append(Change(kind, key, merged, old, fields, row.line, row.sheet, table="related"))
    return changes


def _figure(rec: dict) -> str:
    return f"{rec['members']:,}"


def summary(preview: Preview) -> str:
    n = len(preview.problems)
    removed = [c for c in preview.changes if c.kind == "removed"]
    return (f"{len(preview.added)} new, {len(preview.changed)} changed, {len(preview.unchanged)} unchanged, "
            + (f"{len(removed)} removed, " if removed else "") + f"{n} problem{'s' if n != 1 else ''}")


def what_was_read(preview: Preview) -> str:
    """How the upload was understood: 'long', 'parties', 'parties, membership figures (long)', 'form'."""
    if not preview.kinds or preview.shape == "form":
        how = preview.shape or "unreadable"
    else:
        words = [(preview.shape or KIND_WORDS[kind]) if kind == FIGURES and len(preview.kinds) == 1
                 else f"{KIND_WORDS[kind]} ({preview.shape})" if kind == FIGURES and preview.shape else KIND_WORDS[kind]
                 for kind in preview.kinds]
        how = ", ".join(words)
    return how + (f", sheet '{preview.sheet}'" if preview.sheet else "")


def _line(change: Change, symbols: Mapping[str, str]) -> str:
    """A change of the preview as the CLI prints it (slugs: the command line's words)."""
    if change.table == "membership":
        if change.kind == "removed":
            return f"{describe_key(change.key)}: {_figure(change.new)}  ({change.new['source'] or 'no source'})"
        if change.kind == "added" or change.old is None:
            basis = basis_of(change.new.get("basis", "")).label
            detail = f"{_figure(change.new)}  ({change.new['source'] or 'no source'}; {basis})"
        else:
            parts = [f"{_figure(change.old)} -> {_figure(change.new)}" if "members" in change.fields
                     else f"{_figure(change.new)} (same)"]
            parts += [f"{f}: '{change.old[f]}' -> '{change.new[f]}'" for f in change.fields if f != "members"]
            detail = "; ".join(parts)
        return f"{describe_key(change.key)}: {detail}"
    what = describe_row(change.table, change.key, change.new)
    source = f"  ({change.new.get('source') or 'no source'})"
    if change.kind == "removed":
        return what
    if change.kind == "added" and change.table == "parties":
        return f"{what}: {party_detail(change.new, symbols.get(str(change.key[0])))}{source}"
    if change.kind == "added" and change.table == "events":
        return f"{what} " + (f"to {change.new['end']}" if change.new.get("end") else "(current)") + source
    if change.kind == "added":
        return f"{what}: {_figure(change.new)}{source}"
    old = change.old or {}
    return f"{what}: " + "; ".join(f"{f} '{old.get(f, '')}' -> '{change.new.get(f, '')}'" for f in change.fields)


def render_text(preview: Preview, limit: int = 200) -> str:
    """The preview as plain text, for the CLI (the page draws the same Preview as a table)."""
    lines = [f"{preview.file} ({what_was_read(preview)}): {summary(preview)}"]
    if len(preview.sheets) > 1 and FIGURES in preview.kinds and len(preview.kinds) == 1:
        lines.append(f"  sheets with a year column: {', '.join(preview.sheets)} (choose one with --sheet)")
    if preview.ignored_columns:
        lines.append(f"  ignored columns: {', '.join(preview.ignored_columns)}")
    symbols = dict(preview.symbols)
    removed = [c for c in preview.changes if c.kind == "removed"]
    sections = (("New", preview.added, "+"), ("Changed", preview.changed, "~"), ("Removed", removed, "-"))
    for title, items, mark in sections:
        if not items:
            continue
        lines.append(f"{title}:")
        for change in items[:limit]:
            lines.append(f"  {mark} {_line(change, symbols)}")
        if len(items) > limit:
            lines.append(f"  ... and {len(items) - limit:,} more")
    if preview.unchanged:
        n = len(preview.unchanged)
        things = (f"figure{'s' if n != 1 else ''}" if all(c.table == "membership" for c in preview.unchanged)
                  else f"row{'s' if n != 1 else ''}")
        lines.append(f"Unchanged: {n} {things} already in the data.")
    for notice in preview.notices:
        lines.append("Note: " + notice)
    if preview.problems:
        lines.append("Problems:")
        lines.extend(f"  {p}" for p in preview.problems)
    return printable("\n".join(lines))
