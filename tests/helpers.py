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
