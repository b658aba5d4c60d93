"""Page-load benchmark: the dashboard against a static HTML file of the same Plotly figure.

In one run, alternately loads the dashboard and the static page (fig.write_html, plotly.js inlined,
served over HTTP from the same machine) in headless Chromium with a cold cache each time, and
reports the median time from navigation to the chart drawn, and their ratio. Also: the server's
cold start time (process start to first page served) and the bytes sent for each page, compressed
(as sent to a browser that accepts gzip/brotli) and not.

    python bench/bench_page.py [--runs 9] [--starts 5] [--no-write]
"""
from __future__ import annotations

import argparse
import functools
import http.server
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from results import write_section  # noqa: E402

from dashboard.chart.figure import build_figure  # noqa: E402
from dashboard.core.dataset import load_dataset  # noqa: E402
from dashboard.core.view import View, resolve  # noqa: E402
from dashboard.web.layout import CHART_HEIGHT  # noqa: E402

CHROMIUM = os.environ.get("BROWSER_PATH") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
# Records the moment the first data trace is in the SVG, relative to navigation start.
DRAWN_PROBE = """
new MutationObserver((_, observer) => {
  if (document.querySelector('.main-svg .scatterlayer .trace')) {
    window.__drawn = performance.now(); observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_served(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr.read()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                response.read()
                return
        except OSError:
            time.sleep(0.02)
    raise TimeoutError(url)


def start_server(port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "dashboard.cli.main", "serve", "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def cold_starts(n: int) -> list[float]:
    """Seconds from `membership serve` starting to the page and its layout being served."""
    times = []
    for _ in range(n):
        port = free_port()
        began = time.perf_counter()
        process = start_server(port)
        try:
            wait_until_served(f"http://127.0.0.1:{port}/_dash-layout", process)
            times.append(time.perf_counter() - began)
        finally:
            process.terminate()
            process.wait(timeout=10)
    return times


def serve_static(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/chart.html"


def load_once(browser, url: str) -> tuple[float, int]:
    """Milliseconds from navigation to the chart drawn, and bytes over the wire, with a cold cache."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(DRAWN_PROBE)
    page = context.new_page()
    sizes: list[int] = []
    page.on("requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"]))
    page.goto(url)
    page.wait_for_function("() => window.__drawn !== undefined", timeout=60_000)
    drawn = page.evaluate("window.__drawn")
    page.wait_for_load_state("networkidle")
    context.close()
    return drawn, sum(sizes)


def uncompressed_bytes(browser, url: str) -> int:
    """Bytes of every resource the page loads, as the files are (no content encoding)."""
    context = browser.new_context()
    page = context.new_page()
    urls: list[str] = []
    page.on("requestfinished", lambda request: urls.append(request.url) if request.method == "GET" else None)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    context.close()
    total = 0
    for resource in urls:
        request = urllib.request.Request(resource, headers={"Accept-Encoding": "identity"})
        with urllib.request.urlopen(request) as response:
            total += len(response.read())
    return total


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    import dash
    import plotly
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    return (f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, dash {dash.__version__}, "
            f"plotly {plotly.__version__}, {chromium}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print only; do not update bench/RESULTS.md")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    dataset = load_dataset()
    view = resolve(View(), dataset)
    with tempfile.TemporaryDirectory() as tmp:
        build_figure(dataset, view, height=CHART_HEIGHT).write_html(Path(tmp) / "chart.html", include_plotlyjs=True,
                                                                    full_html=True, config={"responsive": True})
        static_server, static_url = serve_static(Path(tmp))
        port = free_port()
        dash_server = start_server(port)
        dash_url = f"http://127.0.0.1:{port}/"
        try:
            wait_until_served(dash_url + "_dash-layout", dash_server)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                load_once(browser, dash_url), load_once(browser, static_url)  # warm the OS file cache
                dash_ms, static_ms, dash_sent, static_sent = [], [], 0, 0
                for _ in range(args.runs):
                    ms, dash_sent = load_once(browser, dash_url)
                    dash_ms.append(ms)
                    ms, static_sent = load_once(browser, static_url)
                    static_ms.append(ms)
                dash_raw, static_raw = uncompressed_bytes(browser, dash_url), uncompressed_bytes(browser, static_url)
                browser.close()
        finally:
            dash_server.terminate()
            dash_server.wait(timeout=10)
            static_server.shutdown()
    starts = cold_starts(args.starts)

    dash_median, static_median = statistics.median(dash_ms), statistics.median(static_ms)
    ratio = dash_median / static_median
    report = "\n".join([
        "## Page load (bench/bench_page.py)",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {machine()}.",
        f"{args.runs} alternating cold-cache loads of each page in headless Chromium at 1280x800; "
        "time from navigation start to the first trace drawn in the chart's SVG.",
        "",
        "| measure | dashboard | static HTML (fig.write_html) |",
        "|---|---|---|",
        f"| median navigation -> chart drawn | {dash_median:.0f} ms | {static_median:.0f} ms |",
        f"| min / max | {min(dash_ms):.0f} / {max(dash_ms):.0f} ms | {min(static_ms):.0f} / {max(static_ms):.0f} ms |",
        f"| bytes sent, compressed as served | {dash_sent / 1024:.0f} KiB | {static_sent / 1024:.0f} KiB |",
        f"| bytes, uncompressed | {dash_raw / 1024:.0f} KiB | {static_raw / 1024:.0f} KiB |",
        "",
        f"**Ratio dashboard / static: {ratio:.2f}** (target: at most 1.5).",
        "",
        f"Server cold start (`membership serve` to page layout served), median of {args.starts}: "
        f"{statistics.median(starts):.2f} s (min {min(starts):.2f}, max {max(starts):.2f}).",
        "",
    ])
    print(report)
    if not args.no_write:
        write_section(report)


if __name__ == "__main__":
    main()
