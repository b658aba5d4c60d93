"""Lighthouse on the pages a reader opens, against a static page of the same chart in the same run.

Lighthouse 12.2.3 from npm (pinned by bench/lighthouse/package-lock.json; `npm ci` installs it on the
first run; Debian 12's nodejs 18 runs it) with Debian's Chromium, its default mobile profile (a slow
4G network and a CPU 4x slower, simulated) and its desktop preset. The dashboard is served by
gunicorn (4 workers) on loopback, as a production install is; the reference is a static HTML page
that draws the same figure with the same plotly.js basic bundle (`fig.write_html`), and the static
site is what `membership build-site` writes, both served compressed by a small server here.

Every page is measured `--runs` times on each form factor, in an order that rotates each round, so
the reference page is measured alternately with the others; the table has the medians.

    python -m bench.bench_lighthouse [--runs 3] [--no-write] [--reports DIR]

`--reports DIR` keeps every run's report (`<form>-<page>-<round>.json`): an audit that scores under 0.9
in one run of three is read there, not guessed at.
"""
from __future__ import annotations

import argparse
import gzip
import http.server
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.results import Target, machine, publish, record_target, versions
from testkit.chromium import CHROMIUM, CHROMIUM_ARGS
from testkit.ports import free_port

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
LIGHTHOUSE_DIR = HERE / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
WORKERS = 4
FIVE_PARTIES = "?parties=labour,conservative,libdem,snp,reform"
EMBED_VIEW = "?parties=labour,reform"
REFERENCE = "static page of the same chart (reference)"
PAGES = {  # name -> path on the dashboard, or a file of the static folder
    "dashboard `/`": ("dash", "/"),
    "dashboard, five parties": ("dash", "/" + FIVE_PARTIES),
    "`/embed`, two parties": ("dash", "/embed" + EMBED_VIEW),
    "static site's page (`build-site`)": ("static", "site/index.html"),
    REFERENCE: ("static", "reference.html"),
}
DASHBOARD_PAGES = ("dashboard `/`", "dashboard, five parties")
METRICS = {"largest-contentful-paint": "LCP", "total-blocking-time": "TBT", "cumulative-layout-shift": "CLS",
           "first-contentful-paint": "FCP", "speed-index": "SI", "total-byte-weight": "bytes"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TEXT_TYPES = (".html", ".js", ".css", ".svg", ".json", ".txt", ".csv")


def ensure_lighthouse() -> None:
    """Lighthouse as pinned (npm ci), unless it is installed already."""
    if LIGHTHOUSE.exists():
        return
    if shutil.which("npm") is None:
        raise SystemExit("bench_lighthouse needs npm (apt-get install npm) to install Lighthouse")
    subprocess.run(["npm", "ci", "--prefix", str(LIGHTHOUSE_DIR), "--no-audit", "--no-fund", "--loglevel=error"],
                   check=True)


def write_static_pages(directory: Path) -> None:
    """reference.html: the default view's figure as `fig.write_html` writes it, with the basic bundle
    inlined; site/: `membership build-site` of the same view."""
    from dashboard.chart import plotly_bundle
    from dashboard.chart.figure import build_figure
    from dashboard.chart.screen_sizes import PAGE_DESKTOP
    from dashboard.core.dataset import load_dataset
    from dashboard.core.view import View, resolve
    from dashboard.export.image import make_spec
    from dashboard.export.site import build_site

    dataset = load_dataset()
    view = resolve(View(), dataset)
    figure = build_figure(dataset, view, width=PAGE_DESKTOP.width, height=PAGE_DESKTOP.height)
    page = directory / "reference.html"
    figure.write_html(page, include_plotlyjs=False, full_html=True, config={"responsive": True})
    text = page.read_text(encoding="utf-8")
    bundle = plotly_bundle.bundle_bytes().decode("utf-8")
    head = '<head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1">'
    text = text.replace('<head><meta charset="utf-8" />', head + "<title>Labour membership</title>", 1)
    text = text.replace("<body>", f'<body>\n<script type="text/javascript">{bundle}</script>', 1)
    page.write_text(text, encoding="utf-8")
    result = build_site(dataset, view, directory / "site", make_spec())
    if result.problems:
        raise SystemExit("build-site: " + "; ".join(result.problems))


class CompressingHandler(http.server.SimpleHTTPRequestHandler):
    """Files of a folder, gzip-compressed when the client accepts it (as any static host serves them)."""

    def log_message(self, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.suffix not in TEXT_TYPES or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "public, max-age=600")
        self.end_headers()
        return io.BytesIO(body)


def serve_static(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = lambda *a, **k: CompressingHandler(*a, directory=str(directory), **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def start_gunicorn(port: int, cache_dir: Path) -> subprocess.Popen:
    env = {**os.environ, "MEMBERSHIP_HOST": "127.0.0.1", "MEMBERSHIP_CACHE_DIR": str(cache_dir)}
    return subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
                             "--log-level", "warning", "dashboard.web.wsgi:server"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def fetch(url: str, timeout: float = 120) -> int:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        response.read()
        return response.status


def wait_until_served(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr.read() if process.stderr else ''}")
        try:
            fetch(url, timeout=5)
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


def warm(base: str) -> None:
    """Ask for every page and image a run will load, so no measured run waits for an image to be
    drawn for the first time (a reader's first request of a view does; each is made once)."""
    from dashboard.chart.screen_sizes import EMBED_SIZES, PAGE_SIZES, size_for
    from dashboard.core.dataset import load_dataset
    from dashboard.core.view import resolve, view_from_query
    from dashboard.web.first_paint import screen_url

    dataset = load_dataset()
    for query, sizes, viewports in (("", PAGE_SIZES, (412, 1350)), (FIVE_PARTIES, PAGE_SIZES, (412, 1350)),
                                    (EMBED_VIEW, EMBED_SIZES, (412, 1350))):
        view = resolve(view_from_query(query), dataset)
        for viewport in viewports:
            for _ in range(WORKERS * 2):  # each worker's memory; the default view's are on disk for all
                for scale in (1, 2):
                    fetch(base + screen_url("/", view, size_for(viewport, sizes), scale=scale).lstrip("/"))
    for kind, path in PAGES.values():
        if kind == "dash":
            for _ in range(WORKERS * 2):
                fetch(base + path.lstrip("/"))


def lighthouse(url: str, desktop: bool, out: Path) -> dict:
    """One Lighthouse run's report (JSON)."""
    command = ["node", str(LIGHTHOUSE), url, "--output=json", f"--output-path={out}", "--quiet",
               "--chrome-flags=--headless=new --no-sandbox", f"--only-categories={','.join(CATEGORIES)}"]
    if desktop:
        command.append("--preset=desktop")
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=600,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return json.loads(out.read_text(encoding="utf-8"))


@dataclass
class Runs:
    """A page's runs on one form factor: scores, metrics and the audits that scored under 0.9."""

    scores: dict[str, list[float]] = field(default_factory=dict)
    metrics: dict[str, list[float]] = field(default_factory=dict)
    weak: dict[str, list[float]] = field(default_factory=dict)  # audit title -> its scores
    index: list[float] = field(default_factory=list)  # Lighthouse's benchmarkIndex of the machine, per run

    def add(self, report: dict) -> None:
        for name in CATEGORIES:
            score = report["categories"].get(name, {}).get("score")
            if score is not None:
                self.scores.setdefault(name, []).append(score * 100)
        for audit, short in METRICS.items():
            self.metrics.setdefault(short, []).append(report["audits"][audit]["numericValue"])
        for audit in report["audits"].values():
            if audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings") and audit.get("score") is not None \
                    and audit["score"] < 0.9:
                self.weak.setdefault(audit["title"], []).append(audit["score"])
        self.index.append(report["environment"]["benchmarkIndex"])

    def median(self, group: str, name: str) -> float:
        return statistics.median((self.scores if group == "score" else self.metrics)[name])


# What the page's largest contentful paint is, as Chromium reports it (Lighthouse 12.2.3's own audit of
# the element fails with this Chromium: "Cannot read properties of undefined (reading 'frame_sequence')").
LCP_PROBE = """
window.__lcp = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    const el = entry.element;
    window.__lcp.push(el ? el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ?
      '.' + el.className.trim().split(/\\s+/).join('.') : '') + (el.id ? '#' + el.id : '') : '(gone)');
  }
}).observe({type: 'largest-contentful-paint', buffered: true});
"""


def lcp_elements(urls: dict[str, str]) -> dict[tuple[str, str], str]:
    """{(page, form): the element of its largest contentful paint}, at Lighthouse's two screen sizes."""
    from playwright.sync_api import sync_playwright

    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for form, options in (("mobile", {"viewport": {"width": 412, "height": 823}, "is_mobile": True,
                                          "has_touch": True, "device_scale_factor": 1.75}),
                              ("desktop", {"viewport": {"width": 1350, "height": 940}})):
            for name, url in urls.items():
                context = browser.new_context(**options)
                context.add_init_script(LCP_PROBE)
                page = context.new_page()
                page.goto(url)
                page.wait_for_load_state("networkidle")
                entries = page.evaluate("window.__lcp")
                found[(name, form)] = entries[-1] if entries else "(none)"
                context.close()
        browser.close()
    return found


def report_name(page: str) -> str:
    """A page's name as a file name: "dashboard, five parties" -> "dashboard-five-parties"."""
    return "-".join("".join(c if c.isalnum() else " " for c in page.lower()).split())


def row(name: str, form: str, runs: Runs) -> str:
    m = runs.median
    return (f"| {name} | {form} | **{m('score', 'performance'):.0f}** | {m('metric', 'LCP') / 1000:.2f} s | "
            f"{m('metric', 'TBT'):,.0f} ms | {m('metric', 'CLS'):.3f} | {m('metric', 'bytes') / 1024:,.0f} KiB | "
            f"{m('metric', 'FCP') / 1000:.2f} s | {m('metric', 'SI') / 1000:.2f} s | "
            f"{m('score', 'accessibility'):.0f} / {m('score', 'best-practices'):.0f} / {m('score', 'seo'):.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print only; do not update bench/RESULTS.md")
    parser.add_argument("--reports", type=Path, help="keep every run's Lighthouse report (JSON) in this folder")
    args = parser.parse_args()
    ensure_lighthouse()
    load_before = os.getloadavg()
    results: dict[tuple[str, str], Runs] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_static_pages(folder)
        static_server, static_root = serve_static(folder)
        port = free_port()
        dashboard = start_gunicorn(port, folder / "cache")
        base = f"http://127.0.0.1:{port}/"
        try:
            wait_until_served(base + "robots.txt", dashboard)
            warm(base)
            urls = {name: (base + path.lstrip("/") if kind == "dash" else static_root + path)
                    for name, (kind, path) in PAGES.items()}
            names = list(PAGES)
            for round_ in range(args.runs):
                order = names[round_ % len(names):] + names[:round_ % len(names)]
                for form in ("mobile", "desktop"):
                    for name in order:
                        out = folder / "report.json"
                        if args.reports:
                            args.reports.mkdir(parents=True, exist_ok=True)
                            out = args.reports / f"{form}-{report_name(name)}-{round_ + 1}.json"
                        report = lighthouse(urls[name], form == "desktop", out)
                        results.setdefault((name, form), Runs()).add(report)
                        print(f"round {round_ + 1} {form:7s} {name}: {report['categories']['performance']['score']}",
                              flush=True)
            elements = lcp_elements(urls)
        finally:
            dashboard.terminate()
            dashboard.wait(timeout=30)
            static_server.shutdown()
    load_after = os.getloadavg()
    report_results(results, elements, args, load_before, load_after)


def report_results(results: dict[tuple[str, str], Runs], elements: dict[tuple[str, str], str],
                   args: argparse.Namespace, load_before: tuple, load_after: tuple) -> None:
    reference = {form: results[(REFERENCE, form)] for form in ("mobile", "desktop")}
    ref_score = reference["mobile"].median("score", "performance")
    ref_lcp = {form: reference[form].median("metric", "LCP") for form in reference}
    targets: list[Target] = []
    for name in DASHBOARD_PAGES:
        mobile, desktop = results[(name, "mobile")], results[(name, "desktop")]
        score, lcp = mobile.median("score", "performance"), mobile.median("metric", "LCP")
        targets += [
            Target(f"Lighthouse mobile performance, {name}", f"{score:.0f}", f"{ref_score:.0f} (reference, same run)",
                   f"{score:.0f} vs {ref_score:.0f}", "≥ the reference's", score >= ref_score, "bench_lighthouse.py"),
            Target(f"Lighthouse mobile LCP, {name}", f"{lcp / 1000:.2f} s", f"{ref_lcp['mobile'] / 1000:.2f} s (reference)",
                   f"{lcp / 1000:.2f} s", "≤ 1.5 s and ≤ the reference's", lcp <= 1500 and lcp <= ref_lcp["mobile"],
                   "bench_lighthouse.py"),
            Target(f"Lighthouse CLS, mobile / desktop, {name}",
                   f"{mobile.median('metric', 'CLS'):.3f} / {desktop.median('metric', 'CLS'):.3f}", "–",
                   f"{max(mobile.median('metric', 'CLS'), desktop.median('metric', 'CLS')):.3f}", "≤ 0.05",
                   max(mobile.median("metric", "CLS"), desktop.median("metric", "CLS")) <= 0.05, "bench_lighthouse.py"),
            Target(f"Lighthouse desktop performance, {name}", f"{desktop.median('score', 'performance'):.0f}",
                   f"{reference['desktop'].median('score', 'performance'):.0f} (reference)",
                   f"{desktop.median('score', 'performance'):.0f}", "≥ 95",
                   desktop.median("score", "performance") >= 95, "bench_lighthouse.py"),
            Target(f"Lighthouse desktop LCP, {name}", f"{desktop.median('metric', 'LCP') / 1000:.2f} s",
                   f"{ref_lcp['desktop'] / 1000:.2f} s (reference)", f"{desktop.median('metric', 'LCP') / 1000:.2f} s",
                   "≤ the reference's", desktop.median("metric", "LCP") <= ref_lcp["desktop"], "bench_lighthouse.py"),
        ]
    embed = results[("`/embed`, two parties", "mobile")]
    embed_score, embed_bytes = embed.median("score", "performance"), embed.median("metric", "bytes") / 1024
    targets += [
        Target("Lighthouse mobile performance, `/embed`", f"{embed_score:.0f}", f"{ref_score:.0f} (reference)",
               f"{embed_score:.0f}", "≥ 95", embed_score >= 95, "bench_lighthouse.py"),
        Target("`/embed`: bytes before the first touch", f"{embed_bytes:,.0f} KiB", "–", f"{embed_bytes:,.0f} KiB",
               "≤ 150 KiB", embed_bytes <= 150, "bench_lighthouse.py"),
    ]
    for target in targets:
        record_target(target)

    lines = [
        "## Lighthouse (bench/bench_lighthouse.py)",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {machine()}; {versions()}; Lighthouse 12.2.3.",
        f"Load average (1, 5, 15 min) before: {', '.join(f'{x:.1f}' for x in load_before)}; after: "
        f"{', '.join(f'{x:.1f}' for x in load_after)}. Lighthouse's own measure of the machine (benchmarkIndex, "
        f"median): {statistics.median(i for r in results.values() for i in r.index):.0f}.",
        f"Median of {args.runs} runs per page and form factor, the pages in an order rotating each round, the "
        "reference measured alternately with the others. Mobile: Lighthouse's default (Moto G Power, slow 4G, CPU "
        "4× slower, simulated); desktop: `--preset=desktop`. The dashboard under gunicorn (4 workers) on loopback, "
        "its images already made (a first request of a view draws its image once); the reference (`fig.write_html` "
        "of the same figure with the basic plotly.js inlined) and the static site served gzip-compressed.",
        "",
        "| page | form | performance | LCP | TBT | CLS | bytes | FCP | Speed Index | accessibility / best practices / SEO |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for form in ("mobile", "desktop"):
        for name in PAGES:
            lines.append(row(name, form, results[(name, form)]))
    lines += ["", "The element of each page's largest contentful paint (Chromium's report, at 412×823 and 1350×940):", ""]
    for name in PAGES:
        lines.append(f"- {name}: mobile `{elements[(name, 'mobile')]}`, desktop `{elements[(name, 'desktop')]}`")
    lines += ["", "Audits that scored under 0.9 in any run (median score, runs under 0.9 of all):", ""]
    for (name, form), runs in results.items():
        for title, scores in sorted(runs.weak.items()):
            lines.append(f"- {name}, {form}: {title}: {statistics.median(scores):.2f} ({len(scores)} of {args.runs})")
    lines.append("")
    publish("\n".join(lines), write=not args.no_write)


if __name__ == "__main__":
    main()
