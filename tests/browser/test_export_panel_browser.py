"""The Export panel in headless Chromium against a real server: the files a reader gets."""
from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from helpers import expect_js, show_export_preview, wait_for_chart
from PIL import Image
from playwright.sync_api import expect

from dashboard.cli.main import main
from dashboard.core.dataset import load_dataset
from dashboard.core.view import resolve, view_from_query
from dashboard.export import warm_browser
from dashboard.export.image import filename_for

pytestmark = pytest.mark.browser


ROOT = Path(__file__).resolve().parents[2]
ALT_COPY = "#export-panel .export-copy[title='Copy the alt text']"  # the image link and embed code have their own


def save_element_screenshot(locator, name: str) -> None:
    """Like helpers.save_screenshot, for one element: test-results/ always, docs/ when
    UPDATE_DOCS_SCREENSHOTS=1 (the README shows the panel)."""
    results = ROOT / "test-results"
    results.mkdir(exist_ok=True)
    locator.screenshot(path=str(results / name))
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS") == "1":
        (ROOT / "docs" / name).write_bytes((results / name).read_bytes())


def wait_for_panel(page) -> None:
    wait_for_chart(page)
    show_export_preview(page)
    page.wait_for_function("() => !document.querySelector('[data-dash-is-loading]')")


def download(page, selector: str):
    with page.expect_download(timeout=60_000) as info:
        page.click(selector)
    return info.value


@pytest.mark.kaleido
def test_download_button_gives_the_cli_file_at_the_chosen_size(live_server, browser_page, data_dir, tmp_path):
    page = browser_page
    page.goto(live_server.url + "/?parties=labour,snp&start=2000")
    wait_for_panel(page)
    got = download(page, "#export-png")
    # the range runs to the latest figure of any date for these parties: read from the data, not pinned
    view = resolve(view_from_query("parties=labour,snp&start=2000"), load_dataset(data_dir / "membership.csv"))
    assert got.suggested_filename == filename_for(view, "png") == f"labour-snp-membership-2000-{view.end}.png"
    data = Path(got.path()).read_bytes()
    assert Image.open(io.BytesIO(data)).size == (2400, 1350)
    cli = tmp_path / "cli.png"
    assert main(["export", "--out", str(cli), "--parties", "labour,snp", "--start", "2000",
                 "--data", str(data_dir / "membership.csv")]) == 0
    assert cli.read_bytes() == data

    page.get_by_label("Square 1080×1080").check()
    page.get_by_label("1×", exact=True).check()
    page.wait_for_function("() => document.getElementById('export-size-note').textContent.includes('1080×1080')")
    assert Image.open(io.BytesIO(Path(download(page, "#export-png").path()).read_bytes())).size == (1080, 1080)
    assert page.console_log.errors() == []


def test_camera_button_follows_the_panel_and_alt_text_is_there(live_server, browser_page):
    page = browser_page
    page.goto(live_server.url)
    wait_for_panel(page)
    page.get_by_label("Wide 1600×900").check()
    expect_js(page, "() => document.querySelector('#membership-chart .js-plotly-plot')._context.toImageButtonOptions.width",
              1600)
    page.locator("#membership-chart").hover()
    camera = download(page, "#membership-chart [data-title='Download plot as a PNG']")
    assert camera.suggested_filename == "labour-membership-1989-2025.png"
    with Image.open(camera.path()) as picture:
        assert picture.size == (3200, 1800)
    expect(page.locator("#export-alt")).to_have_value(re.compile(r"^Line chart: Labour membership.*peak", re.S))
    expect(page.locator(ALT_COPY)).to_have_count(1)
    assert page.console_log.errors() == []


