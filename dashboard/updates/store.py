"""The only code that writes data/: one writer at a time, atomic replace, a history, and undo.

Layout beside the data file (data/.history/ is gitignored):
  membership.csv.lock                      the file lock (filelock; released if the process dies)
  .history/membership.log.jsonl            one JSON line per applied change or undo
  .history/membership-<version>.csv        the exact bytes before each change (content-addressed)
  .history/membership.pending.json         the change being written; settled on the next write

Order of a write: pending entry, snapshot of the old bytes, atomic replace of the data file,
history line, pending removed. A crash at any point leaves the old or the new data file whole,
and the next writer finishes or drops the pending history entry by looking at which one is there.
"""
from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from dashboard.core.dataset import COLUMNS, Dataset, file_version, inspect, validate_counts
from dashboard.core.problems import Problem
from dashboard.core.tabular import read_csv_text
from dashboard.updates.changes import Change, Preview, describe_key

LOCK_TIMEOUT_SECONDS = 15.0


class Refused(Exception):
    """A write that must not happen, with the reason a person can act on. Nothing was written."""


class StaleVersion(Refused):
    pass


class NeedsOverwrite(Refused):
    pass


class HasProblems(Refused):
    def __init__(self, message: str, problems: list[Problem]):
        super().__init__(message)
        self.problems = problems


class NothingToUndo(Refused):
    pass


@dataclass(frozen=True)
class Entry:
    """One line of the history."""

    id: int
    when: str
    who: str
    action: str               # "apply" or "undo"
    source: str               # the uploaded file's name, "form", or "undo of #n"
    before: str               # data version before
    after: str                # data version after
    changes: tuple[dict, ...]  # {"key": [party, year, as_of], "old": record|None, "new": record|None}
    undoes: int | None = None

    @classmethod
    def from_json(cls, data: dict) -> Entry:
        return cls(**{**data, "changes": tuple(data.get("changes", ()))})

    def to_json(self) -> str:
        return json.dumps({**self.__dict__, "changes": list(self.changes)}, ensure_ascii=False, sort_keys=True)


