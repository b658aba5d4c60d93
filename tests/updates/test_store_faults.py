"""The store under faults: concurrent undos, damaged history lines, retention, OS errors.

Each test works on a private copy of data/ (the data_dir fixture); figures are invented (TEST source).
"""
from __future__ import annotations

import errno
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import read_only_folder
from updates_helpers import INVENTED_SOURCE, first_free_year_end

from dashboard.core.dataset import file_version, load_dataset
from dashboard.updates import store as store_module
from dashboard.updates.changes import Preview, diff
from dashboard.updates.ingest import Defaults, read_upload
from dashboard.updates.store import (
    NothingToRedo,
    NotTheLatest,
    Refused,
    Store,
    WriteFailed,
)


@pytest.fixture
def path(data_dir: Path) -> Path:
    return data_dir / "membership.csv"


def new_figure(path: Path, members: int = 123456, party: str = "labour") -> Preview:
    dataset = load_dataset(path)
    year = first_free_year_end(dataset, party)
    upload = read_upload(f"Year,Members\n{year},{members}\n".encode(), "up.csv", dataset.parties,
                         Defaults(party=party, source=INVENTED_SOURCE))
    return diff(dataset, upload)


def _undo_at_barrier(path: str, expected: int, barrier, results) -> None:
    barrier.wait()
    try:
        Store(Path(path)).undo(who="racer", expected=expected)
        results.put("undone")
    except NotTheLatest:
        results.put("refused")


