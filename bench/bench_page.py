"""Page-load benchmark: the dashboard against static HTML pages of the same Plotly figure.

In one run, loads in turn (the order rotating each round) the dashboard, a static page written by
`fig.write_html` (the full plotly.js inlined) and the same static page with the basic plotly.js
bundle inlined instead, each in headless Chromium with a cold cache, all served over HTTP from this
machine. Reports the time from navigation to the chart drawn (median, min, max) and the ratios.
Also: the bytes each page sends, compressed as served and not, and the server's cold start
(`membership serve` starting to its first page served).

    python -m bench.bench_page [--runs 11] [--starts 7] [--no-write]
"""
from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from bench.probes import DRAWN_PROBE
from bench.profile_page import profile_once
from bench.results import Spread, Target, compile_package, machine, publish, record_target, versions
from dashboard.chart import plotly_bundle
from dashboard.chart.figure import build_figure
from dashboard.core.dataset import load_dataset
from dashboard.core.view import View, resolve
from dashboard.web.layout import CHART_HEIGHT
from testkit.chromium import CHROMIUM, CHROMIUM_ARGS
from testkit.ports import free_port

ROOT = Path(__file__).resolve().parent.parent

# When the dashboard's layout had arrived (ms after navigation start), for the breakdown.
LAYOUT_RECEIVED = """() => {
  const entry = performance.getEntriesByType('resource').find(e => e.name.includes('_dash-layout'));
  return entry ? entry.responseEnd : null;
}"""
FIRST_CHART_TARGET = 1.0  # × the static page with the full bundle
BASIC_TARGET = 1.3  # × the static page with the basic bundle
BYTES_TARGET_KIB = 900
COLD_START_TARGET = 1.0  # seconds


