"""View changes under load: simulated readers against gunicorn with 4 workers, on loopback only.

Each reader opens the page (the page, its layout and callbacks), then makes one view change every
1–3 s (uniformly at random) for the duration: half the time a new year range, half the time a
new choice of parties. A view change is what the browser sends for it, in order: the chart's
callback (figure, table, URL), then, with the view it returned and at the same time, the export
panel's callback (alt text, camera size, links; the panel is off screen, so no preview) and the
latest-figures panel's. It is answered
when every response is complete. A second
phase measures the saturated rate: a few readers with no pause between changes.

The server is `gunicorn -w 4 dashboard.web.wsgi:server` on a copy of the bundled data on
127.0.0.1; every request loop is bounded in time and the whole run stops by itself.

    python -m bench.bench_load [--readers 50] [--seconds 60] [--saturate-seconds 15] [--no-write]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.results import Spread, Target, machine, publish, record_target, versions
from dashboard.core.dataset import BUNDLED_DATA_DIR, load_dataset
from dashboard.web import ids
from testkit.dash_wire import DashWire
from testkit.ports import free_port

ROOT = Path(__file__).resolve().parent.parent

WORKERS = 4
P95_TARGET_MS = 150
TODAY_SATURATED = 24  # view changes a second before this work (issue 11)
EXPORT_FIELDS = {ids.EXPORT_WIDTH: 1200, ids.EXPORT_HEIGHT: 675, ids.EXPORT_SCALE: 2, ids.EXPORT_FORMAT: "png",
                 ids.EXPORT_TITLE: "", ids.EXPORT_SUBTITLE: "", ids.EXPORT_NOTE: "", ids.EXPORT_CREDIT: ""}


ACCEPT_ENCODING = "gzip, deflate, br, zstd"  # as Chromium asks: the server compresses as for a browser


def reader_wire(port: int) -> DashWire:
    """One reader's requests, as its browser sends them (compressed answers, the page as Referer), a new
    connection each (gunicorn's sync workers close it)."""
    return DashWire.over_http(port, timeout=30, headers={"Accept-Encoding": ACCEPT_ENCODING,
                                                          "Referer": f"http://127.0.0.1:{port}/"})


@dataclass
class Callbacks:
    """The two callbacks a view change sets off, as the renderer names them (from /_dash-dependencies)."""

    chart: dict
    export: dict
    beside: list[dict]  # the other callbacks the new view sets off at the same time (latest figures, links)

    @classmethod
    def from_server(cls, wire: DashWire) -> Callbacks:
        export = wire.callback(ids.EXPORT_VIEW, f"{ids.EXPORT_PREVIEW}.figure")
        beside = [d for d in wire.callbacks(ids.EXPORT_VIEW) if d is not export] + wire.callbacks(ids.VIEW_STORE)
        return cls(wire.callback(ids.YEAR_RANGE), export, beside)


def random_change(view: dict, rng: random.Random, parties: list[str], years: tuple[int, int]) -> tuple[dict, list[str]]:
    """The chart callback's inputs for one reader's next view change from `view` (half new year
    ranges, half new choices of 1-4 parties), and the input that changed."""
    first, last = years
    values: dict = {f"{ids.LOCATION}.search": "", f"{ids.VIEW_STORE}.data": view,
                    f"{ids.PARTY_SELECT}.value": view["parties"], f"{ids.YEAR_RANGE}.value": [view["start"], view["end"]],
                    f"{ids.ANNOTATIONS}.value": ["elections", "leaders", "other_dates"],
                    f"{ids.DATA_VERSION}.data": None, f"{ids.VIEWPORT_WIDTH}.data": None}
    if rng.random() < 0.5:
        start = rng.randint(first, last - 1)
        values[f"{ids.YEAR_RANGE}.value"] = [start, rng.randint(start + 1, last)]
        return values, [f"{ids.YEAR_RANGE}.value"]
    values[f"{ids.PARTY_SELECT}.value"] = rng.sample(parties, rng.randint(1, 4))
    return values, [f"{ids.PARTY_SELECT}.value"]


def panel_values(view: dict) -> dict:
    """The inputs of the callbacks a new view sets off (the export panel's and those beside it).
    The Export panel is off screen, as on a page just opened, so its preview is not drawn."""
    return {f"{ids.VIEW_STORE}.data": view, f"{ids.DATA_VERSION}.data": None, f"{ids.EXPORT_VIEW}.data": view,
            f"{ids.EXPORT_IN_VIEW}.data": False, f"{ids.CHART}.config": None,
            **{f"{key}.value": value for key, value in EXPORT_FIELDS.items()}}


def view_inputs(dep: dict) -> list[str]:
    """The inputs of a panel's callback that a new view changes."""
    return [f"{i['id']}.{i['property']}" for i in dep["inputs"] if i["id"] in (ids.VIEW_STORE, ids.EXPORT_VIEW)]


@dataclass
class Reader:
    wire: DashWire
    callbacks: Callbacks
    parties: list[str]
    years: tuple[int, int]
    rng: random.Random
    view: dict = field(default_factory=dict)

    def open_page(self) -> None:
        bodies = {}
        for path in ("/", "/_dash-layout", "/_dash-dependencies"):
            answer = self.wire.get(path)
            if answer.status != 200:
                raise RuntimeError(f"{path}: HTTP {answer.status}")
            bodies[path] = answer.body
        self.view = find_store(json.loads(bodies["/_dash-layout"]))

    def change_view(self) -> None:
        """One view change as the browser sends it; raises on any error."""
        values, changed = random_change(self.view, self.rng, self.parties, self.years)
        chart = self.wire.post(self.wire.envelope(self.callbacks.chart, values, changed))
        if chart.status != 200:
            raise RuntimeError(f"chart callback: HTTP {chart.status}")
        response = chart.response
        if "figure" not in response.get(ids.CHART, {}):
            raise RuntimeError("chart callback: no figure in the answer")
        self.view = response[ids.VIEW_STORE]["data"]
        # the new view sets off, at once, the export panel's callback and the callbacks beside it
        values = panel_values(self.view)
        answers: dict[str, tuple[int, bytes]] = {}

        def send(dep: dict) -> None:
            try:
                answer = self.wire.post(self.wire.envelope(dep, values, view_inputs(dep)))
                answers[dep["output"]] = (answer.status, answer.body)
            except OSError as error:
                answers[dep["output"]] = (0, str(error).encode())
        threads = [threading.Thread(target=send, args=(dep,)) for dep in self.callbacks.beside]
        for thread in threads:
            thread.start()
        send(self.callbacks.export)
        for thread in threads:
            thread.join(timeout=60)
        status, body = answers.get(self.callbacks.export["output"], (0, b""))
        if status != 200 or ids.EXPORT_ALT.encode() not in body:
            raise RuntimeError(f"export panel callback: HTTP {status}")
        for dep in self.callbacks.beside:
            if answers.get(dep["output"], (0, b""))[0] != 200:
                raise RuntimeError(f"callback {dep['output'][:40]}: HTTP {answers.get(dep['output'], (0,))[0]}")


def find_store(node) -> dict:
    """The view-store's data in a layout (the view the page opened with)."""
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == ids.VIEW_STORE:
            return node["props"]["data"]
        for value in node.values():
            found = find_store(value)
            if found:
                return found
    elif isinstance(node, list):
        for value in node:
            found = find_store(value)
            if found:
                return found
    return {}


@dataclass
class Tally:
    times_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, ms: float | None, error: str | None = None) -> None:
        with self.lock:
            if error is None and ms is not None:
                self.times_ms.append(ms)
            else:
                self.errors.append(error or "?")


