"""The chart image URL (/chart.png?<view>) over HTTP against a real server: cold (the image is made)
and cached (served from memory, and the 304 a browser or CDN gets when it revalidates).

Run: python -m bench.bench_image_url [--runs 15] [--no-write]
No target: the figures go in the closing note of issue 12 and in bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from werkzeug.serving import make_server

from bench.results import publish
from dashboard.config import Settings
from dashboard.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent


def timed_get(url: str, headers: dict | None = None) -> tuple[float, int, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            status, got = response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        error.read()
        status, got = error.code, dict(error.headers)
    return time.perf_counter() - started, status, got


def measure(runs: int) -> dict[str, list[float]]:
    app = create_app(Settings())
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}/chart.png?parties=labour,reform&start=2010"
    times: dict[str, list[float]] = {"first image in a new server (starts Chromium)": [],
                                     "cold: a view not asked for before (warm Chromium)": [],
                                     "cached: 200 with the bytes": [], "cached: 304 (If-None-Match)": []}
    try:
        elapsed, status, _ = timed_get(base + "&credit=first")
        assert status == 200, status
        times["first image in a new server (starts Chromium)"].append(elapsed)
        tag = ""
        for i in range(runs):
            time.sleep(0.3)  # as readers arrive: not back to back
            elapsed, status, headers = timed_get(f"{base}&credit=run+{i}")
            assert status == 200, status
            times["cold: a view not asked for before (warm Chromium)"].append(elapsed)
            tag = headers["ETag"]
        for _ in range(runs * 4):
            elapsed, status, _ = timed_get(f"{base}&credit=run+{runs - 1}")
            assert status == 200, status
            times["cached: 200 with the bytes"].append(elapsed)
            elapsed, status, _ = timed_get(f"{base}&credit=run+{runs - 1}", {"If-None-Match": tag})
            assert status == 304, status
            times["cached: 304 (If-None-Match)"].append(elapsed)
    finally:
        server.shutdown()
        thread.join(10)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-write", action="store_true", help="print only; do not update bench/RESULTS.md")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    times = measure(args.runs)
    lines = ["## Chart image URL (bench/bench_image_url.py)", "",
             f"Machine: {platform.machine()}, Python {platform.python_version()}, "
             f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} CPUs, load average before "
             f"{load_before:.1f}, after {os.getloadavg()[0]:.1f}. GET /chart.png?parties=labour,reform&start=2010 "
             "(1200×675 at 2×, 2400×1350 px) over HTTP on loopback, werkzeug threaded server.", "",
             "| request | median ms | min ms | max ms | n |", "|---|---|---|---|---|"]
    for name, values in times.items():
        lines.append(f"| {name} | {statistics.median(values) * 1000:.1f} | {min(values) * 1000:.1f} | "
                     f"{max(values) * 1000:.1f} | {len(values)} |")
    section = "\n".join(lines) + "\n"
    publish(section, write=not args.no_write)


if __name__ == "__main__":
    main()