def wait_until_served(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr.read() if process.stderr else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                response.read()
                return
        except OSError:
            time.sleep(0.01)
    raise TimeoutError(url)


def start_server(port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "dashboard.cli.main", "serve", "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


PROFILE_RUNS = 3


def script_times(profiles: list[dict[str, float]]) -> list[tuple[str, float]]:
    """Median milliseconds by script over the profiles, most first."""
    names = {name for spent in profiles for name in spent}
    median = {name: statistics.median(spent.get(name, 0.0) for spent in profiles) for name in names}
    return sorted(median.items(), key=lambda item: -item[1])


def cold_starts(n: int) -> list[float]:
    """Seconds from `membership serve` starting to the page and its layout being served, with the
    package byte-compiled as an installed one is."""
    compile_package()
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


def static_pages(directory: Path) -> None:
    """chart.html as fig.write_html writes it, and basic.html: the same page with the basic bundle."""
    from plotly.offline import get_plotlyjs

    dataset = load_dataset()
    figure = build_figure(dataset, resolve(View(), dataset), height=CHART_HEIGHT)
    full = directory / "chart.html"
    figure.write_html(full, include_plotlyjs=True, full_html=True, config={"responsive": True})
    text = full.read_text(encoding="utf-8")
    bundle = get_plotlyjs()
    assert text.count(bundle) == 1
    basic = plotly_bundle.bundle_bytes().decode("utf-8")
    (directory / "basic.html").write_text(text.replace(bundle, basic), encoding="utf-8")


def serve_static(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # no line per request on the terminal
            pass

    handler = functools.partial(Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def load_once(browser, url: str) -> tuple[float, int, float | None]:
    """Milliseconds from navigation to the chart drawn, bytes over the wire with a cold cache, and
    when the dashboard's layout had arrived (None for a static page)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(DRAWN_PROBE)
    page = context.new_page()
    sizes: list[int] = []
    page.on("requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"]))
    page.goto(url)
    page.wait_for_function("() => window.__drawn !== undefined", timeout=60_000)
    drawn = page.evaluate("window.__drawn")
    page.wait_for_load_state("networkidle")
    layout = page.evaluate(LAYOUT_RECEIVED)
    context.close()
    return drawn, sum(sizes), layout


def uncompressed_bytes(browser, url: str) -> tuple[int, list[str]]:
    """Bytes of every resource the page loads, as the files are (no content encoding), and their URLs."""
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
    return total, urls


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--starts", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="print only; do not update bench/RESULTS.md")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    names = ("dashboard", "static, full plotly.js", "static, basic plotly.js")
    drawn: dict[str, list[float]] = {name: [] for name in names}
    sent: dict[str, int] = {}
    raw: dict[str, int] = {}
    layout_at: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        static_pages(Path(tmp))
        static_server, static_root = serve_static(Path(tmp))
        port = free_port()
        dash_server = start_server(port)
        urls = dict(zip(names, (f"http://127.0.0.1:{port}/", static_root + "chart.html", static_root + "basic.html")))
        try:
            wait_until_served(urls["dashboard"] + "_dash-layout", dash_server)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for name in names:  # warm the OS file cache and the server
                    load_once(browser, urls[name])
                for round_ in range(args.runs):
                    order = names[round_ % 3:] + names[:round_ % 3]  # each page first as often as the others
                    for name in order:
                        ms, sent[name], layout = load_once(browser, urls[name])
                        drawn[name].append(ms)
                        if layout is not None:
                            layout_at.append(layout)
                dash_urls: list[str] = []
                for name in names:
                    raw[name], loaded = uncompressed_bytes(browser, urls[name])
                    dash_urls = loaded if name == "dashboard" else dash_urls
                # where the dashboard's main thread spends its time until the chart is drawn
                profiles = [profile_once(browser, urls["dashboard"])[1] for _ in range(PROFILE_RUNS)]
                browser.close()
        finally:
            dash_server.terminate()
            dash_server.wait(timeout=10)
            static_server.shutdown()
    starts = Spread.of(cold_starts(args.starts))
    full_plotly_loaded = any("package_data/plotly.min.js" in u for u in dash_urls)

    spread = {name: Spread.of(values) for name, values in drawn.items()}
    dash_ms, full_ms, basic_ms = (spread[name].median for name in names)
    targets = [
        Target("First chart drawn, against a static page (full plotly.js)", spread[names[0]].text(),
               f"{spread[names[1]].text()}", f"{dash_ms / full_ms:.2f}×", f"≤ {FIRST_CHART_TARGET:.1f}×",
               dash_ms / full_ms <= FIRST_CHART_TARGET, "bench_page.py"),
        Target("First chart drawn, against a static page (basic plotly.js)", spread[names[0]].text(),
               f"{spread[names[2]].text()}", f"{dash_ms / basic_ms:.2f}×", f"≤ {BASIC_TARGET:.1f}×",
               dash_ms / basic_ms <= BASIC_TARGET, "bench_page.py"),
        Target("Bytes of the first load, compressed as served", f"{sent[names[0]] / 1024:,.0f} KiB", "–",
               f"{sent[names[0]] / 1024:,.0f} KiB", f"≤ {BYTES_TARGET_KIB} KiB",
               sent[names[0]] / 1024 <= BYTES_TARGET_KIB, "bench_page.py"),
        Target("Cold start: `membership serve` to its first page served", starts.text("s", 2), "–",
               f"{starts.median:.2f} s", f"≤ {COLD_START_TARGET:.1f} s", starts.median <= COLD_START_TARGET,
               "bench_page.py"),
    ]
    for target in targets:
        record_target(target)
    rows = [f"| {name} | {spread[name].median:,.0f} ms | {spread[name].low:,.0f} / {spread[name].high:,.0f} ms | "
            f"{sent[name] / 1024:,.0f} KiB | {raw[name] / 1024:,.0f} KiB |" for name in names]
    report = "\n".join([
        "## Page load (bench/bench_page.py)",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {machine()}; {versions()}.",
        f"{args.runs} rounds; each round loads every page once, in an order that rotates, in headless Chromium at "
        "1280x800 with a cold cache; time from navigation start to the first trace drawn in the chart's SVG. "
        "The static pages are `fig.write_html` of the same figure (plotly.js inlined), served by Python's "
        "http.server without compression; the dashboard is `membership serve`.",
        "",
        "| page | median navigation -> chart drawn | min / max | bytes sent, compressed as served | bytes, uncompressed |",
        "|---|---:|---:|---:|---:|",
        *rows,
        "",
        f"Ratios: dashboard / static full **{dash_ms / full_ms:.2f}** (target ≤ {FIRST_CHART_TARGET}), "
        f"dashboard / static basic **{dash_ms / basic_ms:.2f}** (target ≤ {BASIC_TARGET}).",
        f"In the dashboard the layout (with the chart's figure) had arrived at a median of "
        f"{Spread.of(layout_at).median:,.0f} ms; the full plotly.js was {'LOADED' if full_plotly_loaded else 'never loaded'}.",
        "",
        f"Server cold start (`membership serve` to page layout served, the package byte-compiled as "
        f"`pip install` leaves it): {starts.text('s', 2)}.",
        "",
        f"Where the dashboard's main thread spends its time until the chart is drawn (CPU profile from Chromium's "
        f"DevTools protocol, self time by script, median of {PROFILE_RUNS}; bench/profile_page.py):",
        "",
        "| script | ms |",
        "|---|---:|",
        *[f"| {script} | {ms:,.0f} |" for script, ms in script_times(profiles)[:10]],
        "",
        "Everything but plotly.js is Dash's renderer, React and dcc starting (the Babel polyfill and dash_table are "
        "no longer loaded: web/page_scripts.py), which the static page does not have: drawing the first chart "
        "before Dash starts (a chart laid over the graph's place until dcc.Graph has drawn, as React's root wipes "
        "what is inside it) is what the 1.3× target would need.",
        "",
    ])
    publish(report, write=not args.no_write)


if __name__ == "__main__":
    main()
