"""Readers' speed while anonymous visitors flood the server with exports (issue 9).

Starts gunicorn as the README runs it behind a proxy (an admin password set, so visitors are not
editors), measures readers' callback latency unloaded, then while FLOODERS clients ask without
pause for the largest image a visitor may have made (Wide at 2x), each time a different one (a new
title, so the cache cannot help). Reports readers' p50/p95 and throughput, the p95 ratio (target:
at most 2), and how the flooders were answered (made, or told to wait by the bounded queue).

    python bench/bench_flood.py [--seconds 20] [--flooders 4] [--no-write]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from results import publish  # noqa: E402

PASSWORD = "bench: visitors are not editors"
READERS = 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dependencies(port: int) -> list[dict]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_dash-dependencies", timeout=60) as answer:
        return json.loads(answer.read())


def callback_body(deps: list[dict], input_id: str, values: dict, changed: str) -> str:
    dep = next(d for d in deps if any(i["id"] == input_id for i in d["inputs"]) and d["clientside_function"] is None)
    outputs = [dict(zip(("id", "property"), o.split(".", 1))) for o in dep["output"].strip(".").split("...")]

    def fill(items: list[dict]) -> list[dict]:
        return [{**i, "value": values.get(f"{i['id']}.{i['property']}")} for i in items]

    return json.dumps({"output": dep["output"], "outputs": outputs, "inputs": fill(dep["inputs"]),
                       "state": fill(dep["state"]), "changedPropIds": [changed]})


def post(port: int, body: str) -> tuple[int, str, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("POST", "/_dash-update-component", body=body, headers={"Content-Type": "application/json"})
    answer = connection.getresponse()
    text = answer.read().decode()
    connection.close()
    return answer.status, text, time.perf_counter() - started


def readers(port: int, body: str, seconds: float) -> tuple[list[float], int]:
    """Latencies of READERS clients asking for the chart back to back, and the errors."""
    latencies: list[float] = []
    errors = [0]
    deadline = time.monotonic() + seconds

    def run() -> None:
        while time.monotonic() < deadline:
            status, _, took = post(port, body)
            latencies.append(took)
            errors[0] += status != 200

    threads = [threading.Thread(target=run) for _ in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0]


def get(port: int, path: str) -> tuple[int, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", path)
    answer = connection.getresponse()
    answer.read()
    connection.close()
    return answer.status, time.perf_counter() - started


def page_readers(port: int, paths: list[str], seconds: float) -> dict[str, list[float]]:
    """Readers fetching each path in turn (the page, an image already made) for `seconds`."""
    timings: dict[str, list[float]] = {path: [] for path in paths}
    deadline = time.monotonic() + seconds

    def run() -> None:
        while time.monotonic() < deadline:
            for path in paths:
                status, took = get(port, path)
                if status == 200:
                    timings[path].append(took)

    threads = [threading.Thread(target=run) for _ in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--flooders", type=int, default=4)
    parser.add_argument("--image-flooders", type=int, default=16, help="clients asking for new /chart.png at once")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MEMBERSHIP_ADMIN_PASSWORD": PASSWORD}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "-k", "gthread", "--threads", "8",
                               "-b", f"127.0.0.1:{port}", "dashboard.web.wsgi:server"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                deps = dependencies(port)
                break
            except OSError:
                time.sleep(0.2)
        reader = callback_body(deps, "party-select", {"party-select.value": ["labour", "snp"], "url.search": "",
                                                     "view-store.data": {"parties": ["labour"]}}, "party-select.value")
        for _ in range(10):
            post(port, reader)  # warm both workers
        quiet, quiet_errors = readers(port, reader, args.seconds)

        counts = {"made": 0, "busy": 0, "other": 0, "errors": 0}
        stop = threading.Event()

        def flood(n: int) -> None:
            k = 0
            while not stop.is_set():
                k += 1
                body = callback_body(deps, "export-png", {
                    "export-png.n_clicks": 1, "export-width.value": 1600, "export-height.value": 900,
                    "export-scale.value": 2, "export-format.value": "png", "export-title.value": f"Flood {n}-{k}"},
                    "export-png.n_clicks")
                status, text, _ = post(port, body)
                key = ("errors" if status != 200 else "made" if "Made " in text
                       else "busy" if "server is busy" in text else "other")
                counts[key] += 1

        cached_image = "/chart.png?parties=labour&preset=wide&scale=2&title=Already+made"
        page_paths = ["/?parties=labour,snp", cached_image]
        for _ in range(4):
            get(port, cached_image)  # made once by each worker that answers
        pages_quiet = page_readers(port, page_paths, args.seconds)
        images = {"made": 0, "told to wait": 0, "other": 0}

        def image_flood(n: int) -> None:
            k = 0
            while not stop.is_set():
                k += 1
                status, _ = get(port, f"/chart.png?parties=labour,reform&preset=wide&scale=2&title=Flood+{n}-{k}")
                images["made" if status == 200 else "told to wait" if status == 429 else "other"] += 1

        flooders = [threading.Thread(target=flood, args=(n,)) for n in range(args.flooders)]
        flooders += [threading.Thread(target=image_flood, args=(n,)) for n in range(args.image_flooders)]
        for thread in flooders:
            thread.start()
        time.sleep(3)  # the browsers start
        loaded, loaded_errors = readers(port, reader, args.seconds)
        pages_loaded = page_readers(port, page_paths, args.seconds)
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
    page_p95 = max(p95(pages_loaded[path]) for path in page_paths) * 1000
    page_rows = "\n".join(
        f"| {'the page' if path.startswith('/?') else 'an image already made'} | {len(pages_quiet[path])} | "
        f"{p95(pages_quiet[path]) * 1000:.0f} ms | {len(pages_loaded[path])} | {p95(pages_loaded[path]) * 1000:.0f} ms |"
        for path in page_paths)
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

Meanwhile {args.image_flooders} clients asked without pause for a new /chart.png each (Wide at 2×): {images['made']} \
made, {images['told to wait']} told to wait (429 with Retry-After: the visitors' budget of two per process), \
{images['other']} other answers. Readers fetching the page and an image already made:

| GET | alone: requests | p95 | during the flood: requests | p95 |
|---|---:|---:|---:|---:|
{page_rows}

**Readers' pages and cached images during the flood: p95 {page_p95:.0f} ms** (target: under 200 ms; \
{'met' if page_p95 < 200 else 'not met'}).
"""
    publish(section, write=not args.no_write)


if __name__ == "__main__":
    main()