@pytest.mark.process  # forks writers
def test_two_concurrent_undos_of_the_same_change_exactly_one_wins(path):
    """Two tabs showing "Undo #2" both click: #2 is undone once, #1 (which nobody was shown) stays."""
    store = Store(path)
    store.apply(new_figure(path, 111111), who="first")
    after_first = path.read_bytes()
    second = store.apply(new_figure(path, 222222, party="green"), who="second")
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(2), context.Queue()
    racers = [context.Process(target=_undo_at_barrier, args=(str(path), second.id, barrier, results)) for _ in range(2)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(30)
    outcomes = sorted(results.get(timeout=5) for _ in racers)
    assert outcomes == ["refused", "undone"]
    assert path.read_bytes() == after_first
    assert [e.action for e in Store(path).entries()] == ["apply", "apply", "undo"]


def test_undo_shown_for_an_older_change_is_refused_with_the_latest_named(path):
    store = Store(path)
    first = store.apply(new_figure(path, 111111))
    store.apply(new_figure(path, 222222, party="green"))
    before = path.read_bytes()
    with pytest.raises(NotTheLatest, match=r"latest change is now #2, not #1"):
        store.undo(expected=first.id)
    assert path.read_bytes() == before


def test_redo_restores_the_undone_change_byte_for_byte(path):
    store = Store(path)
    original = path.read_bytes()
    applied = store.apply(new_figure(path))
    changed = path.read_bytes()
    undo = store.undo()
    assert path.read_bytes() == original
    redo = store.redo(expected=undo.id)
    assert path.read_bytes() == changed and redo.redoes == undo.id and redo.after == applied.after
    store.undo()                                  # the redone change can itself be undone
    assert path.read_bytes() == original


def test_redo_is_refused_once_a_new_change_was_applied_after_the_undo(path):
    store = Store(path)
    store.apply(new_figure(path))
    store.undo()
    store.apply(new_figure(path, 5555, party="green"))
    before = path.read_bytes()
    with pytest.raises(NothingToRedo):
        store.redo()
    assert path.read_bytes() == before


DAMAGE = {
    "invalid UTF-8": b'{"id": 99, "who": "\xff\xfe"}',
    "an entry lacking a field": b'{"id": 99, "when": "2026-01-01T00:00:00+00:00", "action": "apply"}',
    "a wrong type": b'{"id": "two", "when": 5, "who": [], "action": "apply", "source": "x", "before": "a", "after": "b", "changes": {}}',
    "changes of the wrong shape": b'{"id": 99, "when": "w", "who": "w", "action": "apply", "source": "x", "before": "a", "after": "b", "changes": [{"key": "labour"}]}',
    "not JSON at all": b"\x00\x01garbage",
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_history_line_is_reported_with_its_line_and_skipped(path, damage):
    store = Store(path)
    store.apply(new_figure(path, 111111))
    with open(store.log_path, "ab") as handle:
        handle.write(damage + b"\n")
    problems = store.history_problems()
    assert len(problems) == 1 and "line 2" in str(problems[0]) and "skipped" in str(problems[0])
    assert [e.id for e in store.entries()] == [1]
    second = store.apply(new_figure(path, 222222, party="green"))   # writes keep working
    assert second.id == 2
    store.undo(expected=2)                                          # so does undo of intact entries
    store.undo(expected=1)
    assert [e.action for e in store.entries()] == ["apply", "apply", "undo", "undo"]


def test_retention_keeps_the_history_bounded_and_says_when_a_change_is_too_old(path):
    store = Store(path, keep=6)
    for cycle in range(40):
        store.apply(new_figure(path, 100000 + cycle))
        store.undo()
    entries = store.entries()
    assert len(entries) <= 6
    snapshots = list(store.history_dir.glob("membership-*.csv"))
    assert len(snapshots) <= 6
    size = sum(f.stat().st_size for f in store.history_dir.iterdir())
    assert size < 8 * (path.stat().st_size + 4096)

    for day in range(1, 9):                                         # more changes than are kept
        dataset = load_dataset(path)
        text = f"party,year,members,as_of\nlabour,2020,{200000 + day},2020-03-{day:02d}\n"
        store.apply(diff(dataset, read_upload(text.encode(), "d.csv", dataset.parties, Defaults(source=INVENTED_SOURCE))))
    undone = 0
    with pytest.raises(Refused, match=r"too old \(the history keeps the last 6 changes\)"):
        for _ in range(8):
            before = path.read_bytes()
            store.undo()
            undone += 1
    assert undone >= 2 and path.read_bytes() == before


def folder_state(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_read_only_data_folder_gives_one_message_and_writes_nothing(path):
    preview = new_figure(path)
    before = folder_state(path.parent)
    with read_only_folder(path.parent), pytest.raises(WriteFailed) as caught:
        Store(path).apply(preview)
    message = str(caught.value)
    assert "\n" not in message and "nothing was written" in message and ("ermission" in message or "not permitted" in message)
    assert folder_state(path.parent) == before


@pytest.mark.parametrize("fails", ["snapshot", "data", "history line"])
def test_a_full_disk_at_any_step_leaves_the_data_as_it_was(path, monkeypatch, fails):
    store = Store(path)
    store.apply(new_figure(path, 111111))                     # a history to append to
    before = path.read_bytes()
    log_before = store.log_path.read_bytes()
    preview = new_figure(path, 222222, party="green")
    real_fsync = os.fsync
    targets = {"snapshot": ".membership-", "data": ".membership.csv.", "history line": None}

    def full_disk(fd):
        name = os.readlink(f"/proc/self/fd/{fd}")
        hit = name.endswith(".log.jsonl") if targets[fails] is None else Path(name).name.startswith(targets[fails])
        if hit:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(WriteFailed, match="No space left on device"):
        store.apply(preview)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert store.log_path.read_bytes() == log_before
    assert file_version(path.read_bytes()) == store.entries()[-1].after
    assert list(store.history_dir.glob(".*.tmp")) == []


@pytest.mark.process
def test_a_write_while_another_process_holds_the_lock_is_refused_and_changes_nothing(path, monkeypatch):
    with subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(path) + ".lock"], stdout=subprocess.PIPE,
                          text=True) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
            monkeypatch.setattr(store_module, "LOCK_TIMEOUT_SECONDS", 0.2)
            before = path.read_bytes()
            with pytest.raises(Refused, match="another change to membership.csv is being written; try again"):
                Store(path).apply(new_figure(path))
            assert path.read_bytes() == before
        finally:
            holder.kill()


HOLD_LOCK = """
import sys, time
from filelock import FileLock
lock = FileLock(sys.argv[1])
lock.acquire()
print("held", flush=True)
time.sleep(60)
"""
