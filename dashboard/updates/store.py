"""The only code that writes data/: one writer at a time, atomic replace, a history, undo and redo.

Layout beside the data file (data/.history/ is gitignored):
  membership.csv.lock                      the file lock (filelock; released if the process dies)
  .history/membership.log.jsonl            one JSON line per applied change, undo or redo
  .history/membership-<version>.csv        the exact bytes before each change (content-addressed)
  .history/membership.pending.json         the change being written; settled on the next write
  .history/membership.last-good.csv        the latest bytes known to be valid (served if the file breaks)

Only the last `keep` entries of the log and the snapshots they need are kept (retention), so
.history stays bounded; a damaged log line is reported with its line number and skipped.

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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard.core.dataset import COLUMNS, Dataset, file_version, inspect, validate_counts
from dashboard.core.problems import Problem, printable
from dashboard.core.tabular import read_csv_text
from dashboard.updates.changes import Change, Preview, describe_key

if TYPE_CHECKING:
    from filelock import FileLock

LOCK_TIMEOUT_SECONDS = 15.0
DEFAULT_KEEP = 100  # changes kept in the history, with the earlier versions their undo needs
ACTIONS = ("apply", "undo", "redo")


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


class NothingToRedo(Refused):
    pass


class NotTheLatest(Refused):
    """Undo or redo of a change that is no longer the latest one (another tab or admin moved on)."""


class WriteFailed(Refused):
    """The operating system refused a write (read-only folder, disk full, permission denied)."""


def os_message(exc: OSError, action: str = "write", default: object = "the data folder") -> str:
    """One line for an OSError: what could not be done, to which file, and why."""
    where = exc.filename if exc.filename else default
    return f"cannot {action} {where}: {exc.strerror or exc}"


@dataclass(frozen=True)
class Entry:
    """One line of the history."""

    id: int
    when: str
    who: str
    action: str               # "apply", "undo" or "redo"
    source: str               # the uploaded file's name, "form", "undo of #n" or "redo of #n"
    before: str               # data version before
    after: str                # data version after
    changes: tuple[dict, ...]  # {"key": [party, year, as_of], "old": record|None, "new": record|None}
    undoes: int | None = None
    redoes: int | None = None

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
        return cls(id=data["id"], when=data["when"], who=data["who"], action=data["action"], source=data["source"],
                   before=data["before"], after=data["after"], changes=tuple(changes), undoes=data.get("undoes"),
                   redoes=data.get("redoes"))

    def to_json(self) -> str:
        fields = {k: v for k, v in self.__dict__.items() if not (k == "redoes" and v is None)}
        return json.dumps({**fields, "changes": list(self.changes)}, ensure_ascii=False, sort_keys=True)


def _valid_record(record: object) -> bool:
    return (isinstance(record, dict) and isinstance(record.get("members"), int)
            and not isinstance(record.get("members"), bool))


def _valid_change(change: object) -> bool:
    """A change as the store writes it: a [party, year, as_of] key and old/new records with members."""
    if not isinstance(change, dict):
        return False
    key, old, new = change.get("key"), change.get("old"), change.get("new")
    if not (isinstance(key, list) and len(key) == 3 and isinstance(key[0], str) and isinstance(key[1], int)
            and isinstance(key[2], str)):
        return False
    return (old is not None or new is not None) and all(r is None or _valid_record(r) for r in (old, new))


class Store:
    """Writes to one data file. Every public method that writes takes the lock for its whole duration."""

    def __init__(self, data_path: Path, keep: int = DEFAULT_KEEP):
        self.path = Path(data_path)
        self.keep = max(1, int(keep))
        self.history_dir = self.path.parent / ".history"
        stem = self.path.stem
        self.log_path = self.history_dir / f"{stem}.log.jsonl"
        self.pending_path = self.history_dir / f"{stem}.pending.json"
        self.last_good_path = self.history_dir / f"{stem}.last-good{self.path.suffix}"
        self._lock: FileLock | None = None  # made by the first write: serving only reads
        self._entries_cache: tuple[tuple, list[Entry], list[Problem]] | None = None

    # ------------------------------------------------------------ low level

    @contextmanager
    def locked(self) -> Iterator[None]:
        from filelock import FileLock, Timeout  # imported by the first write, not at every start (0.07 s)

        if self._lock is None:
            self._lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT_SECONDS)
        try:
            with self._lock:
                self.history_dir.mkdir(exist_ok=True)
                self._settle_pending()
                yield
        except Timeout:
            raise Refused(f"another change to {self.path.name} is being written; try again in a moment") from None
        except OSError as exc:  # read-only folder, disk full, permission denied: before anything was written
            raise WriteFailed(os_message(exc) + "; nothing was written") from None

    def snapshot_path(self, version: str) -> Path:
        return self.history_dir / f"{self.path.stem}-{version}{self.path.suffix}"

    def _atomic_write(self, target: Path, data: bytes) -> None:
        atomic_write(target, data, self.history_dir)

    def _append_log(self, entry: Entry) -> None:
        line = (entry.to_json() + "\n").encode("utf-8")
        size = self.log_path.stat().st_size if self.log_path.exists() else 0
        try:
            with open(self.log_path, "ab") as handle:
                if handle.tell() and not _ends_with_newline(self.log_path):
                    handle.write(b"\n")  # a torn line from a crash stays on its own line
                handle.write(line)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError:
            try:
                os.truncate(self.log_path, size)  # a disk-full append leaves no torn line behind
            except OSError:
                pass
            raise

    def _settle_pending(self) -> None:
        """Finish the history of a write interrupted by a crash, or drop it if the data was not replaced."""
        for stale in self.history_dir.glob(".*.tmp"):
            stale.unlink(missing_ok=True)  # we hold the lock: no other writer is using them
        if not self.pending_path.exists():
            return
        try:
            entry: Entry | None = Entry.from_json(json.loads(self.pending_path.read_text("utf-8")))
        except (ValueError, TypeError):
            entry = None
        if (entry is not None and self.path.exists() and file_version(self.path.read_bytes()) == entry.after
                and not any(e.id == entry.id for e in self.entries())):
            self._append_log(entry)
        self.pending_path.unlink(missing_ok=True)

    def _write(self, entry: Entry, old_bytes: bytes, new_bytes: bytes) -> None:
        """Pending entry, snapshot, replace, history line. An OSError at any step leaves the data as it
        was (the old bytes are put back if the history line cannot be written) and raises WriteFailed."""
        try:
            self._atomic_write(self.pending_path, (entry.to_json() + "\n").encode("utf-8"))
            snapshot = self.snapshot_path(entry.before)
            if not snapshot.exists() or snapshot.read_bytes() != old_bytes:
                self._atomic_write(snapshot, old_bytes)
            self._atomic_write(self.path, new_bytes)
        except OSError as exc:
            _unlink_quietly(self.pending_path)
            raise WriteFailed(os_message(exc, default=self.path) + "; nothing was written") from None
        try:
            self._append_log(entry)
        except OSError as exc:
            try:
                self._atomic_write(self.path, old_bytes)
            except OSError:
                raise WriteFailed(f"{os_message(exc)}: the new data was written but its history line was not; "
                                  "it is recorded by the next change once there is room") from None
            _unlink_quietly(self.pending_path)
            raise WriteFailed(os_message(exc) + "; the data was put back as it was, nothing was changed") from None
        _unlink_quietly(self.pending_path)
        self._after_write(new_bytes)

    def _after_write(self, new_bytes: bytes) -> None:
        """Best effort once a write is recorded: remember the valid bytes, apply the retention policy."""
        try:
            self.remember_good(new_bytes)
            self._prune()
        except OSError:
            pass  # the change itself is whole and recorded; this is housekeeping only

    def remember_good(self, data: bytes) -> None:
        """Keep a copy of bytes known to be valid, served if the data file is later broken by hand."""
        if self.last_good_path.exists() and self.last_good_path.read_bytes() == data:
            return
        self.history_dir.mkdir(exist_ok=True)
        self._atomic_write(self.last_good_path, data)

    def _prune(self) -> None:
        """Keep the last `keep` entries of the log and only the snapshots their undo and redo need."""
        raw = self.log_path.read_bytes().splitlines(keepends=True) if self.log_path.exists() else []
        entries = self.entries()
        if len(entries) > self.keep:
            first_kept = entries[-self.keep].id
            cut = next(i for i, line in enumerate(raw) if _line_id(line) == first_kept)
            self._atomic_write(self.log_path, b"".join(raw[cut:]))
            entries = entries[-self.keep:]
        needed = {e.before for e in entries}
        for snapshot in self.history_dir.glob(f"{self.path.stem}-*{self.path.suffix}"):
            version = snapshot.name[len(self.path.stem) + 1:-len(self.path.suffix) or None]
            if len(version) == 16 and version not in needed:
                snapshot.unlink(missing_ok=True)

    # ------------------------------------------------------------ reading the history

    def _read_log(self) -> tuple[list[Entry], list[Problem]]:
        """The history, oldest first, and a located problem for every damaged line (which is skipped).
        Parsed again only when the log changes: the page shows it on every load."""
        try:
            st = os.stat(self.log_path)
        except FileNotFoundError:
            return [], []
        except OSError as exc:
            return [], [Problem(self._log_name, os_message(exc, "read"))]
        key = (st.st_mtime_ns, st.st_size, st.st_ino)
        if self._entries_cache is not None and self._entries_cache[0] == key:
            return list(self._entries_cache[1]), list(self._entries_cache[2])
        try:
            data = self.log_path.read_bytes()
        except OSError as exc:
            return [], [Problem(self._log_name, os_message(exc, "read"))]
        found: list[Entry] = []
        damaged: list[Problem] = []
        for number, line in enumerate(data.split(b"\n"), start=1):
            if not line.strip():
                continue
            try:
                entry = Entry.from_json(json.loads(line.decode("utf-8")))
            except UnicodeDecodeError as exc:
                why = f"is not UTF-8 text (byte {exc.start + 1})"
            except json.JSONDecodeError as exc:
                why = f"is not a whole JSON line ({exc.msg}, column {exc.colno})"
            except (ValueError, TypeError, RecursionError) as exc:
                why = f"is not a history entry ({exc})"
            else:
                found.append(entry)
                continue
            damaged.append(Problem(self._log_name, f"line {number} {why}: this entry is skipped", row=None))
        self._entries_cache = (key, found, damaged)
        return list(found), list(damaged)

    @property
    def _log_name(self) -> str:
        return f"{self.history_dir.name}/{self.log_path.name}"

    def entries(self) -> list[Entry]:
        """The history, oldest first; damaged lines are skipped (history_problems says where)."""
        return self._read_log()[0]

    def history_problems(self) -> list[Problem]:
        """Each damaged line of the history log, with its line number."""
        return self._read_log()[1]

    def undoable(self, entries: list[Entry] | None = None) -> Entry | None:
        """The latest applied (or redone) change that has not been undone."""
        entries = self.entries() if entries is None else entries
        undone = {e.undoes for e in entries if e.action == "undo"}
        return next((e for e in reversed(entries) if e.action in ("apply", "redo") and e.id not in undone), None)

    def redoable(self, entries: list[Entry] | None = None, current_version: str | None = None) -> Entry | None:
        """The latest undo that has not been redone, if nothing has changed the data since it."""
        entries = self.entries() if entries is None else entries
        redone = {e.redoes for e in entries if e.action == "redo"}
        target = next((e for e in reversed(entries) if e.action == "undo" and e.id not in redone), None)
        if target is None:
            return None
        if current_version is None:
            try:
                current_version = file_version(self.path.read_bytes())
            except OSError:
                return None
        return target if target.after == current_version else None

    def _next_id(self, entries: list[Entry]) -> int:
        return max((e.id for e in entries), default=0) + 1

    # ------------------------------------------------------------ apply, undo and redo

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

    def replace_broken(self, data: bytes, source: str, who: str = "") -> Entry:
        """Put a corrected copy in place of a data file that does not validate (and has no good version
        to serve meanwhile). Refused, with every problem, unless the copy validates; refused when the
        file on disk is fine (changes then go through a preview). Recorded, so undo puts the broken
        bytes back exactly."""
        if self.path.suffix.lower() != ".csv":
            raise Refused(f"{self.path.name} is not a CSV file: a corrected copy replaces only a .csv data file")
        with self.locked():
            if inspect(self.path)[0] is not None:
                raise Refused(f"{self.path.name} is valid now: change it with a preview instead")
            candidate = self.history_dir / f".{self.path.stem}.corrected.{os.getpid()}.tmp{self.path.suffix}"
            try:
                candidate.write_bytes(data)
                dataset, problems = inspect(candidate, companions_from=self.path)
            finally:
                _unlink_quietly(candidate)
            if dataset is None:
                raise HasProblems(f"{printable(source)} has {len(problems)} problem(s): nothing was written",
                                  [replace(p, file=source) for p in problems])
            old_bytes = self.path.read_bytes() if self.path.exists() else b""
            entry = Entry(id=self._next_id(self.entries()), when=_now(), who=who or "unknown", action="apply",
                          source=source, before=file_version(old_bytes), after=file_version(data), changes=())
            self._write(entry, old_bytes, data)
            return entry

    def undo(self, who: str = "", expected: int | None = None) -> Entry:
        """Restore the exact bytes from before the latest change that is not yet undone.

        `expected` is the change the caller was shown (the page's Undo button names one): when the
        latest change is another one, nothing is restored, so nobody undoes a change they never saw.
        """
        with self.locked():
            entries = self.entries()
            target = self.undoable(entries)
            if target is None:
                if entries and entries[0].id > 1:
                    raise NothingToUndo(f"nothing left to undo: changes before #{entries[0].id} are too old "
                                        f"(the history keeps the last {self.keep} changes)")
                raise NothingToUndo("nothing to undo: no applied change in the history")
            if expected is not None and target.id != expected:
                raise NotTheLatest(f"the latest change is now #{target.id}, not #{expected} that you were shown "
                                   "(someone else changed the data meanwhile); nothing was undone: look at the "
                                   "history and try again")
            current = self.path.read_bytes()
            if file_version(current) != target.after:
                raise Refused(f"{self.path.name} was changed outside this tool after change #{target.id}; "
                              "undo would lose that edit, so nothing was restored "
                              f"(earlier versions are kept in {self.history_dir})")
            restored = self._snapshot_for(target, entries, "undo")
            entry = Entry(
                id=self._next_id(entries), when=_now(), who=who or "unknown", action="undo",
                source=f"undo of #{target.id}", before=target.after, after=target.before,
                changes=tuple({"key": c["key"], "old": c["new"], "new": c["old"]} for c in target.changes),
                undoes=target.id,
            )
            self._write(entry, current, restored)
            return entry

    def redo(self, who: str = "", expected: int | None = None) -> Entry:
        """Put back exactly what the latest undo took away, if nothing has changed the data since.

        `expected` names the undo the caller was shown, as for `undo`.
        """
        with self.locked():
            entries = self.entries()
            current = self.path.read_bytes()
            target = self.redoable(entries, file_version(current))
            if target is None:
                raise NothingToRedo("nothing to redo: there is no undo since the last change")
            if expected is not None and target.id != expected:
                raise NotTheLatest(f"the latest undo is now #{target.id}, not #{expected} that you were shown; "
                                   "nothing was redone: look at the history and try again")
            restored = self._snapshot_for(target, entries, "redo")
            entry = Entry(
                id=self._next_id(entries), when=_now(), who=who or "unknown", action="redo",
                source=f"redo of #{target.undoes}", before=target.after, after=target.before,
                changes=tuple({"key": c["key"], "old": c["new"], "new": c["old"]} for c in target.changes),
                redoes=target.id,
            )
            self._write(entry, current, restored)
            return entry

    def _snapshot_for(self, target: Entry, entries: list[Entry], action: str) -> bytes:
        """The saved bytes from before `target`, or Refused saying plainly why they are not there."""
        snapshot = self.snapshot_path(target.before)
        try:
            data = snapshot.read_bytes()
        except FileNotFoundError:
            data = None
        except OSError as exc:
            raise WriteFailed(os_message(exc, "read") + f"; nothing was {action}ne") from None
        if data is not None and file_version(data) == target.before:
            return data
        if target not in entries[-self.keep:]:
            raise Refused(f"change #{target.id} is too old to {action}: the history keeps the earlier versions of "
                          f"the last {self.keep} changes only")
        raise Refused(f"the saved copy from before change #{target.id} is missing or damaged "
                      f"({snapshot.name}); nothing was restored")

    def _check(self, new_bytes: bytes, dataset: Dataset) -> None:
        table = read_csv_text(new_bytes.decode("utf-8-sig"), self.path.name)
        _, problems = validate_counts(table, dataset.parties)
        if problems:
            raise HasProblems("the result would not be a valid data file; nothing was written", problems)


def _line_id(line: bytes) -> int | None:
    try:
        value = json.loads(line.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    return value.get("id") if isinstance(value, dict) and isinstance(value.get("id"), int) else None


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


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
            out[index] = str(rec.get(name, ""))
        return out

    position = {key_of(r): i for i, r in enumerate(rows[1:], start=1) if any(c.strip() for c in r)}
    inserts: dict[int, list[list[str]]] = {}   # after row i
    before: dict[int, list[list[str]]] = {}    # before row i
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
            if not j:  # before the party's first figure (not after the row above it: another party's)
                before.setdefault(own[0][1], []).append(cells_of(rec))
                continue
            anchor = own[j - 1][1]                           # after the previous figure
        else:
            anchor = own[-1][1]                              # hand-ordered party: add after its last row
        inserts.setdefault(anchor, []).append(cells_of(rec))
    out_rows: list[list[str]] = []

    def in_order(extra: list[list[str]]) -> list[list[str]]:
        return sorted(extra, key=lambda r: _sort_key(r[at["year"]], r[at["as_of"]]))

    for i, row in enumerate(rows):
        out_rows.extend(in_order(before.get(i, [])))
        out_rows.append(row)
        out_rows.extend(in_order(inserts.get(i, [])))
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
    return printable("\n".join([head, *("  " + line for line in change_lines(entry, limit))]))
