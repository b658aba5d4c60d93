"""Writing data/: atomic, locked, recorded, undoable; crashes and races never lose or break data.

Every test works on a private copy of data/ (the data_dir fixture).
"""
from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import time
from pathlib import Path

import pytest
from updates_helpers import INVENTED_SOURCE, first_free_year_end, real_year_end

from dashboard.core.dataset import file_version, load_dataset
from dashboard.updates.changes import Change, Preview, diff
from dashboard.updates.ingest import Defaults, read_upload
from dashboard.updates.store import (
    HasProblems,
    NeedsOverwrite,
    NothingToUndo,
    Refused,
    StaleVersion,
    Store,
    WriteFailed,
    atomic_write,
    merged_csv,
)


def make_preview(path: Path, text: str, **defaults) -> Preview:
    dataset = load_dataset(path)
    upload = read_upload(text.encode(), "up.csv", dataset.parties, Defaults(**{"source": INVENTED_SOURCE, **defaults}))
    return diff(dataset, upload)


@pytest.fixture
def path(data_dir: Path) -> Path:
    return data_dir / "membership.csv"


def new_figure_preview(path: Path, members: int = 123456, party: str = "labour") -> Preview:
    year = first_free_year_end(load_dataset(path), party)
    return make_preview(path, f"Year,Members\n{year},{members}\n", party=party)


def test_apply_adds_one_line_in_party_order_and_keeps_every_other_byte(path):
    before = path.read_bytes()
    entry = Store(path).apply(new_figure_preview(path), who="tester")
    after_lines, before_lines = path.read_bytes().splitlines(), before.splitlines()
    assert len(after_lines) == len(before_lines) + 1
    added = [line for line in after_lines if line not in before_lines]
    year = first_free_year_end(load_dataset(path)) - 1  # the figure is now in the data
    assert added == [f"labour,{year},123456,,{INVENTED_SOURCE},,,,,".encode()]  # url, note, basis, bound, precision empty
    index = after_lines.index(added[0])
    assert after_lines[index - 1].startswith(f"labour,{year - 1},".encode())  # after the previous year's rows
    assert entry.before == file_version(before) and entry.after == file_version(path.read_bytes())


def test_changed_figures_are_refused_without_overwrite_and_nothing_is_written(path):
    year, members = real_year_end(load_dataset(path))
    preview = make_preview(path, f"Year,Labour\n{year},{members + 1}\n")
    before = path.read_bytes()
    with pytest.raises(NeedsOverwrite):
        Store(path).apply(preview)
    assert path.read_bytes() == before
    Store(path).apply(preview, overwrite=True)
    assert load_dataset(path).year_ends().query("party == 'labour' and year == @year")["members"].item() == members + 1


def test_a_preview_of_an_older_version_is_refused(path):
    stale = new_figure_preview(path, members=111)
    Store(path).apply(make_preview(path, "Year,Members\n2026,222\n", party="green"))
    before = path.read_bytes()
    with pytest.raises(StaleVersion, match="changed since this preview"):
        Store(path).apply(stale)
    assert path.read_bytes() == before


def test_a_preview_with_problems_is_refused(path):
    preview = make_preview(path, "Year,Labour\n2025,-1\n")
    before = path.read_bytes()
    with pytest.raises(HasProblems):
        Store(path).apply(preview)
    assert path.read_bytes() == before


def test_the_result_is_validated_before_it_replaces_the_file(path):
    dataset = load_dataset(path)
    record = {"party": "labour", "year": 2025, "members": 1, "as_of": "", "source": "", "url": "", "note": ""}
    forged = Preview("forged", dataset.version, (Change("added", ("labour", 2025, ""), record),))
    before = path.read_bytes()
    with pytest.raises(HasProblems, match="would not be a valid data file"):
        Store(path).apply(forged)
    assert path.read_bytes() == before


def test_an_excel_data_file_is_never_written(path, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["party", "year", "members", "as_of", "source", "url", "note"])
    xlsx = path.parent / "membership.xlsx"
    book.save(xlsx)
    before = xlsx.read_bytes()
    with pytest.raises(Refused, match="not a CSV file"):
        Store(xlsx).apply(new_figure_preview(path))
    assert xlsx.read_bytes() == before


def test_nothing_to_write_writes_nothing(path):
    year, members = real_year_end(load_dataset(path))
    before = path.read_bytes()
    assert Store(path).apply(make_preview(path, f"Year,Labour\n{year},{members}\n")) is None
    assert path.read_bytes() == before and Store(path).entries() == []


def test_undo_restores_the_exact_previous_bytes(path):
    original = path.read_bytes()
    Store(path).apply(new_figure_preview(path))
    entry = Store(path).undo(who="tester")
    assert path.read_bytes() == original
    assert entry.action == "undo" and entry.undoes == 1