class Store:
    """Writes to one data file. Every public method takes the lock for its whole duration."""

    def __init__(self, data_path: Path):
        self.path = Path(data_path)
        self.history_dir = self.path.parent / ".history"
        stem = self.path.stem
        self.log_path = self.history_dir / f"{stem}.log.jsonl"
        self.pending_path = self.history_dir / f"{stem}.pending.json"
        self._lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT_SECONDS)
        self._entries_cache: tuple[tuple, list[Entry]] | None = None

    # ------------------------------------------------------------ low level

    @contextmanager
    def locked(self) -> Iterator[None]:
        try:
            with self._lock:
                self.history_dir.mkdir(exist_ok=True)
                self._settle_pending()
                yield
        except Timeout:
            raise Refused(f"another change to {self.path.name} is being written; try again in a moment") from None

    def snapshot_path(self, version: str) -> Path:
        return self.history_dir / f"{self.path.stem}-{version}{self.path.suffix}"

    def _atomic_write(self, target: Path, data: bytes) -> None:
        atomic_write(target, data, self.history_dir)

    def _append_log(self, entry: Entry) -> None:
        line = (entry.to_json() + "\n").encode("utf-8")
        with open(self.log_path, "ab") as handle:
            if handle.tell() and not _ends_with_newline(self.log_path):
                handle.write(b"\n")  # a torn line from a crash stays on its own line
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())

    def _settle_pending(self) -> None:
        """Finish the history of a write interrupted by a crash, or drop it if the data was not replaced."""
        for stale in self.history_dir.glob(".*.tmp"):
            stale.unlink(missing_ok=True)  # we hold the lock: no other writer is using them
        if not self.pending_path.exists():
            return
        try:
            entry = Entry.from_json(json.loads(self.pending_path.read_text("utf-8")))
        except (ValueError, TypeError):
            entry = None
        if (entry is not None and self.path.exists() and file_version(self.path.read_bytes()) == entry.after
                and not any(e.id == entry.id for e in self.entries())):
            self._append_log(entry)
        self.pending_path.unlink(missing_ok=True)

    def _write(self, entry: Entry, old_bytes: bytes, new_bytes: bytes) -> None:
        self._atomic_write(self.pending_path, (entry.to_json() + "\n").encode("utf-8"))
        snapshot = self.snapshot_path(entry.before)
        if not snapshot.exists() or snapshot.read_bytes() != old_bytes:
            self._atomic_write(snapshot, old_bytes)
        self._atomic_write(self.path, new_bytes)
        self._append_log(entry)
        self.pending_path.unlink(missing_ok=True)

    # ------------------------------------------------------------ reading the history

    def entries(self) -> list[Entry]:
        """The history, oldest first; a line torn by a crash is skipped. Parsed again only when
        the log file changes: the page shows it on every load, and one big import makes it large."""
        try:
            st = os.stat(self.log_path)
        except FileNotFoundError:
            return []
        key = (st.st_mtime_ns, st.st_size, st.st_ino)
        if self._entries_cache is not None and self._entries_cache[0] == key:
            return list(self._entries_cache[1])
        found = []
        for line in self.log_path.read_text("utf-8").splitlines():
            try:
                found.append(Entry.from_json(json.loads(line)))
            except (ValueError, TypeError):
                continue
        self._entries_cache = (key, found)
        return list(found)

    def undoable(self, entries: list[Entry] | None = None) -> Entry | None:
        """The latest applied change that has not been undone."""
        entries = self.entries() if entries is None else entries
        undone = {e.undoes for e in entries if e.action == "undo"}
        return next((e for e in reversed(entries) if e.action == "apply" and e.id not in undone), None)

    def _next_id(self, entries: list[Entry]) -> int:
        return max((e.id for e in entries), default=0) + 1

    # ------------------------------------------------------------ apply and undo

    def apply(self, preview: Preview, overwrite: bool = False, who: str = "") -> Entry | None:
        """Write the preview's new and changed figures; None if there is nothing to write.

        Refused (nothing written) when the preview has problems, when it would change existing
        figures without `overwrite`, or when the data is no longer the version it was computed on.
        """
        if preview.problems:
            raise HasProblems(f"{preview.file} has {len(preview.problems)} problem(s): nothing was written",
                              list(preview.problems))
        if preview.needs_overwrite and not overwrite:
            raise NeedsOverwrite(f"{len(preview.changed)} existing figure(s) would change: confirm overwriting "
                                 "existing figures (--overwrite); nothing was written")
        writes = preview.writes
        if not writes:
            return None
        if self.path.suffix.lower() != ".csv":
            raise Refused(f"{self.path.name} is not a CSV file: changes are written only to a .csv data file")
        with self.locked():
            dataset, problems = inspect(self.path)
            if dataset is None:
                raise HasProblems(f"{self.path.name} itself has problems; fix them first (membership check)", problems)
            if dataset.version != preview.base_version:
                raise StaleVersion("the data changed since this preview was made (someone else applied a change); "
                                   "nothing was written: preview again")
            old_bytes = self.path.read_bytes()
            new_bytes = merged_csv(old_bytes, writes)
            self._check(new_bytes, dataset)
            entries = self.entries()
            entry = Entry(
                id=self._next_id(entries), when=_now(), who=who or "unknown", action="apply",
                source=preview.file, before=file_version(old_bytes), after=file_version(new_bytes),
                changes=tuple({"key": list(c.key), "old": c.old, "new": c.new} for c in writes),
            )
            self._write(entry, old_bytes, new_bytes)
            return entry

    def undo(self, who: str = "") -> Entry:
        """Restore the exact bytes from before the latest change that is not yet undone."""
        with self.locked():
            entries = self.entries()
            target = self.undoable(entries)
            if target is None:
                raise NothingToUndo("nothing to undo: no applied change in the history")
            current = self.path.read_bytes()
            if file_version(current) != target.after:
                raise Refused(f"{self.path.name} was changed outside this tool after change #{target.id}; "
                              "undo would lose that edit, so nothing was restored "
                              f"(earlier versions are kept in {self.history_dir})")
            snapshot = self.snapshot_path(target.before)
            if not snapshot.exists() or file_version(snapshot.read_bytes()) != target.before:
                raise Refused(f"the saved copy from before change #{target.id} is missing or damaged "
                              f"({snapshot.name}); nothing was restored")
            restored = snapshot.read_bytes()
            entry = Entry(
                id=self._next_id(entries), when=_now(), who=who or "unknown", action="undo",
                source=f"undo of #{target.id}", before=target.after, after=target.before,
                changes=tuple({"key": c["key"], "old": c["new"], "new": c["old"]} for c in target.changes),
                undoes=target.id,
            )
            self._write(entry, current, restored)
            return entry

    def _check(self, new_bytes: bytes, dataset: Dataset) -> None:
        table = read_csv_text(new_bytes.decode("utf-8-sig"), self.path.name)
        _, problems = validate_counts(table, dataset.parties)
        if problems:
            raise HasProblems("the result would not be a valid data file; nothing was written", problems)


# ---------------------------------------------------------------- building the new file

