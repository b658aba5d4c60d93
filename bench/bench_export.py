"""Export speed: the first export in a fresh process (starts Chromium) and warm exports after it.

Run: python -m bench.bench_export [--runs 20] [--no-write]
Target (issue 4): warm PNG at 1200×675×2 under 0.5 s.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.results import Target, publish, record_target

ROOT = Path(__file__).resolve().parent.parent

FIRST = """
import json, time
t0 = time.perf_counter()
from dashboard.core.dataset import load_dataset
from dashboard.export.image import export_image, make_spec
from dashboard.core.view import View, resolve
dataset = load_dataset(); view = resolve(View(), dataset)
t1 = time.perf_counter()
export_image(dataset, view, make_spec(1200, 675, 2, "png"))
t2 = time.perf_counter()
print(json.dumps({"imports_and_load": t1 - t0, "first_export": t2 - t1}))
"""


def first_export() -> dict:
    """In a fresh interpreter, as a new server worker would see it."""
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", FIRST], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["process_total"] = time.perf_counter() - started
    return result


def warm(runs: int) -> dict:
    from dashboard.core.dataset import load_dataset
    from dashboard.core.view import View, resolve
    from dashboard.export.image import export_image, make_spec

    dataset = load_dataset()
    view = resolve(View(), dataset)
    specs = {"png 1200×675×2": make_spec(1200, 675, 2, "png"), "svg 1200×675": make_spec(1200, 675, 1, "svg"),
             "png 1600×900×2": make_spec(1600, 900, 2, "png")}
    export_image(dataset, view, specs["png 1200×675×2"])  # start the browser
    results = {}
    for name, spec in specs.items():
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            export_image(dataset, view, spec)
            times.append(time.perf_counter() - t)
        results[name] = {"median": statistics.median(times), "p90": sorted(times)[int(0.9 * (runs - 1))],
                         "min": min(times)}
    # as people use it: a pause between downloads lets the tab's clean-up reload finish unseen
    spaced = []
    for _ in range(runs):
        time.sleep(0.5)
        t = time.perf_counter()
        export_image(dataset, view, specs["png 1200×675×2"])
        spaced.append(time.perf_counter() - t)
    results["png 1200×675×2, 0.5 s apart"] = {"median": statistics.median(spaced),
                                               "p90": sorted(spaced)[int(0.9 * (runs - 1))]}
    # where a warm export's time goes: building the figure in Python, drawing it in Chromium
    from dashboard.export.image import export_figure
    from dashboard.export.warm_browser import render

    spec = specs["png 1200×675×2"]
    builds, draws = [], []
    for _ in range(runs):
        t = time.perf_counter()
        figure = export_figure(dataset, view, spec).to_dict()
        builds.append(time.perf_counter() - t)
        t = time.perf_counter()
        render(figure, "png", spec.width, spec.height, spec.scale)
        draws.append(time.perf_counter() - t)
    results["png 1200×675×2, figure build only"] = {"median": statistics.median(builds)}
    results["png 1200×675×2, Chromium draw only"] = {"median": statistics.median(draws)}
    # 8 threads at once: exports queue behind the lock, so each waits for the ones before it
    spec = specs["png 1200×675×2"]
    waits: list[float] = []

    def one() -> None:
        t = time.perf_counter()
        export_image(dataset, view, spec)
        waits.append(time.perf_counter() - t)

    t = time.perf_counter()
    threads = [threading.Thread(target=one) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    results["8 concurrent png 1200×675×2"] = {"wall": time.perf_counter() - t, "slowest": max(waits)}
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-write", action="store_true", help="print only; do not update bench/RESULTS.md")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    firsts = [first_export() for _ in range(3)]
    warm_results = warm(args.runs)
    lines = [
        "## Export (bench/bench_export.py)", "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; Debian chromium, kaleido 1.5, plotly 7.1; "
        f"{os.cpu_count()} CPUs, load average before the run {load_before:.1f}, after {os.getloadavg()[0]:.1f} "
        "(other sessions share this machine: a loaded machine makes every number slower).", "",
        "| measurement | seconds |", "|---|---|",
    ]
    for key in ("imports_and_load", "first_export", "process_total"):
        values = [f[key] for f in firsts]
        lines.append(f"| fresh process: {key.replace('_', ' ')} (median of 3) | {statistics.median(values):.2f} |")
    for name, r in warm_results.items():
        for stat, value in r.items():
            lines.append(f"| warm {name}: {stat} ({args.runs} runs) | {value:.3f} |" if "concurrent" not in name
                         else f"| {name}: {stat} | {value:.2f} |")
    target = warm_results["png 1200×675×2"]["median"]
    spaced = warm_results["png 1200×675×2, 0.5 s apart"]["median"]
    lines += ["", f"Target warm PNG 1200×675×2 < 0.5 s: {'met' if target < 0.5 else 'NOT met'} back to back "
              f"(median {target:.3f} s); {'met' if spaced < 0.5 else 'NOT met'} with 0.5 s between exports "
              f"(median {spaced:.3f} s).", "",
              "Kaleido reloads its tab after every image; the renderer does that reload after handing the "
              "image back, so only exports less than ~0.2 s apart wait for it. Exports in one process go "
              "one at a time (Kaleido#444), so 8 at once take about 8 × one."]
    runs = f"({args.runs} runs)"
    record_target(Target("Warm PNG export 1200×675×2, back to back", f"{target:.3f} s {runs}", "–", f"{target:.3f} s",
                         "< 0.5 s", target < 0.5, "bench_export.py"))
    record_target(Target("Warm PNG export 1200×675×2, 0.5 s apart", f"{spaced:.3f} s {runs}", "–", f"{spaced:.3f} s",
                         "< 0.5 s", spaced < 0.5, "bench_export.py"))
    text = "\n".join(lines) + "\n"
    publish(text, write=not args.no_write)


if __name__ == "__main__":
    main()
