"""The only code that writes the data folder: one writer at a time, atomic replace, a history, undo and redo.

A change may touch several of the folder's files (membership.csv, parties.csv, events.csv,
other_figures.csv: a new party with its figures, one leader's term ended and the next started): it is
written as one unit, all of its files or none, and undone and redone as one.

Layout beside the data file (data/.history/ of a checkout is kept in git, as the data's provenance):
  membership.csv.lock                      the file lock (filelock; released if the process dies)
  .history/membership.log.jsonl            one JSON line per applied change, undo or redo
  .history/<file>-<version>.csv            the exact bytes of a file before each change (content-addressed)
  .history/membership.pending.json         the change being written; settled on the next write
  .history/membership.last-good.csv        the latest membership bytes known to be valid (served if the file breaks)

Only the last `keep` entries of the log and the snapshots they need are kept (retention), so
.history stays bounded; a damaged log line is reported with its line number and skipped.

Order of a write: pending entry, snapshot of every file's old bytes, atomic replace of each file (parties
first, so nothing names a party before it exists; an undo goes the other way), history line, pending
removed. Each replace is atomic, so a crash leaves every file whole, old or new. The next writer settles a
crash by the pending entry: every file new, it records the change; some new and some old, it puts the old
bytes back (from their snapshots), so the files agree with each other and with the history again.

An installed copy's data folder may not exist yet (`seed_dir`): its first change copies the bundled data,
with its history, into the folder, and writes there, never into the installed package.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard.core.dataset import companion_path, data_version, dataset_from_tables, file_version, inspect
from dashboard.core.problems import Problem, printable
from dashboard.core.tables import TABLES, WRITE_ORDER
from dashboard.core.tabular import Table, read_csv_text
from dashboard.updates.changes import Preview
from dashboard.updates.history import ACTIONS, MEMBERSHIP, Entry, change_record, reversed_changes
from dashboard.updates.merge import Refused, merged_csv, merged_table

if TYPE_CHECKING:
    from filelock import FileLock

__all__ = ["ACTIONS", "Entry", "Refused", "Store", "atomic_write", "merged_csv"]

LOCK_TIMEOUT_SECONDS = 15.0
DEFAULT_KEEP = 100  # changes kept in the history, with the earlier versions their undo needs


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


class Store:
    """Writes to one data folder: the data file and its companions. Every public method that writes takes
    the lock for its whole duration."""

    def __init__(self, data_path: Path, keep: int = DEFAULT_KEEP, seed_dir: Path | None = None):
        self.path = Path(data_path)
        self.keep = max(1, int(keep))
        self.seed_dir = seed_dir          # the bundled data a first change copies into this folder
        self.history_dir = self.path.parent / ".history"
        stem = self.path.stem
        self.log_path = self.history_dir / f"{stem}.log.jsonl"
        self.pending_path = self.history_dir / f"{stem}.pending.json"
        self.last_good_path = self.history_dir / f"{stem}.last-good{self.path.suffix}"
        self.seeded_from: Path | None = None  # set by the write that copied the bundled data here
        self._lock: FileLock | None = None  # made by the first write: serving only reads
        self._entries_cache: tuple[tuple, list[Entry], list[Problem]] | None = None

    # ------------------------------------------------------------ the files

    def file_path(self, table: str) -> Path:
        """Where a table is written: the data file, or its companion beside it."""
        return self.path if table == MEMBERSHIP else self.path.parent / TABLES[table].file

    def read_path(self, table: str) -> Path:
        """Where a table is read from now: beside the data file, else the bundled copy (a companion a change
        writes for the first time starts from the bundled one)."""
        return self.path if table == MEMBERSHIP else companion_path(self.path, TABLES[table].file)

    def current_bytes(self, table: str) -> bytes | None:
        try:
            return self.read_path(table).read_bytes()
        except FileNotFoundError:
            return None

    def current_version(self, table: str) -> str | None:
        data = self.current_bytes(table)
        return None if data is None else file_version(data)

    @property
    def needs_seed(self) -> bool:
        """True until the first change copies the bundled data into this (the user's) folder."""
        return self.seed_dir is not None and not self.path.exists()

    # ------------------------------------------------------------ low level

    @contextmanager
    def locked(self) -> Iterator[None]:
        from filelock import FileLock, Timeout  # imported by the first write, not at every start (0.07 s)

        try:
            if self.seed_dir is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            if self._lock is None:
                self._lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT_SECONDS)
            with self._lock:
                self.history_dir.mkdir(exist_ok=True)
                self._settle_pending()
                yield
        except Timeout:
            raise Refused(f"another change to {self.path.name} is being written; try again in a moment") from None
        except OSError as exc:  # read-only folder, disk full, permission denied: before anything was written
            raise WriteFailed(os_message(exc) + "; nothing was written") from None

    def snapshot_path(self, version: str, table: str = MEMBERSHIP) -> Path:
        if table == MEMBERSHIP:
            return self.history_dir / f"{self.path.stem}-{version}{self.path.suffix}"
        return self.history_dir / f"{Path(TABLES[table].file).stem}-{version}.csv"

    def _atomic_write(self, target: Path, data: bytes) -> None:
        atomic_write(target, data, self.history_dir)

    def _seed(self) -> None:
        """Copy the bundled data (its files and its history) into this folder before its first change."""
        if not self.needs_seed or self.seed_dir is None:
            return
        history = self.seed_dir / ".history"
        for source in sorted(history.glob("*")) if history.is_dir() else []:
            target = self.history_dir / source.name
            if source.is_file() and not target.exists() and not source.name.endswith((".pending.json", ".tmp",
                                                                                        ".last-good.csv")):
                self._atomic_write(target, source.read_bytes())
        for table in WRITE_ORDER:  # the data file last: once it is there, the folder is the one in use
            source = self.seed_dir / TABLES[table].file
            target = self.file_path(table)
            if source.is_file() and not target.exists():
                self._atomic_write(target, source.read_bytes())
        self.seeded_from = self.seed_dir

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
        """Finish the history of a write interrupted by a crash when all its files were replaced; when only
        some were, put the others' old bytes back, so every file is as it was before that change."""
        for stale in self.history_dir.glob(".*.tmp"):
            stale.unlink(missing_ok=True)  # we hold the lock: no other writer is using them
        if not self.pending_path.exists():
            return
        try:
            entry: Entry | None = Entry.from_json(json.loads(self.pending_path.read_text("utf-8")))
        except (ValueError, TypeError):
            entry = None
        if entry is not None:
            versions = entry.versions
            now = {table: self.current_version(table) for table in versions}
            replaced = [table for table, (_, after) in versions.items() if now[table] == after]
            if len(replaced) == len(versions):
                if not any(e.id == entry.id for e in self.entries()):
                    self._append_log(entry)
            else:
                for table in reversed([t for t in WRITE_ORDER if t in replaced]):
                    before = versions[table][0]
                    snapshot = self.snapshot_path(before, table)
                    if snapshot.exists() and file_version(data := snapshot.read_bytes()) == before:
                        self._atomic_write(self.file_path(table), data)
        self.pending_path.unlink(missing_ok=True)

    def _write(self, entry: Entry, contents: dict[str, tuple[bytes, bytes]], order: tuple[str, ...]) -> None:
        """Pending entry, snapshots, replace each file in `order`, history line. An OSError at any step puts
        back every file already replaced and raises WriteFailed."""
        tables = [t for t in order if t in contents]
        replaced: list[str] = []
        try:
            self._atomic_write(self.pending_path, (entry.to_json() + "\n").encode("utf-8"))
            for table in tables:
                old = contents[table][0]
                snapshot = self.snapshot_path(file_version(old), table)
                if not snapshot.exists() or snapshot.read_bytes() != old:
                    self._atomic_write(snapshot, old)
            for table in tables:
                self._atomic_write(self.file_path(table), contents[table][1])
                replaced.append(table)
        except OSError as exc:
            self._put_back(replaced, contents)
            _unlink_quietly(self.pending_path)
            raise WriteFailed(os_message(exc, default=self.path) + "; nothing was written") from None
        try:
            self._append_log(entry)
        except OSError as exc:
            if not self._put_back(replaced, contents):
                raise WriteFailed(f"{os_message(exc)}: the new data was written but its history line was not; "
                                  "it is recorded by the next change once there is room") from None
            _unlink_quietly(self.pending_path)
            raise WriteFailed(os_message(exc) + "; the data was put back as it was, nothing was changed") from None
        _unlink_quietly(self.pending_path)
        self._after_write()

    def _put_back(self, tables: list[str], contents: dict[str, tuple[bytes, bytes]]) -> bool:
        """The old bytes of files already replaced, newest first; False if any could not be (the pending
        entry then settles it on the next write)."""
        whole = True
        for table in reversed(tables):
            try:
                self._atomic_write(self.file_path(table), contents[table][0])
            except OSError:
                whole = False
        return whole

    def _after_write(self) -> None:
        """Best effort once a write is recorded: remember the valid bytes, apply the retention policy."""
        try:
            self.remember_good(self.path.read_bytes())
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
        needed = {self.snapshot_path(before, table).name for e in entries for table, (before, _) in e.versions.items()}
        for table in TABLES:
            sample = self.snapshot_path("0" * 16, table)
            stem, suffix = sample.name[:-len("0" * 16) - len(sample.suffix)], sample.suffix
            for snapshot in self.history_dir.glob(f"{stem}*{suffix}"):
                version = snapshot.name[len(stem):-len(suffix) or None]
                if len(version) == 16 and snapshot.name not in needed:
                    snapshot.unlink(missing_ok=True)

    # ------------------------------------------------------------ reading the history

    def _read_log(self) -> tuple[list[Entry], list[Problem]]:
        """The history, oldest first, and a located problem for every damaged line (which is skipped).
        Parsed again only when the log changes: the page shows it on every load."""
        log_path = self.log_path
        if self.needs_seed and self.seed_dir is not None:  # before the first change: the bundled history
            log_path = self.seed_dir / ".history" / self.log_path.name
        try:
            st = os.stat(log_path)
        except FileNotFoundError:
            return [], []
        except OSError as exc:
            return [], [Problem(self._log_name, os_message(exc, "read"))]
        key = (str(log_path), st.st_mtime_ns, st.st_size, st.st_ino)
        if self._entries_cache is not None and self._entries_cache[0] == key:
            return list(self._entries_cache[1]), list(self._entries_cache[2])
        try:
            data = log_path.read_bytes()
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

    def redoable(self, entries: list[Entry] | None = None) -> Entry | None:
        """The latest undo that has not been redone, if nothing has changed its files since it."""
        entries = self.entries() if entries is None else entries
        redone = {e.redoes for e in entries if e.action == "redo"}
        target = next((e for e in reversed(entries) if e.action == "undo" and e.id not in redone), None)
        if target is None:
            return None
        try:
            current = {table: self.current_version(table) for table in target.versions}
        except OSError:
            return None
        return target if all(current[t] == after for t, (_, after) in target.versions.items()) else None

    def _next_id(self, entries: list[Entry]) -> int:
        return max((e.id for e in entries), default=0) + 1

    # ------------------------------------------------------------ apply, undo and redo

    def apply(self, preview: Preview, overwrite: bool = False, who: str = "") -> Entry | None:
        """Write the preview's new, changed and removed rows, every file they touch as one change; None if
        there is nothing to write.

        Refused (nothing written) when the preview has problems, when it would change existing rows
        without `overwrite`, or when any file it writes is no longer the version it was computed on.
        """
        if preview.problems:
            raise HasProblems(f"{preview.file} has {len(preview.problems)} problem(s): nothing was written",
                              list(preview.problems))
        if preview.needs_overwrite and not overwrite:
            raise NeedsOverwrite(f"{len(preview.overwritten)} existing {_entries_word(preview)} would change: confirm "
                                 "overwriting existing figures (--overwrite); nothing was written")
        writes = preview.writes
        if not writes:
            return None
        if self.path.suffix.lower() != ".csv":
            raise Refused(f"{self.path.name} is not a CSV file: changes are written only to a .csv data file")
        with self.locked():
            self._seed()
            current = {table: data for table in TABLES if (data := self.current_bytes(table)) is not None}
            if _stale(preview, {table: file_version(data) for table, data in current.items()}):
                raise StaleVersion("the data changed since this preview was made (someone else applied a change); "
                                   "nothing was written: preview again")
            contents: dict[str, tuple[bytes, bytes]] = {}
            for table in preview.touched:
                old = current.get(table, b"")
                new = merged_table(old, TABLES[table], [w for w in writes if w.table == table])
                if new != old:
                    contents[table] = (old, new)
            self._check(contents)
            entries = self.entries()
            entry = self._entry(entries, who, "apply", preview.file, contents,
                                tuple(change_record(c.table, c.key, c.old, c.after) for c in writes))
            self._write(entry, contents, WRITE_ORDER)
            return entry

    def replace_broken(self, data: bytes, source: str, who: str = "") -> Entry:
        """Put a corrected copy in place of a data file that does not validate (and has no good version
        to serve meanwhile). Refused, with every problem, unless the copy validates with the folder's
        other files; refused when the file in use is fine (changes then go through a preview). One
        change in the history, so undo puts the broken bytes back exactly."""
        if self.path.suffix.lower() != ".csv":
            raise Refused(f"{self.path.name} is not a CSV file: a corrected copy replaces only a .csv data file")
        with self.locked():
            if self.needs_seed or inspect(self.path)[0] is not None:
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
            contents = {MEMBERSHIP: (self.current_bytes(MEMBERSHIP) or b"", data)}
            entry = self._entry(self.entries(), who, "apply", source, contents, ())
            self._write(entry, contents, WRITE_ORDER)
            return entry

    def _entry(self, entries: list[Entry], who: str, action: str, source: str,
               contents: dict[str, tuple[bytes, bytes]], changes: tuple[dict, ...], **links: int) -> Entry:
        versions = {table: [file_version(old), file_version(new)] for table, (old, new) in contents.items()}
        membership = versions.get(MEMBERSHIP) or [self.current_version(MEMBERSHIP) or ""] * 2
        return Entry(id=self._next_id(entries), when=_now(), who=who or "unknown", action=action, source=source,
                     before=membership[0], after=membership[1], changes=changes, files=versions, **links)

    def undo(self, who: str = "", expected: int | None = None) -> Entry:
        """Restore the exact bytes of every file from before the latest change that is not yet undone.

        `expected` is the change the caller was shown (the page's Undo button names one): when the
        latest change is another one, nothing is restored, so nobody undoes a change they never saw.
        """
        with self.locked():
            self._seed()
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
            contents: dict[str, tuple[bytes, bytes]] = {}
            for table, (before, after) in target.versions.items():
                current = self.current_bytes(table) or b""
                if file_version(current) != after:
                    raise Refused(f"{self.file_path(table).name} was changed outside this tool after change "
                                  f"#{target.id}; undo would lose that edit, so nothing was restored "
                                  f"(earlier versions are kept in {self.history_dir})")
                contents[table] = (current, self._snapshot_for(target, table, before, entries, "undo"))
            entry = self._entry(entries, who, "undo", f"undo of #{target.id}", contents,
                                reversed_changes(target.changes), undoes=target.id)
            self._write(entry, contents, tuple(reversed(WRITE_ORDER)))
            return entry

    def redo(self, who: str = "", expected: int | None = None) -> Entry:
        """Put back exactly what the latest undo took away, if nothing has changed its files since.

        `expected` names the undo the caller was shown, as for `undo`.
        """
        with self.locked():
            entries = self.entries()
            target = self.redoable(entries)
            if target is None:
                raise NothingToRedo("nothing to redo: there is no undo since the last change")
            if expected is not None and target.id != expected:
                raise NotTheLatest(f"the latest undo is now #{target.id}, not #{expected} that you were shown; "
                                   "nothing was redone: look at the history and try again")
            contents = {table: (self.current_bytes(table) or b"",
                                self._snapshot_for(target, table, before, entries, "redo"))
                        for table, (before, _) in target.versions.items()}
            entry = self._entry(entries, who, "redo", f"redo of #{target.undoes}", contents,
                                reversed_changes(target.changes), redoes=target.id)
            self._write(entry, contents, WRITE_ORDER)
            return entry

    def _snapshot_for(self, target: Entry, table: str, version: str, entries: list[Entry], action: str) -> bytes:
        """The saved bytes of a file from before `target`, or Refused saying plainly why they are not there."""
        snapshot = self.snapshot_path(version, table)
        try:
            data = snapshot.read_bytes()
        except FileNotFoundError:
            data = None
        except OSError as exc:
            raise WriteFailed(os_message(exc, "read") + f"; nothing was {action}ne") from None
        if data is not None and file_version(data) == version:
            return data
        if target not in entries[-self.keep:]:
            raise Refused(f"change #{target.id} is too old to {action}: the history keeps the earlier versions of "
                          f"the last {self.keep} changes only")
        raise Refused(f"the saved copy from before change #{target.id} is missing or damaged "
                      f"({snapshot.name}); nothing was restored")

    def _check(self, contents: dict[str, tuple[bytes, bytes]]) -> None:
        """The files as they would be after the write, validated together, as the loader will read them (the
        data as it is now is validated only when they fail: to say whether it was broken already)."""
        tables: dict[str, Table | None] = {}
        for table in TABLES:
            data = contents[table][1] if table in contents else self.current_bytes(table)
            name = self.file_path(table).name
            tables[table] = None if data is None else read_csv_text(data.decode("utf-8-sig"), name)
        _, problems = dataset_from_tables(tables, self.path, {})
        if not problems:
            return
        dataset, existing = inspect(self.path)
        if dataset is None:
            raise HasProblems(f"{self.path.name} itself has problems; fix them first (membership check)", existing)
        raise HasProblems("the result would not be a valid data file; nothing was written", problems)


def _stale(preview: Preview, versions: dict[str, str]) -> bool:
    """Whether a file the preview writes changed since it was computed (a preview made by hand, without
    file versions, is held to the whole data's version)."""
    if not preview.base_files:
        return data_version(versions) != preview.base_version
    base = dict(preview.base_files)
    return any(versions.get(table) != base.get(table) for table in preview.touched)


def _entries_word(preview: Preview) -> str:
    tables = {c.table for c in preview.overwritten}
    return "figure(s)" if tables <= {MEMBERSHIP} else "row(s)"


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
