"""The page draws with the basic plotly.js only, keeps hover and the table, and works without the
browser's cache (every file fetched anew)."""
from __future__ import annotations

import pytest
from helpers import CHART, show_export_preview, wait_for_chart
from playwright.sync_api import expect

from dashboard.chart import plotly_bundle

pytestmark = pytest.mark.browser


def test_page_draws_with_the_basic_plotly_bundle_and_never_loads_the_full_one(live_server, browser_page):
    page = browser_page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url)
    wait_for_chart(page)
    show_export_preview(page)  # the panels' charts too
    assert page.evaluate("window.Plotly.version") == plotly_bundle.VERSION
    assert any(plotly_bundle.FILENAME in url for url in requested)
    assert not any("plotly.min.js" in url for url in requested), [u for u in requested if "plotly" in u]
    # neither @babel/polyfill nor dash_table is loaded; dash's bundles find the regeneratorRuntime they call
    assert not [url for url in requested if "polyfill" in url or "dash_table" in url]
    assert page.evaluate("typeof window.regeneratorRuntime.mark") == "function"
    page.locator(f"{CHART} .scatterlayer .trace .points path").first.hover(force=True)
    expect(page.locator(f"{CHART} .hoverlayer .hovertext").first).to_contain_text("members")
    assert page.console_log.errors() == []


def test_page_works_with_the_browser_cache_disabled(live_server, browser_page):
    page = browser_page
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.setCacheDisabled", {"cacheDisabled": True})
    for _ in range(2):  # the first load and a reload, each fetching everything again
        page.goto(f"{live_server.url}/?parties=labour,snp")
        wait_for_chart(page)
        page.wait_for_function(f"() => document.querySelector('{CHART}').data.some(t => t.name === 'SNP')")
        expect(page.locator("#figures-table tbody tr", has_text="SNP").first).to_be_visible()
    assert page.console_log.errors() == []
