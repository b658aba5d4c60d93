"""A change that touches several files (a new party, its figures and its leader) is one unit: written whole or
not at all, even when the writer is killed at any step; undone and redone byte for byte; refused when any of
its files changed since its preview. Everything invented is marked TEST; it goes to a copy of data/.
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
from pathlib import Path

import pytest
from updates_helpers import INVENTED_SOURCE, first_free_year_end

from dashboard.core.dataset import file_version, load_dataset
from dashboard.core.party_style import pick_colour
from dashboard.updates.changes import Change, Preview
from dashboard.updates.history import Entry
from dashboard.updates.store import StaleVersion, Store, WriteFailed

FILES = ("membership.csv", "parties.csv", "events.csv")


@pytest.fixture
def path(data_dir: Path) -> Path:
    return data_dir / "membership.csv"


def unit_preview(path: Path, slug: str = "testparty") -> Preview:
    """A new party (invented), a figure of it and its leader's term: three files in one change."""
    dataset = load_dataset(path)
    party = {"slug": slug, "name": f"TEST party {slug}", "colour": pick_colour(p.colour for p in dataset.parties.values()),
             "aliases": "", "short": "", "source": INVENTED_SOURCE, "url": "", "note": ""}
    year = first_free_year_end(dataset)
    figure = {"party": slug, "year": year, "members": 1234, "as_of": "", "source": INVENTED_SOURCE, "url": "",
              "note": "", "basis": ""}
    leader = {"kind": "leader", "party": slug, "name": "TEST leader (invented)", "start": f"{year}-01-01", "end": "",
              "source": INVENTED_SOURCE, "url": "", "note": ""}
    changes = (Change("added", (slug,), party, table="parties"), Change("added", (slug, year, ""), figure),
               Change("added", ("leader", slug, leader["start"]), leader, table="events"))
    return Preview("unit.csv", dataset.version, changes, base_files=tuple(sorted(dataset.file_versions.items())))


def files(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in FILES}


def test_a_new_party_its_figure_and_its_leader_are_one_change(path):
    before = files(path.parent)
    entry = Store(path).apply(unit_preview(path), who="test")
    after = files(path.parent)
    assert all(after[name] != before[name] for name in FILES)
    assert set(entry.versions) == {"membership", "parties", "events"}
    assert entry.versions["parties"] == (file_version(before["parties.csv"]), file_version(after["parties.csv"]))
    dataset = load_dataset(path)
    assert "testparty" in dataset.parties and (dataset.counts["party"] == "testparty").sum() == 1
    assert (dataset.events["party"] == "testparty").sum() == 1
    assert [e.id for e in Store(path).entries()] == [1]


def test_undo_and_redo_restore_every_file_byte_for_byte(path):
    store = Store(path)
    before = files(path.parent)
    store.apply(unit_preview(path))
    after = files(path.parent)
    undo = store.undo(expected=1)
    assert files(path.parent) == before and set(undo.versions) == {"membership", "parties", "events"}
    store.redo(expected=undo.id)
    assert files(path.parent) == after
    store.undo()
    assert files(path.parent) == before
    assert [e.action for e in store.entries()] == ["apply", "undo", "redo", "undo"]


def test_a_change_is_refused_when_one_of_its_files_changed_since_its_preview(path):
    stale = unit_preview(path)
    Store(path).apply(unit_preview(path, slug="otherparty"))   # parties.csv (and the others) move on
    before = files(path.parent)
    with pytest.raises(StaleVersion, match="changed since this preview"):
        Store(path).apply(stale)
    assert files(path.parent) == before


def test_a_change_to_a_file_the_preview_does_not_write_does_not_make_it_stale(path):
    dataset = load_dataset(path)
    figure = {"party": "labour", "year": first_free_year_end(dataset), "members": 4321, "as_of": "",
              "source": INVENTED_SOURCE, "url": "", "note": "", "basis": ""}
    preview = Preview("f.csv", dataset.version, (Change("added", ("labour", figure["year"], ""), figure),),
                      base_files=tuple(sorted(dataset.file_versions.items())))
    events = path.parent / "events.csv"
    events.write_bytes(events.read_bytes().replace(b"General election 2024", b"General election of 2024"))
    assert Store(path).apply(preview) is not None


def test_undo_is_refused_when_any_of_its_files_was_edited_by_hand(path):
    store = Store(path)
    store.apply(unit_preview(path))
    parties = path.parent / "parties.csv"
    parties.write_bytes(parties.read_bytes() + b"\n")
    edited = files(path.parent)
    with pytest.raises(Exception, match="parties.csv was changed outside this tool"):
        store.undo()
    assert files(path.parent) == edited


def test_a_full_disk_on_the_second_file_puts_the_first_back(path, monkeypatch):
    import errno

    store = Store(path)
    before = files(path.parent)
    real_replace = os.replace

    def full_on_membership(source, target):
        if Path(target).name == "membership.csv":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", full_on_membership)
    with pytest.raises(WriteFailed, match="No space left on device"):
        store.apply(unit_preview(path))
    monkeypatch.undo()
    assert files(path.parent) == before and store.entries() == []
    assert not store.pending_path.exists()


