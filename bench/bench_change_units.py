"""How long a change that touches several data files takes to write, and to undo, through the store.

The change is what the page's forms or a workbook upload make together: a new party, a figure of it and a
leader's term (parties.csv, membership.csv and events.csv, one unit). It is previewed once through the one
preview-then-apply path, then applied and undone `--runs` times on a copy of data/ (with its history), each
timed alone: the median, fastest and slowest are printed. Everything added is invented ("BENCH: invented").
Run:  python bench/bench_change_units.py [--runs 15]
"""
from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from updates_helpers import xlsx_bytes  # noqa: E402  (the tests' minimal .xlsx writer)

from dashboard.core.dataset import BUNDLED_DATA_DIR, load_dataset  # noqa: E402
from dashboard.updates import preview_apply  # noqa: E402
from dashboard.updates.preview_apply import Proposal  # noqa: E402
from dashboard.updates.store import Store  # noqa: E402

SOURCE = "BENCH: invented"


def unit_workbook(year: int) -> bytes:
    """A party, a figure of it and its leader's term, one sheet each: one change across three files."""
    return xlsx_bytes({
        "parties": [["name", "source"], ["BENCH Party", SOURCE]],
        "membership": [["party", "year", "members", "source"], ["BENCH Party", year, 1234, SOURCE]],
        "events": [["kind", "party", "name", "start", "source"], ["leader", "BENCH Party", "BENCH leader",
                                                                  f"{year}-01-02", SOURCE]],
    })


def spread(seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    return f"median {statistics.median(ms):.1f} ms (fastest {ms[0]:.1f}, slowest {ms[-1]:.1f}; {len(ms)} runs)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "data"
        shutil.copytree(BUNDLED_DATA_DIR, folder)
        path = folder / "membership.csv"
        dataset = load_dataset(path)
        year = int(dataset.counts["year"].max())
        started = time.perf_counter()
        preview = preview_apply.preview(dataset, Proposal("unit.xlsx", data=unit_workbook(year)))
        previewed = time.perf_counter() - started
        assert not preview.problems and set(preview.touched) == {"parties", "membership", "events"}, preview.problems
        store = Store(path)
        applies, undos = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            entry = store.apply(preview, who="bench")
            applies.append(time.perf_counter() - started)
            assert entry is not None and set(entry.versions) == {"parties", "membership", "events"}
            started = time.perf_counter()
            store.undo(who="bench")
            undos.append(time.perf_counter() - started)
    print(f"Change across three files (parties.csv, membership.csv, events.csv), {platform.python_version()} on "
          f"{platform.machine()}:")
    print(f"  preview (workbook read, checked, colour chosen): {previewed * 1000:.0f} ms (once)")
    print(f"  apply: {spread(applies)}")
    print(f"  undo:  {spread(undos)}")


if __name__ == "__main__":
    main()
