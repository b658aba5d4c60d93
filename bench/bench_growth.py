"""Growth: how the chart's cost grows with the data, on invented series (1, 8, 50 parties × 36, 500 years).

For each size: the time to build the chart's figure (as the page sends it), the chart callback's
time for a change to that view (in-process, through Dash's callback endpoint), and in headless
Chromium the dashboard page opened on that view: time to the chart drawn and to its table of
figures on the page. The figures are invented (source "TEST invented figures ..."), written into
a temporary folder; the bundled data is never touched.

    python -m bench.bench_growth [--runs 5] [--no-write]
"""
from __future__ import annotations

import argparse
import csv
import math
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import dashboard.core.dataset as dataset_module
from bench.results import Spread, Target, machine, publish, record_target, versions
from dashboard.chart.figure import figure_dict
from dashboard.config import Settings
from dashboard.core.dataset import load_dataset
from dashboard.core.view import View, resolve, view_to_dict, view_to_query
from dashboard.web import ids
from dashboard.web.layout import CHART_HEIGHT
from testkit.chromium import CHROMIUM, CHROMIUM_ARGS
from testkit.dash_wire import DashWire

ROOT = Path(__file__).resolve().parent.parent

SERIES = (1, 8, 50)
YEARS = (36, 500)
LAST_YEAR = 2024
SOURCE = "TEST invented figures for the growth benchmark"
# Linear growth: time ∝ points^k with k ≤ this between the smallest and the largest size.
LINEAR_EXPONENT = 1.1
USABLE_MS = 5000  # the largest page must draw its chart within this


def write_invented(folder: Path, series: int, years: int) -> Path:
    """membership.csv and parties.csv with `series` invented parties of `years` year-end figures each."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(series * 1000 + years)
    with open(folder / "parties.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["slug", "name", "colour", "aliases"])
        for i in range(series):
            writer.writerow([f"t{i:02d}", f"Test party {i:02d}", f"#{rng.randrange(0x1000000):06x}", ""])
    with open(folder / "membership.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["party", "year", "members", "as_of", "source", "url", "note"])
        for i in range(series):
            members = rng.randint(20_000, 500_000)
            for year in range(LAST_YEAR - years + 1, LAST_YEAR + 1):
                members = max(1000, int(members * rng.uniform(0.9, 1.1)))
                writer.writerow([f"t{i:02d}", year, members, "", SOURCE, "",
                                 f"invented for a benchmark, not a real figure (test party {i:02d}, {year})"])
    return folder / "membership.csv"


def timed(make, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        make()
        times.append((time.perf_counter() - began) * 1000)
    return times


def callback_ms(app, view: View, runs: int) -> list[float]:
    """The chart callback answering a change of the parties to this view, through Dash's endpoint."""
    wire = DashWire.of(app.server.test_client())
    chart = wire.callback(ids.YEAR_RANGE)
    times = []
    for run in range(runs):
        # a different year range each time: the answer is built, not taken from the callback's cache
        stored = view_to_dict(View(parties=view.parties[:1], start=view.start, end=view.end))
        values = {f"{ids.LOCATION}.search": "", f"{ids.VIEW_STORE}.data": stored,
                  f"{ids.PARTY_SELECT}.value": list(view.parties), f"{ids.YEAR_RANGE}.value": [view.start + run, view.end],
                  f"{ids.ANNOTATIONS}.value": ["elections", "leaders", "other_dates"]}
        envelope = wire.envelope(chart, values, [f"{ids.PARTY_SELECT}.value"])
        began = time.perf_counter()
        answer = wire.post(envelope)
        times.append((time.perf_counter() - began) * 1000)
        assert answer.status == 200, answer.text[:500]
    return times


