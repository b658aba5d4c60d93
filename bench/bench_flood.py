"""Readers' speed while anonymous visitors flood the server with exports (issue 9).

Starts gunicorn as the README runs it behind a proxy (an admin password set, so visitors are not
editors), measures readers' callback latency unloaded, then while FLOODERS clients ask without
pause for the largest image a visitor may have made (Wide at 2x), each time a different one (a new
title, so the cache cannot help). Reports readers' p50/p95 and throughput, the p95 ratio (target:
at most 2), and how the flooders were answered (made, or told to wait by the bounded queue).

    python -m bench.bench_flood [--seconds 20] [--flooders 4] [--no-write]
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.results import publish
from testkit.dash_wire import DashWire
from testkit.ports import free_port

ROOT = Path(__file__).resolve().parent.parent

PASSWORD = "bench: visitors are not editors"
READERS = 2


def post(wire: DashWire, envelope: dict) -> tuple[int, str, float]:
    started = time.perf_counter()
    answer = wire.post(envelope)
    return answer.status, answer.text, time.perf_counter() - started


def readers(wire: DashWire, envelope: dict, seconds: float) -> tuple[list[float], int]:
    """Latencies of READERS clients asking for the chart back to back, and the errors."""
    latencies: list[float] = []
    errors = [0]
    deadline = time.monotonic() + seconds

    def run() -> None:
        while time.monotonic() < deadline:
            status, _, took = post(wire, envelope)
            latencies.append(took)
            errors[0] += status != 200

    threads = [threading.Thread(target=run) for _ in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0]


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--flooders", type=int, default=4)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MEMBERSHIP_ADMIN_PASSWORD": PASSWORD}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "-k", "gthread", "--threads", "8",
                               "-b", f"127.0.0.1:{port}", "dashboard.web.wsgi:server"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wire = DashWire.over_http(port)
        for _ in range(300):
            try:
                wire.dependencies()
                break
            except OSError:
                time.sleep(0.2)
        reader = wire.envelope(wire.callback("party-select"), {"party-select.value": ["labour", "snp"], "url.search": "",
                                                               "view-store.data": {"parties": ["labour"]}},
                               ["party-select.value"])
        for _ in range(10):
            post(wire, reader)  # warm both workers
        quiet, quiet_errors = readers(wire, reader, args.seconds)

        counts = {"made": 0, "busy": 0, "other": 0, "errors": 0}
        stop = threading.Event()

        def flood(n: int) -> None:
            k = 0
            while not stop.is_set():
                k += 1
                envelope = wire.envelope(wire.callback("export-png"), {
                    "export-png.n_clicks": 1, "export-width.value": 1600, "export-height.value": 900,
                    "export-scale.value": 2, "export-format.value": "png", "export-title.value": f"Flood {n}-{k}"})
                status, text, _ = post(wire, envelope)
                key = ("errors" if status != 200 else "made" if "Made " in text
                       else "busy" if "server is busy" in text else "other")
                counts[key] += 1

        flooders = [threading.Thread(target=flood, args=(n,)) for n in range(args.flooders)]
        for thread in flooders:
            thread.start()
        time.sleep(3)  # the browsers start
        loaded, loaded_errors = readers(wire, reader, args.seconds)
        stop.set()
        for thread in flooders:
            thread.join(180)
    finally:
        server.terminate()
        server.wait(30)

    ratio = p95(loaded) / p95(quiet)

    def row(name: str, latencies: list[float], errors: int) -> str:
        return (f"| {name} | {len(latencies)} | {errors} | {len(latencies) / args.seconds:.1f} | "
                f"{statistics.median(latencies) * 1000:.0f} ms | {p95(latencies) * 1000:.0f} ms |")

    load = os.getloadavg()[0]
    section = f"""## Readers under an export flood (bench/bench_flood.py)

{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.machine()}, Python {platform.python_version()}, \
{os.cpu_count()} CPUs, load average {load:.1f} at the end (the machine is shared).
gunicorn -w 2 -k gthread --threads 8, an admin password set (visitors are not editors); {READERS} readers ask for \
the chart (the parties callback) back to back for {args.seconds:.0f} s, alone and then while {args.flooders} \
clients ask without pause for a new 3200×1800 PNG each (Wide at 2×, the largest a visitor may have made).

| readers | requests | errors | req/s | p50 | p95 |
|---|---:|---:|---:|---:|---:|
{row('alone', quiet, quiet_errors)}
{row('during the flood', loaded, loaded_errors)}

**p95 ratio flood / alone: {ratio:.2f}** (target: at most 2). The flooders' {sum(counts.values())} requests: \
{counts['made']} images made, {counts['busy']} told to wait by the bounded queue (with Retry-After), \
{counts['other']} other answers, {counts['errors']} errors.
"""
    publish(section, write=not args.no_write)


if __name__ == "__main__":
    main()