def test_undo_twice_walks_back_two_changes(path):
    original = path.read_bytes()
    Store(path).apply(new_figure_preview(path, party="labour"))
    middle = path.read_bytes()
    Store(path).apply(new_figure_preview(path, party="green"))
    Store(path).undo()
    assert path.read_bytes() == middle
    Store(path).undo()
    assert path.read_bytes() == original
    with pytest.raises(NothingToUndo):
        Store(path).undo()


def test_undo_refuses_to_discard_a_hand_edit(path):
    Store(path).apply(new_figure_preview(path))
    edited = path.read_bytes() + b"\n"
    path.write_bytes(edited)
    with pytest.raises(Refused, match="changed outside this tool"):
        Store(path).undo()
    assert path.read_bytes() == edited


def test_history_records_when_who_source_and_each_old_and_new(path):
    year, members = real_year_end(load_dataset(path))
    preview = make_preview(path, f"Year,Labour\n{year},{members + 5}\n{year + 1},42\n")
    Store(path).apply(preview, overwrite=True, who="alice (test)")
    (entry,) = Store(path).entries()
    assert entry.who == "alice (test)" and entry.source == "up.csv" and entry.action == "apply"
    assert entry.when.endswith("+00:00")
    olds_news = [(c["key"], c["old"] and c["old"]["members"], c["new"]["members"]) for c in entry.changes]
    assert olds_news == [(["labour", year, ""], members, members + 5), (["labour", year + 1, ""], None, 42)]
    history_dir = path.parent / ".history"
    assert (history_dir / f"membership-{entry.before}.csv").exists()


def test_a_failed_replace_leaves_the_old_file_and_no_temporary_file(path, monkeypatch):
    before = path.read_bytes()
    real_replace = os.replace

    def failing_replace(src, dst):
        if Path(dst) == path:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(WriteFailed, match="No space left on device; nothing was written"):
        Store(path).apply(new_figure_preview(path))
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert list((path.parent / ".history").glob(".*.tmp")) == []
    Store(path).apply(new_figure_preview(path))  # the next write settles the pending entry and works
    assert [e.id for e in Store(path).entries()] == [1]


def test_a_pending_entry_is_recorded_if_the_data_was_replaced(path):
    store = Store(path)
    entry = store.apply(new_figure_preview(path))
    log = store.log_path.read_text()
    store.log_path.write_text("")                       # as if killed after the rename, before the log line
    store.pending_path.write_text(entry.to_json())
    assert store.undo().undoes == entry.id               # the next writer finishes the history first
    assert store.log_path.read_text().startswith(log)


def test_a_torn_history_line_is_skipped(path):
    store = Store(path)
    store.apply(new_figure_preview(path))
    with open(store.log_path, "a") as handle:
        handle.write('{"id": 2, "when": "2026-')          # a line cut short by a crash
    assert [e.id for e in store.entries()] == [1]
    store.undo()
    assert [e.action for e in store.entries()] == ["apply", "undo"]
    for line in store.log_path.read_text().splitlines()[-1:]:
        json.loads(line)


def test_the_merge_keeps_a_bom_and_crlf_line_endings(path):
    dataset = load_dataset(path)
    crlf = b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n")
    preview = diff(dataset, read_upload(b"Year,Labour\n2025,7\n", "x.csv", dataset.parties, Defaults(source="t")))
    merged = merged_csv(crlf, preview.writes)
    assert merged.startswith(b"\xef\xbb\xbf") and merged.count(b"\r\n") == crlf.count(b"\r\n") + 1


# ---------------------------------------------------------------- crash and race, with real processes

def _writer_loop(path: str, v0: str, text: str, ready) -> None:
    """Alternate apply and undo for ever, so a kill lands in the middle of some write."""
    store = Store(Path(path))
    ready.set()
    while True:
        dataset = load_dataset(Path(path))
        if dataset.file_versions["membership"] == v0:
            upload = read_upload(text.encode(), "crash.csv", dataset.parties, Defaults(party="labour", source=INVENTED_SOURCE))
            store.apply(diff(dataset, upload))
        else:
            store.undo()


@pytest.mark.process  # forks writers
def test_killing_a_writer_at_random_moments_leaves_the_old_or_the_new_file(path):
    context = multiprocessing.get_context("fork")
    old = path.read_bytes()
    v0 = file_version(old)
    text = f"Year,Members\n{first_free_year_end(load_dataset(path))},123456\n"
    store = Store(path)
    store.apply(make_preview(path, text, party="labour"))
    new = path.read_bytes()
    store.undo()
    rng = random.Random(20261123)
    for _ in range(40):
        ready = context.Event()
        writer = context.Process(target=_writer_loop, args=(str(path), v0, text, ready), daemon=True)
        writer.start()
        assert ready.wait(60)
        time.sleep(rng.uniform(0, 0.15))  # not a wait: a random moment to kill the writer at
        os.kill(writer.pid, signal.SIGKILL)
        writer.join(10)
        data = path.read_bytes()
        assert data in (old, new), "a killed writer left a file that is neither the old nor the new one"
        load_dataset(path)  # and it is valid
    # The history is still a chain the next writer can extend and undo.
    if file_version(path.read_bytes()) == v0:
        store.apply(make_preview(path, text, party="labour"))
    store.undo()
    assert path.read_bytes() == old
    entries = store.entries()
    assert all(a.after == b.before for a, b in zip(entries, entries[1:]))