def test_the_history_of_the_bundled_data_still_reads(tmp_path):
    """Lines written before changes could span files (the bundled data's own history) read as ever."""
    root = Path(__file__).resolve().parents[2] / "data"
    copy = tmp_path / "data"
    shutil.copytree(root, copy)
    entries = Store(copy / "membership.csv").entries()
    assert entries and Store(copy / "membership.csv").history_problems() == []
    first = entries[0]
    assert not first.files and set(first.versions) == {"membership"}
    assert all(Entry.from_json(__import__("json").loads(e.to_json())) == e for e in entries)


# ---------------------------------------------------------------- killed at every step

def _die_at(step: int, action: str, path: str, preview: Preview | None) -> None:
    """Run `action`, killing this process (SIGKILL) at the `step`-th fsync or rename it makes."""
    calls = {"n": 0}
    real_fsync, real_replace = os.fsync, os.replace

    def counted(real):
        def call(*args):
            calls["n"] += 1
            if calls["n"] == step:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args)
        return call

    os.fsync, os.replace = counted(real_fsync), counted(real_replace)
    store = Store(Path(path))
    if action == "apply":
        store.apply(preview)
    else:
        store.undo()
    os._exit(0)


def _kill_at_every_step(action: str, path: Path, preview: Preview | None, reset, check) -> int:
    """Kill the writer at step 1, 2, ... until it finishes, and `check(step)` what each kill left; the number
    of steps it was killed at."""
    context = multiprocessing.get_context("fork")
    for step in range(1, 200):
        reset()
        writer = context.Process(target=_die_at, args=(step, action, str(path), preview))
        writer.start()
        writer.join(60)
        if writer.exitcode == 0:
            return step - 1
        assert writer.exitcode == -signal.SIGKILL
        load_dataset(path)  # valid data even before anyone settles the crash: parties are written first
        check(step)
    pytest.fail("the write never finished")


def test_killing_an_apply_at_any_step_leaves_every_file_old_or_new_and_the_history_agreeing(path, tmp_path):
    original = tmp_path / "original"
    shutil.copytree(path.parent, original)
    old = files(original)
    preview = unit_preview(path)

    def reset():
        shutil.rmtree(path.parent)
        shutil.copytree(original, path.parent)

    reset()
    Store(path).apply(preview)
    new = files(path.parent)

    def check(step: int) -> None:
        store = Store(path)
        with store.locked():                      # the next writer settles the crash first
            pass
        state = files(path.parent)
        assert state in (old, new), f"killed at step {step}: the files disagree with each other"
        entries = store.entries()
        if state == new:
            assert [e.action for e in entries] == ["apply"], step
            assert entries[0].versions == {t: (file_version(old[f"{t}.csv"]), file_version(new[f"{t}.csv"]))
                                           for t in ("membership", "parties", "events")}
            store.undo()                          # and the recorded change undoes whole
            assert files(path.parent) == old
        else:
            assert entries == [], step

    # pending, three snapshots and three files (an fsync and a rename each), the history line: kill points all
    assert _kill_at_every_step("apply", path, preview, reset, check) >= 15


def test_killing_an_undo_at_any_step_leaves_every_file_old_or_new_and_the_history_agreeing(path, tmp_path):
    old = files(path.parent)
    Store(path).apply(unit_preview(path))
    applied = files(path.parent)
    original = tmp_path / "original"
    shutil.copytree(path.parent, original)

    def reset():
        shutil.rmtree(path.parent)
        shutil.copytree(original, path.parent)

    def check(step: int) -> None:
        store = Store(path)
        with store.locked():
            pass
        state = files(path.parent)
        assert state in (old, applied), f"killed at step {step}: the files disagree with each other"
        actions = [e.action for e in store.entries()]
        assert actions == (["apply", "undo"] if state == old else ["apply"]), step
        if state == applied:
            store.undo()
            assert files(path.parent) == old

    assert _kill_at_every_step("undo", path, None, reset, check) >= 15


def test_a_first_change_copies_the_bundled_data_with_its_history_and_writes_only_there(tmp_path):
    bundled = tmp_path / "bundled"
    shutil.copytree(Path(__file__).resolve().parents[2] / "data", bundled)
    shipped = {p.relative_to(bundled): p.read_bytes() for p in bundled.rglob("*") if p.is_file()}
    mine = tmp_path / "user" / "membership-dashboard" / "membership.csv"
    store = Store(mine, seed_dir=bundled)
    assert store.needs_seed and [e.id for e in store.entries()] == [e.id for e in Store(bundled / "membership.csv").entries()]
    preview = unit_preview(bundled / "membership.csv")
    entry = store.apply(preview, who="test")
    assert store.seeded_from == bundled and not store.needs_seed
    assert {p.relative_to(bundled): p.read_bytes() for p in bundled.rglob("*") if p.is_file()} == shipped
    assert "testparty" in load_dataset(mine).parties
    assert [e.id for e in Store(mine).entries()][-1] == entry.id > 1   # the bundled history came along
    Store(mine).undo(expected=entry.id)
    assert files(mine.parent) == files(bundled)
