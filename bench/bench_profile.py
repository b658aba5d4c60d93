"""Where the time goes, for the targets a run does not meet: a view change's CPU by callback and by
function, and the cold start's imports.

- A view change as the load test sends it (bench_load.py: the chart callback, then the export
  panel's and the callbacks beside it), in-process through Dash's callback endpoint, 100 random
  changes after 10 not timed; each callback's median, and the project's functions that take the
  most of it (cProfile, cumulative).
- `import dashboard.web.app` in a fresh interpreter with `-X importtime`, 5 runs (the package
  byte-compiled, as bench_page.py's cold start has it): the packages that take the most of the
  start-up, median of their cumulative import time.

    python -m bench.bench_profile [--changes 100] [--no-write]
"""
from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_load import Callbacks, find_store, panel_values, random_change, view_inputs
from bench.results import compile_package, machine, publish, versions
from dashboard.config import Settings
from dashboard.core.dataset import BUNDLED_DATA_DIR
from dashboard.web import ids
from testkit.dash_wire import DashWire

ROOT = Path(__file__).resolve().parent.parent

IMPORT_RUNS = 5
TOP_FUNCTIONS = 12
TOP_PACKAGES = 10


def view_change_profile(changes: int) -> tuple[dict[str, float], list[tuple[str, float]]]:
    """Median ms of each part of a view change, and the project's functions by cumulative ms a change."""
    from dashboard.web.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(BUNDLED_DATA_DIR, data)
        app = create_app(Settings(data_path=data / "membership.csv"))
        wire = DashWire.of(app.server.test_client())  # bench_load's requests, answered in this process
        callbacks = Callbacks.from_server(wire)
        view = find_store(wire.get("/_dash-layout").json())
        rng = random.Random(11)
        parties = ["labour", "conservative", "libdem", "snp", "green", "plaid", "ukip", "reform"]
        times: dict[str, list[float]] = {"chart callback": [],
                                         "export panel (alt text, camera size, links; preview off screen)": [],
                                         "callbacks beside it (latest figures)": []}

        def post(dep: dict, values: dict, changed: list[str]) -> bytes:
            answer = wire.post(wire.envelope(dep, values, changed))
            if answer.status not in (200, 204):
                raise RuntimeError(f"{dep['output'][:40]}: HTTP {answer.status}")
            return answer.body

        def change() -> None:
            nonlocal view
            values, changed = random_change(view, rng, parties, (1989, 2025))
            began = time.perf_counter()
            view = json.loads(post(callbacks.chart, values, changed))["response"][ids.VIEW_STORE]["data"]
            times["chart callback"].append((time.perf_counter() - began) * 1000)
            values = panel_values(view)
            for name, deps in (("export panel (alt text, camera size, links; preview off screen)", [callbacks.export]),
                               ("callbacks beside it (latest figures)", callbacks.beside)):
                began = time.perf_counter()
                for dep in deps:  # one after the other: cProfile sees only this thread
                    post(dep, values, view_inputs(dep))
                times[name].append((time.perf_counter() - began) * 1000)

        for _ in range(10):
            change()
        for values in times.values():
            values.clear()
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(changes):
            change()
        profile.disable()

    stats = pstats.Stats(profile)
    ours = []
    for (filename, _line, function), (_, _, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        if "/dashboard/" in filename:
            module = filename.split("/dashboard/", 1)[1].removesuffix(".py").replace("/", ".")
            name = f"{module}.{function}"
            if not any(part in name for part in WRAPPERS):  # the cache and closures only pass the time on
                ours.append((name, cumulative * 1000 / changes))
    ours.sort(key=lambda item: -item[1])
    return {name: statistics.median(values) for name, values in times.items()}, ours


IMPORT_LINE = re.compile(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)")
WRAPPERS = ("core.memo.", ".<lambda>", ".<listcomp>", ".<genexpr>", ".<dictcomp>")


def import_profile() -> tuple[float, list[tuple[str, float]]]:
    """Median ms of `import dashboard.web.app` in a fresh interpreter, and the outermost packages
    it pulls in, by their cumulative import time (median over the runs)."""
    totals: list[float] = []
    packages: dict[str, list[float]] = {}
    compile_package()  # as bench_page's cold start: what is timed is importing, not compiling
    for _ in range(IMPORT_RUNS):
        done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import dashboard.web.app"],
                              capture_output=True, text=True, cwd=ROOT, check=True)
        for line in done.stderr.splitlines():
            match = IMPORT_LINE.match(line)
            if not match:
                continue
            cumulative, name = int(match.group(1)) / 1000, match.group(3)
            if name == "dashboard.web.app":
                totals.append(cumulative)
            elif "." not in name and name != "dashboard" and not name.startswith("_"):
                # a module is listed once, where it was first imported: its line carries all it cost
                packages.setdefault(name, []).append(cumulative)
    ranked = sorted(((top, statistics.median(ms)) for top, ms in packages.items()), key=lambda item: -item[1])
    return statistics.median(totals), ranked[:TOP_PACKAGES]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument("--no-write", action="store_true", help="print the report only")
    args = parser.parse_args()

    parts, functions = view_change_profile(args.changes)
    total, packages = import_profile()
    per_change = sum(parts.values())
    report = "\n".join([
        "## Where the time goes (bench/bench_profile.py)",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {machine()}; {versions()}.",
        "",
        f"**A view change**, as the load test sends it, in-process with no other reader ({args.changes} random "
        "changes of parties or years, after 10 not timed; median of each part):",
        "",
        "| part | median |",
        "|---|---:|",
        *[f"| {name} | {ms:,.1f} ms |" for name, ms in parts.items()],
        f"| **one view change, CPU** | **{per_change:,.1f} ms** |",
        "",
        "The project's functions that take the most of it (cumulative, per view change; a function inside another "
        "counts in both):",
        "",
        "| function | ms a change |",
        "|---|---:|",
        *[f"| `{name}` | {ms:,.1f} |" for name, ms in functions[:TOP_FUNCTIONS]],
        "",
        f"At {per_change:,.0f} ms of CPU a change, two cores (shared with the simulated readers) answer at most "
        f"about {2000 / per_change:,.0f} view changes a second; 50 readers changing the view every 1–3 s ask for "
        "about 25. Already done: the export preview is made only while the Export panel is on screen (it was a "
        "second figure, about 30 ms), its links come in the same answer, and a view's figures are picked from a "
        "frame sorted once per dataset and walked as plain rows (the pandas slicing per party was about half of "
        "the chart callback). What is left is spread thin: Dash's and Flask's handling of each of the three "
        "requests, JSON, and the figure's layout arithmetic. Next would be a change of years drawn in the browser "
        "(a relayout of the figure it has) with only the texts from the server.",
        "",
        f"**Cold start**: `import dashboard.web.app` in a fresh interpreter takes {total:,.0f} ms (median of "
        f"{IMPORT_RUNS}); the packages that take the most (each where it was first imported, with all it imports; "
        "a package imported inside another counts in both):",
        "",
        "| package | ms |",
        "|---|---:|",
        *[f"| {name} | {ms:,.0f} |" for name, ms in packages],
        "",
        "Start-up is mostly imports that the first page needs: pandas (with numpy) and Dash (with Flask, "
        "Werkzeug, plotly's graph objects, which dcc.Graph imports, and pydantic, which dash.types imports). "
        "Libraries only an export, an upload, a write or the dark chart page uses are imported where first "
        "used (tests/cli/test_serve_start.py). After the imports come Dash's set-up of the app (a scan of "
        "every installed package for Dash plugins, the routes) and the first page itself (its figure).",
        "",
    ])
    publish(report, write=not args.no_write)


if __name__ == "__main__":
    main()
