"""Readers' speed while anonymous visitors flood the server with new images (issues 9 and 19).

Starts gunicorn as the README runs it behind a proxy (an admin password set, so visitors are not
editors) and measures readers alone and during a flood, in alternating rounds (the machine is
shared, so each flood is compared with readers alone just before it):
- readers asking for the chart (the parties callback) back to back: the p95 ratio, flood / alone
  (target: at most 2);
- readers fetching the page and an image already made: p95 during the flood (target: under 200 ms),
  with the same p95 alone as the reference for what the machine gives at the moment.

The flood: IMAGE_FLOODERS clients each asking for a new /chart.png (Wide at 2x, the largest image a
visitor may have made; a new title each time, so no cache helps) and FLOODERS clients asking the
Export panel's download for a new PNG. They behave as HTTP clients that follow the protocol do: an
answer with Retry-After (429, or the panel's "busy") is retried after that many seconds;
`--ignore-retry-after` makes them retry at once instead, to show what refusing costs the server.
The flooders run in a process of their own, so their Python lock is not the readers' clients'; they
run at normal priority on the same machine, so the CPU they use is taken from the server too (real
flooders are elsewhere: the figure is pessimistic, never flattered). The load average (1 minute) is
given for each phase.

    python -m bench.bench_flood [--seconds 20] [--rounds 2] [--flooders 4] [--image-flooders 16]
                                [--ignore-retry-after] [--no-write]
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.results import Target, publish, record_target
from testkit.dash_wire import Answer, DashWire
from testkit.ports import free_port

ROOT = Path(__file__).resolve().parent.parent

PASSWORD = "bench: visitors are not editors"
READERS = 2
PAGE = "/?parties=labour,snp"
CACHED_IMAGE = "/chart.png?parties=labour&preset=wide&scale=2&title=Already+made"
PAGE_TARGET_MS = 200


def timed(ask) -> tuple[Answer, float]:
    """One request and the seconds it took (DashWire over HTTP opens a new connection each, as a new visitor)."""
    started = time.perf_counter()
    answer = ask()
    return answer, time.perf_counter() - started


def post(wire: DashWire, envelope: dict) -> tuple[int, str, float]:
    answer, took = timed(lambda: wire.post(envelope))
    return answer.status, answer.text, took


def get(wire: DashWire, path: str) -> tuple[int, float]:
    answer, took = timed(lambda: wire.get(path))
    return answer.status, took


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


def page_readers(wire: DashWire, paths: list[str], seconds: float) -> dict[str, list[float]]:
    """Readers fetching each path in turn (the page, an image already made) for `seconds`."""
    timings: dict[str, list[float]] = {path: [] for path in paths}
    deadline = time.monotonic() + seconds

    def run() -> None:
        while time.monotonic() < deadline:
            for path in paths:
                status, took = get(wire, path)
                if status == 200:
                    timings[path].append(took)

    threads = [threading.Thread(target=run) for _ in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings


def warm_image(wire: DashWire, in_a_row: int = 10, attempts: int = 200) -> None:
    """Ask for CACHED_IMAGE until `in_a_row` answers in a row come at once: every worker then has it
    (a worker's first one starts its browser and draws, seconds; a cached one takes milliseconds)."""
    quick = 0
    for _ in range(attempts):
        status, took = get(wire, CACHED_IMAGE)
        quick = quick + 1 if status == 200 and took < 0.5 else 0
        if quick == in_a_row:
            return
    raise SystemExit(f"{CACHED_IMAGE} never came {in_a_row} times in a row at once: is the browser working?")


def flood(port: int, image_flooders: int, flooders: int, honour: bool, stop, results) -> None:
    """The flooding clients (run in a process of their own); puts their answers' counts in `results`."""
    counts = {"images made": 0, "images told to wait": 0, "images other": 0, "downloads made": 0,
              "downloads told to wait": 0, "downloads other": 0, "waited s": 0.0}
    lock = threading.Lock()
    wire = DashWire.over_http(port)
    export = wire.callback("export-png")

    def count(key: str, retry_after: str | None) -> None:
        with lock:
            counts[key] += 1
        if honour and retry_after:
            with lock:
                counts["waited s"] += float(retry_after)
            stop.wait(float(retry_after))

    def images(n: int) -> None:
        k = 0
        while not stop.is_set():
            k += 1
            answer = wire.get(f"/chart.png?parties=labour,reform&preset=wide&scale=2&title=Flood+{n}-{k}")
            count("images made" if answer.status == 200 else "images told to wait" if answer.status == 429
                  else "images other", answer.headers.get("Retry-After"))

    def downloads(n: int) -> None:
        k = 0
        while not stop.is_set():
            k += 1
            answer = wire.post(wire.envelope(export, {
                "export-png.n_clicks": 1, "export-width.value": 1600, "export-height.value": 900,
                "export-scale.value": 2, "export-format.value": "png", "export-title.value": f"Flood {n}-{k}"}))
            key = ("downloads other" if answer.status != 200 else "downloads made" if "Made " in answer.text
                   else "downloads told to wait" if "server is busy" in answer.text else "downloads other")
            count(key, answer.headers.get("Retry-After"))

    threads = [threading.Thread(target=images, args=(n,)) for n in range(image_flooders)]
    threads += [threading.Thread(target=downloads, args=(n,)) for n in range(flooders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put(counts)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else float("nan")


def ms(value: float) -> str:
    return f"{value * 1000:,.0f} ms"


def load_now() -> float:
    return os.getloadavg()[0]


def phase(wire: DashWire, reader: dict, seconds: float) -> dict:
    """Readers of the chart callback, then of the page and an image already made, `seconds` each."""
    started_load = load_now()
    callbacks, errors = readers(wire, reader, seconds)
    pages = page_readers(wire, [PAGE, CACHED_IMAGE], seconds)
    return {"load": (started_load, load_now()), "callbacks": callbacks, "errors": errors, "page": pages[PAGE],
            "image": pages[CACHED_IMAGE]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20, help="length of each readers' phase")
    parser.add_argument("--rounds", type=int, default=2, help="readers alone, then during a flood, this many times")
    parser.add_argument("--flooders", type=int, default=4, help="clients asking the Export panel for new PNGs")
    parser.add_argument("--image-flooders", type=int, default=16, help="clients asking for new /chart.png at once")
    parser.add_argument("--ignore-retry-after", action="store_true", help="flooders retry at once (hostile)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    honour = not args.ignore_retry_after
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MEMBERSHIP_ADMIN_PASSWORD": PASSWORD}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "-k", "gthread", "--threads", "8",
                               "-b", f"127.0.0.1:{port}", "dashboard.web.wsgi:server"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    spawn = multiprocessing.get_context("spawn")
    rounds: list[tuple[dict, dict, dict]] = []
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
            get(wire, PAGE)
        warm_image(wire)
        for _ in range(args.rounds):
            alone = phase(wire, reader, args.seconds)
            stop, results = spawn.Event(), spawn.Queue()
            flooder = spawn.Process(target=flood, args=(port, args.image_flooders, args.flooders, honour,
                                                        stop, results))
            flooder.start()
            time.sleep(3)  # the flood under way (and the browsers started)
            flooded = phase(wire, reader, args.seconds)
            stop.set()
            counts = results.get(timeout=300)
            flooder.join(60)
            rounds.append((alone, flooded, counts))
    finally:
        server.terminate()
        server.wait(30)

    def pooled(which: int, key: str) -> list[float]:
        return [t for r in rounds for t in r[which][key]]

    quiet_cb, flood_cb = pooled(0, "callbacks"), pooled(1, "callbacks")
    ratio = p95(flood_cb) / p95(quiet_cb)
    quiet_reads = max(p95(pooled(0, "page")), p95(pooled(0, "image")))
    flood_reads = max(p95(pooled(1, "page")), p95(pooled(1, "image")))
    met = flood_reads * 1000 < PAGE_TARGET_MS
    totals = {key: sum(r[2][key] for r in rounds) for key in rounds[0][2]}
    rows = []
    for n, (alone, flooded, _) in enumerate(rounds, 1):
        for name, data in (("alone", alone), ("during the flood", flooded)):
            rows.append(f"| {n} | {name} | {data['load'][0]:.1f} → {data['load'][1]:.1f} | {len(data['callbacks'])} | "
                        f"{data['errors']} | {ms(statistics.median(data['callbacks']))} | {ms(p95(data['callbacks']))} | "
                        f"{len(data['page'])} | {ms(p95(data['page']))} | {len(data['image'])} | {ms(p95(data['image']))} |")
    behaviour = ("retried after the Retry-After each answer gave, as a client following HTTP does" if honour
                 else "ignored Retry-After and asked again at once (hostile)")
    heading = ("## Readers under an export flood (bench/bench_flood.py)" if honour else
               "## Readers under an export flood that ignores Retry-After (bench/bench_flood.py --ignore-retry-after)")
    section = f"""{heading}

{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.machine()}, Python {platform.python_version()}, \
{os.cpu_count()} CPUs; load average (1 min) at the start and end of each phase below (the machine is shared).
gunicorn -w 2 -k gthread --threads 8, an admin password set (visitors are not editors). In each round {READERS} \
readers ask for the chart (the parties callback) back to back for {args.seconds:.0f} s, then {READERS} readers fetch \
the page and an image already made for {args.seconds:.0f} s; first alone, then while {args.image_flooders} clients \
ask for a new /chart.png each and {args.flooders} clients for a new download from the Export panel (both Wide at 2×, \
3200×1800, the largest a visitor may have made). The flooders {behaviour}; they run in a process of their own at \
normal priority on the same machine (their CPU is taken from the server too: pessimistic).

| round | readers | load | chart callbacks | errors | p50 | p95 | page GETs | p95 | image already made | p95 |
|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|
{chr(10).join(rows)}

**Readers' page and cached image during the flood: p95 {ms(flood_reads)}** (alone, same run: {ms(quiet_reads)}; \
target: under {PAGE_TARGET_MS} ms; {'met' if met else 'not met'}). **Chart callbacks: p95 ratio flood / alone \
{ratio:.2f}** (target: at most 2).

The flood's answers: /chart.png {totals['images made']} made, {totals['images told to wait']} told to wait (429 with \
Retry-After), {totals['images other']} other; the panel's downloads {totals['downloads made']} made, \
{totals['downloads told to wait']} told the server is busy (with Retry-After), {totals['downloads other']} other.
"""
    record_target(Target(f"Readers' page and cached image during an anonymous image flood, p95 "
                         f"({'flooders honour Retry-After' if honour else 'flooders ignore Retry-After'})",
                         f"p95 {ms(flood_reads)}", f"alone, same run: p95 {ms(quiet_reads)}", ms(flood_reads),
                         f"< {PAGE_TARGET_MS} ms", met, "bench_flood.py"))
    publish(section, write=not args.no_write)


if __name__ == "__main__":
    main()