def _sort_key(year: str, as_of: str) -> tuple[int, str]:
    return (int(year) if year.isdigit() else 0, as_of)


def merged_csv(old_bytes: bytes, writes: list[Change]) -> bytes:
    """The data file with changed rows edited in place and new rows inserted in order among their
    party's rows, keeping every other byte as it was (so a git diff shows only the change)."""
    bom = old_bytes.startswith(b"\xef\xbb\xbf")
    text = old_bytes.decode("utf-8-sig")
    first_line = text.split("\n", 1)[0]
    newline = "\r\n" if first_line.endswith("\r") else "\n"
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = [h.strip().lower() for h in rows[0]]
    at = {name: header.index(name) for name in COLUMNS if name in header}
    width = len(header)
    missing = [n for n in COLUMNS if n not in at and any(c.new.get(n) for c in writes)]
    if missing:
        raise Refused(f"the data file has no column {', '.join(repr(m) for m in missing)} to hold the new values")

    def key_of(row: list[str]) -> tuple[str, int, str] | None:
        cells = [row[at[n]].strip() if at[n] < len(row) else "" for n in ("party", "year", "as_of")]
        return (cells[0].lower(), int(cells[1]), cells[2]) if cells[1].isdigit() else None

    def cells_of(rec: dict, base: list[str] | None = None) -> list[str]:
        out = list(base) if base else [""] * width
        out += [""] * (width - len(out))
        for name, index in at.items():
            out[index] = str(rec[name])
        return out

    position = {key_of(r): i for i, r in enumerate(rows[1:], start=1) if any(c.strip() for c in r)}
    inserts: dict[int, list[list[str]]] = {}
    appended: list[tuple] = []
    party_rows: dict[str, list[tuple[tuple[int, str], int]]] = {}
    for i, row in enumerate(rows[1:], start=1):
        k = key_of(row) if any(c.strip() for c in row) else None
        if k:
            party_rows.setdefault(k[0], []).append((_sort_key(str(k[1]), k[2]), i))
    for change in writes:
        rec = change.new
        if change.kind == "changed":
            index = position[change.key]
            rows[index] = cells_of(rec, rows[index])
            continue
        own = party_rows.get(rec["party"])
        if not own:
            appended.append(((rec["party"], rec["year"], rec["as_of"]), cells_of(rec)))
            continue
        keys = [k for k, _ in own]
        new_key = (rec["year"], rec["as_of"])
        if keys == sorted(keys):
            j = bisect.bisect_right(keys, new_key)
            anchor = own[j - 1][1] if j else own[0][1] - 1   # after the previous figure, or before the first
        else:
            anchor = own[-1][1]                              # hand-ordered party: add after its last row
        inserts.setdefault(anchor, []).append(cells_of(rec))
    out_rows: list[list[str]] = []
    for i, row in enumerate(rows):
        out_rows.append(row)
        for extra in sorted(inserts.get(i, []), key=lambda r: _sort_key(r[at["year"]], r[at["as_of"]])):
            out_rows.append(extra)
    out_rows.extend(r for _, r in sorted(appended, key=lambda t: t[0]))
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator=newline).writerows(out_rows)
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8")


# ---------------------------------------------------------------- helpers

def atomic_write(target: Path, data: bytes, temp_dir: Path) -> None:
    """Temporary file (in `temp_dir`, on the same filesystem), flushed and fsynced, then renamed
    over the target: a reader or a crash sees the old bytes or the new, never a mix."""
    mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=temp_dir, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable (POSIX); harmless where directories cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"


def change_lines(entry: Entry, limit: int = 20, arrow: str = "->") -> list[str]:
    """Each change of an entry as one line ("+ added", "- removed", "old -> new"), for CLI and page."""
    lines = []
    for change in entry.changes[:limit]:
        key, old, new = tuple(change["key"]), change.get("old") or {}, change.get("new") or {}
        if not old:
            lines.append(f"+ {describe_key(key)}: {new['members']:,}")
        elif not new:
            lines.append(f"- {describe_key(key)}: {old['members']:,} removed")
        else:
            lines.append(f"~ {describe_key(key)}: {old['members']:,} {arrow} {new['members']:,}")
    if len(entry.changes) > limit:
        lines.append(f"... and {len(entry.changes) - limit:,} more")
    return lines


def describe_entry(entry: Entry, limit: int = 20) -> str:
    """One history entry as text, for the CLI."""
    head = f"#{entry.id} {entry.when} {entry.who}: {entry.source}"
    return "\n".join([head, *("  " + line for line in change_lines(entry, limit))])
