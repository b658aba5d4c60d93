"""How long a change that touches several data files takes to write, and to undo, through the store.

The change is what the page's forms or a workbook upload make together: a new party, a figure of it and a
leader's term (parties.csv, membership.csv and events.csv, one unit). It is previewed once through the one
preview-then-apply path, then applied and undone `--runs` times on a copy of data/ (with its history), each
timed alone: the median, fastest and slowest are reported. Everything added is invented ("BENCH: invented");
nothing is written to data/.
Run:  python -m bench.bench_change_units [--runs 15] [--no-write]
"""
from __future__ import annotations

import argparse
import io
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.results import Spread, publish
from dashboard.core.dataset import BUNDLED_DATA_DIR, load_dataset
from dashboard.updates import preview_apply
from dashboard.updates.preview_apply import Proposal
from dashboard.updates.store import Store

SOURCE = "BENCH: invented"
FILES = {"parties", "membership", "events"}


def unit_workbook(year: int) -> bytes:
    """A party, a figure of it and its leader's term, one sheet each: one change across three files."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    for name, rows in {
        "parties": [["name", "source"], ["BENCH Party", SOURCE]],
        "membership": [["party", "year", "members", "source"], ["BENCH Party", year, 1234, SOURCE]],
        "events": [["kind", "party", "name", "start", "source"],
                   ["leader", "BENCH Party", "BENCH leader", f"{year}-01-02", SOURCE]],
    }.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def measure(runs: int) -> tuple[float, Spread, Spread]:
    """(seconds to preview once, applies, undos), on a copy of the bundled data and its history."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "data"
        shutil.copytree(BUNDLED_DATA_DIR, folder)
        path = folder / "membership.csv"
        dataset = load_dataset(path)
        year = int(dataset.counts["year"].max())
        started = time.perf_counter()
        preview = preview_apply.preview(dataset, Proposal("unit.xlsx", data=unit_workbook(year)))
        previewed = time.perf_counter() - started
        assert not preview.problems and set(preview.touched) == FILES, preview.problems
        store = Store(path)
        applies, undos = [], []
        for _ in range(runs):
            started = time.perf_counter()
            entry = store.apply(preview, who="bench")
            applies.append((time.perf_counter() - started) * 1000)
            assert entry is not None and set(entry.versions) == FILES
            started = time.perf_counter()
            store.undo(who="bench")
            undos.append((time.perf_counter() - started) * 1000)
    return previewed, Spread.of(applies), Spread.of(undos)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-write", action="store_true", help="print only; do not update bench/RESULTS.md")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    previewed, applies, undos = measure(args.runs)
    publish("\n".join([
        "## A change across three data files, and its undo (bench/bench_change_units.py)",
        "",
        f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}, {os.cpu_count()} "
        f"CPUs, load average {load:.1f} when it started and {os.getloadavg()[0]:.1f} when it finished.",
        "A new party, a figure of it and a leader's term from one workbook (parties.csv, membership.csv and "
        "events.csv written as one unit, with the history), on a copy of data/: `Store.apply` and `Store.undo`, "
        "each timed alone; median (fastest–slowest).",
        "",
        "| step | time |",
        "|---|---:|",
        f"| preview (workbook read, checked, a colour and a marker chosen), once | {previewed * 1000:,.0f} ms |",
        f"| apply | {applies.text('ms', 1)} |",
        f"| undo | {undos.text('ms', 1)} |",
    ]), write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