def page_ms(browser, url: str) -> tuple[float, float]:
    """Milliseconds from navigation to the chart drawn, and to the table of figures on the page."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script("""
      new MutationObserver((_, observer) => {
        if (!window.__drawn && document.querySelector('.main-svg .scatterlayer .trace')) { window.__drawn = performance.now(); }
        if (!window.__table && document.querySelector('#figures-table tbody tr')) { window.__table = performance.now(); }
        if (window.__drawn && window.__table) { observer.disconnect(); }
      }).observe(document, {childList: true, subtree: true});""")
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("() => window.__drawn && window.__table", timeout=120_000)
    drawn, table = page.evaluate("[window.__drawn, window.__table]")
    context.close()
    return drawn, table


def exponent(small: tuple[int, float], large: tuple[int, float]) -> float:
    """k in time ∝ points^k between two sizes."""
    return math.log(large[1] / small[1]) / math.log(large[0] / small[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--page-runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print only; do not update bench/RESULTS.md")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from dashboard.web.app import create_app

    # 500 invented years reach back before the first year real data may have (1900): allowed here only.
    dataset_module.FIRST_YEAR = LAST_YEAR - max(YEARS)
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for series in SERIES:
            for years in YEARS:
                path = write_invented(Path(tmp) / f"{series}x{years}", series, years)
                dataset = load_dataset(path)
                view = resolve(View(parties=tuple(f"t{i:02d}" for i in range(series)), start=LAST_YEAR - years + 1,
                                    end=LAST_YEAR), dataset)
                build = timed(lambda d=dataset, v=view: figure_dict(d, v, height=CHART_HEIGHT), args.runs)
                app = create_app(Settings(data_path=path))
                callback = callback_ms(app, view, args.runs)
                server = make_server("127.0.0.1", 0, app.server, threaded=True)
                thread = threading.Thread(target=server.serve_forever, daemon=True)
                thread.start()
                try:
                    url = f"http://127.0.0.1:{server.server_port}/{view_to_query(view)}"
                    page_ms(browser, url)  # the server's caches and the OS file cache, as for any later reader
                    loads = [page_ms(browser, url) for _ in range(args.page_runs)]
                finally:
                    server.shutdown()
                print(f"{series}x{years}: build {statistics.median(build):.0f} ms, callback "
                      f"{statistics.median(callback):.0f} ms, page {loads}", file=sys.stderr, flush=True)
                rows.append({"series": series, "years": years, "points": series * years, "build": Spread.of(build),
                             "callback": Spread.of(callback), "drawn": Spread.of([d for d, _ in loads]),
                             "table": Spread.of([t for _, t in loads])})
        browser.close()

    small, large = rows[0], rows[-1]
    checks = {}
    for key, label in (("build", "figure build"), ("callback", "chart callback"), ("drawn", "page: chart drawn"),
                       ("table", "page: table of figures")):
        checks[label] = exponent((small["points"], small[key].median), (large["points"], large[key].median))
    linear = all(k <= LINEAR_EXPONENT for k in checks.values())
    usable = large["drawn"].median <= USABLE_MS
    record_target(Target("Growth, 1×36 to 50×500 points: time ∝ points^k", "; ".join(
        f"{label} k={k:.2f}" for label, k in checks.items()), "the 1 × 36 case", f"max k {max(checks.values()):.2f}",
        f"k ≤ {LINEAR_EXPONENT} (linear)", linear, "bench_growth.py"))
    record_target(Target("Growth: 50 series × 500 years usable", f"chart drawn {large['drawn'].text()}", "–",
                         f"{large['drawn'].median:,.0f} ms", f"≤ {USABLE_MS:,} ms", usable, "bench_growth.py"))
    table = ["| series × years | points | figure build | chart callback | page: chart drawn | page: table of figures |",
             "|---|---:|---:|---:|---:|---:|"]
    for row in rows:
        table.append(f"| {row['series']} × {row['years']} | {row['points']:,} | {row['build'].median:,.1f} ms | "
                     f"{row['callback'].median:,.1f} ms | {row['drawn'].median:,.0f} ms | {row['table'].median:,.0f} ms |")
    report = "\n".join([
        "## Growth with the data (bench/bench_growth.py)",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {machine()}; {versions()}.",
        "Invented series (source \"TEST invented figures ...\"), every party shown over its whole range. Figure build: "
        f"`figure_dict`, median of {args.runs}. Chart callback: a change of parties answered through Dash's callback "
        f"endpoint in-process, median of {args.runs}. Page: the dashboard opened on that view in headless Chromium "
        f"(served in-process), median of {args.page_runs}: navigation to the chart drawn, and to the first row of its "
        "table of figures.",
        "",
        *table,
        "",
        "Growth between the smallest and the largest case, as the exponent k in time ∝ points^k (1 is linear): "
        + ", ".join(f"{label} {k:.2f}" for label, k in checks.items())
        + f". Target: no worse than linear (k ≤ {LINEAR_EXPONENT}): {'met' if linear else 'NOT met'}; "
        f"50 × 500 chart drawn in {large['drawn'].median:,.0f} ms (usable: ≤ {USABLE_MS:,} ms): "
        f"{'met' if usable else 'NOT met'}.",
        "",
    ])
    publish(report, write=not args.no_write)


if __name__ == "__main__":
    main()
