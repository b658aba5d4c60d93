"""The page in real headless Chromium against a real server: what a reader sees and does."""
from __future__ import annotations

from pathlib import Path

import pytest
from helpers import js_party_trace, party_trace, plotted_traces, save_screenshot, show_export_preview, wait_for_chart
from playwright.sync_api import expect

from dashboard.core.dataset import load_dataset

pytestmark = pytest.mark.browser


def year_end_values(data_path: Path, party: str, start: int, end: int) -> dict[int, int]:
    figures = load_dataset(data_path).year_ends()
    rows = figures[(figures["party"] == party) & figures["year"].between(start, end)]
    return dict(zip(rows["year"].astype(int), rows["members"].astype(int)))


def points(trace: dict) -> dict[int, int]:
    """{year: members} of a year-end trace as drawn (each point's date is in its customdata)."""
    return {int(d[:4]): int(y) for d, y in zip(trace["customdata"], trace["y"]) if d and y is not None}


def test_page_plots_the_labour_year_end_figures_of_the_data_file(live_server, browser_page, data_dir):
    page = browser_page
    page.goto(live_server.url)
    wait_for_chart(page)
    labour = party_trace(page, "labour")
    assert labour is not None, [t["name"] for t in plotted_traces(page)]
    end = int(load_dataset(data_dir / "membership.csv").counts.query("party == 'labour'")["year"].max())
    assert points(labour) == year_end_values(data_dir / "membership.csv", "labour", 1989, end)
    expect(page.locator("#membership-chart").get_by_text(f"Labour membership, 1989–{end}")).to_have_count(1)
    expect(page.locator("#figures-table tbody tr")).to_have_count(
        len(load_dataset(data_dir / "membership.csv").counts.query("party == 'labour' and 1989 <= year")))
    save_screenshot(page, "screenshot.png")
    assert page.console_log.errors() == []


def test_adding_a_party_and_narrowing_the_range_redraws_chart_table_and_url(live_server, browser_page, data_dir):
    page = browser_page
    page.goto(live_server.url)
    wait_for_chart(page)
    page.locator("#party-select").click()
    page.locator(".dash-dropdown-option", has_text="SNP").click()
    page.keyboard.press("Escape")
    page.wait_for_function(f"() => Boolean({js_party_trace('snp')})")
    start = page.get_by_label("First year")
    start.fill("2010")
    start.press("Enter")
    page.wait_for_function(f"() => {js_party_trace('labour')}.customdata[0] === '2010-12-31'")
    data = data_dir / "membership.csv"
    assert points(party_trace(page, "labour")) == year_end_values(data, "labour", 2010, 2025)
    assert points(party_trace(page, "snp")) == year_end_values(data, "snp", 2010, 2025)
    assert "parties=labour,snp" in page.url and "start=2010" in page.url
    expect(page.locator("#figures-table tbody tr", has_text="SNP").first).to_be_visible()  # the table follows the chart
    assert page.console_log.errors() == []


def test_a_shared_link_opens_the_same_view(live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/?parties=labour,libdem&start=2005&end=2020&leaders=0")
    wait_for_chart(page)
    page.wait_for_function(f"() => Boolean({js_party_trace('libdem')})")
    labour = [d for d in party_trace(page, "labour")["customdata"] if d]
    assert (labour[0], labour[-1]) == ("2005-12-31", "2020-12-31")
    expect(page.locator("#membership-chart").get_by_text("GE 2010")).to_have_count(1)  # annotations drawn, but
    expect(page.locator("#membership-chart").get_by_text("Tony Blair")).to_have_count(0)  # no leaders' terms
    assert page.console_log.errors() == []


def test_annotations_switch_off(live_server, browser_page):
    page = browser_page
    page.goto(live_server.url)
    wait_for_chart(page)
    elections = page.locator("#membership-chart").get_by_text("GE 1997")
    expect(elections).to_have_count(1)
    page.locator("#annotations label", has_text="General elections").click()
    expect(elections).to_have_count(0)
    assert page.console_log.errors() == []


@pytest.mark.parametrize("browser_page", [{"width": 390, "height": 844}], indirect=True)
def test_page_fits_a_phone_without_sideways_scrolling(live_server, browser_page):
    page = browser_page
    page.goto(live_server.url)
    wait_for_chart(page)
    # the phone reports its width and the chart is re-laid out for it (y ticks in the short form)
    page.wait_for_function("() => document.querySelector('#membership-chart .js-plotly-plot').layout.yaxis.tickformat === '~s'")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    save_screenshot(page, "screenshot-phone.png")
    assert page.console_log.errors() == []


def test_chart_toolbar_offers_the_png_download_and_nothing_that_uploads_it(live_server, browser_page):
    page = browser_page
    page.goto(live_server.url)
    wait_for_chart(page)
    titles = page.evaluate("Array.from(document.querySelectorAll('#membership-chart .modebar-btn'))"
                           ".map(e => e.getAttribute('data-title'))")
    assert "Download plot as a PNG" in titles
    assert not any("Share" in (t or "") for t in titles)


def test_panels_arrive_after_the_chart_and_the_export_preview_fits_its_frame(live_server, browser_page):
    page = browser_page
    page.goto(live_server.url)
    wait_for_chart(page)
    page.wait_for_selector("#upload-data")
    show_export_preview(page)
    page.wait_for_function("() => document.getElementById('export-preview-inner').style.transform.startsWith('scale(')")
    frame = page.locator("#export-preview-frame").bounding_box()
    drawn = page.locator("#export-preview .main-svg").first.bounding_box()
    assert drawn["width"] <= frame["width"] + 1
    assert page.console_log.errors() == []