def test_custom_size_out_of_bounds_says_so_and_disables_download(live_server, browser_page):
    page = browser_page
    page.goto(live_server.url)
    wait_for_panel(page)
    width = page.locator("#export-width")
    width.fill("5000")
    width.press("Enter")
    expect(page.locator("#export-png")).to_be_disabled()
    expect(page.locator("#export-message")).to_contain_text("between 200 and 4000")
    expect(page.locator("#export-preset input[value='custom']")).to_be_checked()


def test_without_a_browser_the_panel_says_how_to_install_one(live_server, browser_page, monkeypatch):
    monkeypatch.setattr(warm_browser, "find_browser", lambda: None)

    def missing(*args, **kwargs):
        raise warm_browser.BrowserMissing()

    monkeypatch.setattr("dashboard.web.export_panel.download_for", missing)
    page = browser_page
    page.goto(live_server.url)
    wait_for_panel(page)
    notice = page.locator("#export-browser")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("apt-get install chromium")
    page.click("#export-png")
    expect(page.locator("#export-message")).to_contain_text("apt-get")
    page.locator("#membership-chart").hover()
    camera = download(page, "#membership-chart [data-title='Download plot as a PNG']")
    with Image.open(camera.path()) as picture:
        assert picture.size == (2400, 1350)


@pytest.mark.parametrize("browser_page", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
                         indirect=True, ids=["laptop", "phone"])
def test_panel_fits_the_screen(live_server, browser_page):
    page = browser_page
    page.goto(live_server.url)
    wait_for_panel(page)
    panel = page.locator("#export-panel")
    box = panel.bounding_box()
    width = page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    save_element_screenshot(panel, f"export-panel-{width}.png")


COPIED_THE_ALT_TEXT = "async () => (await navigator.clipboard.readText()) === document.getElementById('export-alt').value"


def test_copy_button_copies_the_alt_text_of_the_current_view(live_server, chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/?parties=labour,libdem&start=2010")
        wait_for_panel(page)
        page.wait_for_function("() => document.getElementById('export-alt').value.includes('Liberal Democrats')")
        page.locator(ALT_COPY).click()
        page.wait_for_function(COPIED_THE_ALT_TEXT)
        copied = page.evaluate("() => navigator.clipboard.readText()")
        expect(page.locator("#export-alt")).to_have_value(copied)
        assert "Liberal Democrats: " in copied
        title = page.locator("#export-title")  # the text changes after the first draw: still copied whole
        title.fill("Labour and the Lib Dems since 2010")
        title.press("Enter")
        page.wait_for_function("() => document.getElementById('export-alt').value.includes('since 2010')")
        page.locator(ALT_COPY).click()
        page.wait_for_function(COPIED_THE_ALT_TEXT)
        assert page.evaluate("() => navigator.clipboard.readText()").startswith(
            "Line chart: Labour and the Lib Dems since 2010.")
    finally:
        context.close()


def test_the_preview_is_drawn_once_the_panel_is_on_screen_for_the_view_then_shown(live_server, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url)
    wait_for_chart(page)
    page.wait_for_selector("#export-preview-frame")
    preview = "(document.querySelector('#export-preview .js-plotly-plot') || {data: []}).data.length"
    assert page.evaluate(preview) == 0  # the panel is below the first screen: nothing drawn yet
    box = page.get_by_label("First year")
    box.fill("2001")
    box.press("Enter")
    page.wait_for_function("() => window.location.search.includes('start=2001')")
    # the export panel has answered for the new view (the camera button follows it, on screen or not)...
    page.wait_for_function("() => document.querySelector('#membership-chart .js-plotly-plot')"
                           "._context.toImageButtonOptions.filename.startsWith('labour-membership-2001-')")
    page.wait_for_function("() => !document.querySelector('[data-dash-is-loading]')")
    assert page.evaluate(preview) == 0  # ...and a view changed off screen cost the server no preview
    show_export_preview(page)  # on screen: drawn, for the view the chart shows now
    page.wait_for_function("() => document.querySelector('#export-preview').textContent.includes('2001')")
    assert page.console_log.errors() == []