def _replace_loop(path: str, contents: list[bytes], ready) -> None:
    """Nothing but replacing the data file, alternately old and new: most kills land mid-write."""
    target, temp_dir = Path(path), Path(path).parent / ".history"
    ready.set()
    while True:
        for data in contents:
            atomic_write(target, data, temp_dir)


@pytest.mark.process  # forks writers
def test_killing_a_writer_mid_write_never_leaves_a_torn_file(path):
    context = multiprocessing.get_context("fork")
    old = path.read_bytes()
    invented = "".join(f"reform,2025,{n},2025-01-01,{INVENTED_SOURCE},,\n" for n in range(40_000))
    new = old + invented.encode()  # a few MB, so each write takes a while
    (path.parent / ".history").mkdir(exist_ok=True)
    rng = random.Random(1123)
    for _ in range(40):
        ready = context.Event()
        writer = context.Process(target=_replace_loop, args=(str(path), [new, old], ready), daemon=True)
        writer.start()
        assert ready.wait(60)
        time.sleep(rng.uniform(0, 0.05))  # not a wait: a random moment to kill the writer at
        os.kill(writer.pid, signal.SIGKILL)
        writer.join(10)
        data = path.read_bytes()
        assert data in (old, new), f"torn file of {len(data)} bytes"
    load_dataset(path)


def _racer(path: str, text: str, start, results) -> None:
    preview = make_preview(Path(path), text, party="green")
    start.wait()
    try:
        Store(Path(path)).apply(preview, who=text)
        results.put(("applied", text))
    except Refused as exc:
        results.put(("refused", str(exc)))


@pytest.mark.process  # forks writers
def test_two_processes_applying_at_once_never_lose_a_change_silently(path):
    context = multiprocessing.get_context("fork")
    for attempt in range(8):
        start, results = context.Barrier(2), context.Queue()
        texts = [f"Year,Members\n{2000 + attempt},{100 + attempt}\n", f"Year,Members\n{2000 + attempt},{200 + attempt}\n"]
        # Different values for the same key: if both were "kept" one would overwrite the other silently.
        racers = [context.Process(target=_racer, args=(str(path), t, start, results)) for t in texts]
        for racer in racers:
            racer.start()
        outcomes = [results.get(timeout=30) for _ in racers]
        for racer in racers:
            racer.join(10)
        kinds = sorted(kind for kind, _ in outcomes)
        assert kinds == ["applied", "refused"], outcomes
        refusal = next(message for kind, message in outcomes if kind == "refused")
        assert "changed since this preview" in refusal
        winner = next(message for kind, message in outcomes if kind == "applied")
        members = int(winner.splitlines()[1].split(",")[1])
        figures = load_dataset(path).year_ends()
        assert figures[(figures["party"] == "green") & (figures["year"] == 2000 + attempt)]["members"].tolist() == [members]


def test_two_threads_sharing_one_store_never_lose_a_change(path):
    """The page's callbacks run in threads of one process and share the panel's Store."""
    import threading

    store = Store(path)
    previews = [make_preview(path, f"Year,Members\n2001,{n}\n", party="green") for n in (1, 2)]
    start, outcomes = threading.Barrier(2), []

    def apply(preview):
        start.wait()
        try:
            store.apply(preview)
            outcomes.append("applied")
        except StaleVersion:
            outcomes.append("refused")

    threads = [threading.Thread(target=apply, args=(p,)) for p in previews]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["applied", "refused"]
    assert len(store.entries()) == 1


def test_a_refused_racer_that_previews_again_keeps_both_changes(path):
    first = new_figure_preview(path, party="labour")
    second = new_figure_preview(path, party="green")
    Store(path).apply(first)
    with pytest.raises(StaleVersion):
        Store(path).apply(second)
    Store(path).apply(new_figure_preview(path, party="green"))
    figures = load_dataset(path).year_ends()
    assert {"labour", "green"} <= set(figures[figures["members"] == 123456]["party"])


def test_a_figure_older_than_a_partys_first_goes_before_it_not_into_the_party_above(path):
    """Found by the property test: with one write adding labour's next year and green's earliest,
    green's row landed inside labour's block."""
    header = b"party,year,members,as_of,source,url,note\n"
    rows = [b"labour,2000,100,,S,,\n", b"labour,2004,140,,S,,\n", b"green,2001,50,,S,,\n"]
    path.write_bytes(header + b"".join(rows))
    preview = make_preview(path, "party,year,members\nlabour,2005,150\ngreen,1998,40\n")
    Store(path).apply(preview)
    lines = path.read_bytes().splitlines()
    assert [line.split(b",")[:2] for line in lines[1:]] == [
        [b"labour", b"2000"], [b"labour", b"2004"], [b"labour", b"2005"], [b"green", b"1998"], [b"green", b"2001"]]