def run_reader(reader: Reader, tally: Tally, stop_at: float, pause: tuple[float, float]) -> None:
    try:
        reader.open_page()
    except Exception as error:  # noqa: BLE001 - counted as an error and reported
        tally.add(None, f"page: {error}")
        return
    while True:
        wait = reader.rng.uniform(*pause)
        if time.monotonic() + wait >= stop_at:
            return
        time.sleep(wait)
        began = time.perf_counter()
        try:
            reader.change_view()
        except Exception as error:  # noqa: BLE001 - counted as an error and reported
            tally.add(None, str(error))
            continue
        tally.add((time.perf_counter() - began) * 1000)


def run_phase(port: int, callbacks: Callbacks, n: int, seconds: float, pause: tuple[float, float], seed: int,
              stagger: float) -> tuple[Tally, float]:
    dataset = load_dataset(BUNDLED_DATA_DIR / "membership.csv")
    parties = sorted(set(dataset.counts["party"]))
    years = dataset.year_bounds()
    tally = Tally()
    began = time.monotonic()
    stop_at = began + seconds
    threads = []
    for i in range(n):
        reader = Reader(reader_wire(port), callbacks, parties, years, random.Random(seed + i))
        thread = threading.Thread(target=run_reader, args=(reader, tally, stop_at, pause), daemon=True)
        threads.append(thread)
        thread.start()
        time.sleep(stagger / n)
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return tally, time.monotonic() - began


