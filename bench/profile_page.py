"""Where a page's first load spends its main-thread time: a CPU profile from Chromium's DevTools
protocol, summed by script (self time) from navigation until the chart is drawn.

    python -m bench.profile_page URL [--runs 3]
"""
from __future__ import annotations

import argparse
import collections
import statistics

from bench.probes import DRAWN_PROBE
from testkit.chromium import CHROMIUM, CHROMIUM_ARGS


def script_name(url: str) -> str:
    """A short name for a script URL: its file name without the fingerprint or query."""
    if not url:
        return "(native, GC, layout and paint)"
    name = url.split("?")[0].rsplit("/", 1)[-1]
    return name or url


def profile_once(browser, url: str) -> tuple[float, dict[str, float]]:
    """Milliseconds to the chart drawn, and milliseconds of self time by script until then."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(DRAWN_PROBE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 200})
    cdp.send("Profiler.start")
    page.goto(url)
    page.wait_for_function("() => window.__drawn !== undefined", timeout=60_000)
    drawn = page.evaluate("window.__drawn")
    profile = cdp.send("Profiler.stop")["profile"]
    context.close()
    nodes = {node["id"]: node for node in profile["nodes"]}
    by_script: dict[str, float] = collections.Counter()
    for sample, delta in zip(profile["samples"], profile["timeDeltas"]):
        frame = nodes[sample]["callFrame"]
        if frame["functionName"] == "(idle)":
            continue
        key = script_name(frame["url"]) if frame["url"] else f"({frame['functionName'] or 'native'})"
        by_script[key] += delta / 1000
    return drawn, dict(by_script)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        profile_once(browser, args.url)
        runs = [profile_once(browser, args.url) for _ in range(args.runs)]
        browser.close()
    names = {name for _, spent in runs for name in spent}
    median = {name: statistics.median(spent.get(name, 0.0) for _, spent in runs) for name in names}
    print(f"chart drawn at {statistics.median(d for d, _ in runs):.0f} ms (median of {args.runs})")
    for name, ms in sorted(median.items(), key=lambda item: -item[1])[:20]:
        print(f"{ms:8.0f} ms  {name}")


if __name__ == "__main__":
    main()
