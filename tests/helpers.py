"""Small helpers shared by the browser tests."""
from __future__ import annotations

CHART = "#membership-chart .js-plotly-plot"


def wait_for_chart(page) -> None:
    page.wait_for_selector(f"{CHART} .main-svg")
    page.wait_for_function("() => !document.querySelector('[data-dash-is-loading]')")


def plotted_traces(page) -> list[dict]:
    """The traces as plotly drew them in the page: name, x, y and mode."""
    return page.evaluate(
        f"""() => document.querySelector('{CHART}').data.map(t => ({{
            name: t.name, x: Array.from(t.x), y: Array.from(t.y), mode: t.mode, customdata: t.customdata || null
        }}))"""
    )


def trace_named(page, name: str) -> dict | None:
    return next((t for t in plotted_traces(page) if t["name"] == name), None)


def save_screenshot(page, name: str) -> None:
    """Screenshots go to test-results/ on every run, and into docs/ (the README's pictures) when
    UPDATE_DOCS_SCREENSHOTS=1, so an ordinary test run leaves the repository unchanged."""
    import os
    import shutil
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    results = root / "test-results"
    results.mkdir(exist_ok=True)
    page.screenshot(path=str(results / name), full_page=False)
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS") == "1":
        (root / "docs").mkdir(exist_ok=True)
        shutil.copyfile(results / name, root / "docs" / name)


def free_port() -> int:
    """A port nobody listens on now, for a server started as its own process."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def drawn_values(page) -> dict[str, dict[int, float]]:
    """{trace name: {x: y}} as the page's chart drew it; the bars of one party (rises and falls
    are two traces with one name) are merged, gaps (None) left out."""
    values: dict[str, dict[int, float]] = {}
    for trace in plotted_traces(page):
        points = values.setdefault(trace["name"], {})
        points.update({int(x): float(y) for x, y in zip(trace["x"], trace["y"]) if y is not None})
    return values


def wait_for_view(page, query_part: str) -> None:
    """Until the address holds `query_part` and the chart is drawn for it."""
    page.wait_for_function("q => window.location.search.includes(q)", arg=query_part)
    wait_for_chart(page)