def start_gunicorn(data_dir: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MEMBERSHIP_DATA_DIR": str(data_dir), "MEMBERSHIP_HOST": "127.0.0.1"}
    env.pop("MEMBERSHIP_DATA", None)
    return subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
                             "--timeout", "60", "dashboard.web.wsgi:server"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_for(port: int, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {process.stderr.read().decode()[-2000:] if process.stderr else ''}")
        try:
            if reader_wire(port).get("/_dash-layout").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError("gunicorn did not start")


def worker_rss_mib(master: int) -> list[float]:
    """Resident memory of each gunicorn worker (the master's children), in MiB."""
    out = subprocess.run(["ps", "-o", "pid=,rss=", "--ppid", str(master)], capture_output=True, text=True).stdout
    return [int(line.split()[1]) / 1024 for line in out.splitlines() if line.strip()]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--saturate-readers", type=int, default=8)
    parser.add_argument("--saturate-seconds", type=float, default=15)
    parser.add_argument("--no-write", action="store_true", help="print only; do not update bench/RESULTS.md")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        shutil.copytree(BUNDLED_DATA_DIR, data_dir, ignore=shutil.ignore_patterns(".*"))
        port = free_port()
        process = start_gunicorn(data_dir, port)
        try:
            wait_for(port, process)
            wire = reader_wire(port)
            callbacks = Callbacks.from_server(wire)
            for _ in range(WORKERS * 3):  # every worker has served the page once
                wire.get("/_dash-layout")
            rss_start = worker_rss_mib(process.pid)
            load, load_seconds = run_phase(port, callbacks, args.readers, args.seconds, (1.0, 3.0), 1, 2.0)
            saturated, saturated_seconds = run_phase(port, callbacks, args.saturate_readers, args.saturate_seconds,
                                                     (0.0, 0.0), 1000, 0.0)
            rss_end = worker_rss_mib(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=30)
    load_after = os.getloadavg()[0]

    times = load.times_ms
    p50, p95, p99 = (percentile(times, p) for p in (50, 95, 99)) if times else (float("nan"),) * 3
    rate = len(times) / load_seconds
    saturated_rate = len(saturated.times_ms) / saturated_seconds
    met = bool(times) and p95 < P95_TARGET_MS and not load.errors
    spread = Spread.of(times) if times else Spread(float("nan"), float("nan"), float("nan"), 0)
    record_target(Target(f"View change answered, p95, {args.readers} readers, gunicorn {WORKERS} workers",
                         f"p95 {p95:,.0f} ms (median {p50:,.0f}, max {spread.high:,.0f}; {len(times)} changes, "
                         f"{len(load.errors)} errors)", "–", f"{p95:,.0f} ms, {len(load.errors)} errors",
                         f"< {P95_TARGET_MS} ms, 0 errors", met, "bench_load.py"))
    record_target(Target("Saturated rate of view changes (reported, no target)",
                         f"{saturated_rate:,.1f} a second", f"{TODAY_SATURATED} a second before this work",
                         f"{saturated_rate / TODAY_SATURATED:.1f}× today's", "report", True, "bench_load.py"))
    errors = sorted(set(load.errors + saturated.errors))[:5]
    report = "\n".join([
        "## View changes under load (bench/bench_load.py)",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {machine()}; {versions()}; "
        f"load average before {load_before:.1f}, after {load_after:.1f}. The simulated readers run on the same "
        "two cores as the server.",
        f"gunicorn with {WORKERS} sync workers on 127.0.0.1, a copy of the bundled data. {args.readers} readers each open "
        "the page, then make one view change every 1–3 s for "
        f"{args.seconds:.0f} s: half new year ranges, half new choices of 1–4 parties, at random. A view change is "
        "the chart's callback, then with the view it returned, at the same time, the export panel's (alt text, camera size, "
        "links; off screen, so no preview) and the "
        "latest-figures panel's callbacks (as the browser sends them); it is answered when every response is complete.",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| view changes answered | {len(times)} in {load_seconds:.0f} s ({rate:.1f} a second) |",
        f"| errors | {len(load.errors)} |",
        f"| median / p95 / p99 / max | {p50:,.0f} / {p95:,.0f} / {p99:,.0f} / {spread.high:,.0f} ms |",
        f"| saturated rate ({args.saturate_readers} readers, no pause, {args.saturate_seconds:.0f} s) | "
        f"{saturated_rate:,.1f} view changes a second ({len(saturated.errors)} errors); before this work: "
        f"{TODAY_SATURATED} a second |",
        f"| saturated: median / p95 | {percentile(saturated.times_ms, 50):,.0f} / "
        f"{percentile(saturated.times_ms, 95):,.0f} ms |" if saturated.times_ms else "| saturated | no answers |",
        f"| worker resident memory, no export made: after the first pages / after the load | "
        f"{statistics.median(rss_start):,.0f} / {statistics.median(rss_end):,.0f} MiB (median of {WORKERS}) |",
        "",
        f"**p95 {p95:,.0f} ms** (target < {P95_TARGET_MS} ms with 0 errors): {'met' if met else 'NOT met'}."
        + (f" Errors seen: {'; '.join(errors)}." if errors else ""),
        "",
    ])
    publish(report, write=not args.no_write)


if __name__ == "__main__":
    main()
