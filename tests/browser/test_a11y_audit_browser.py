"""An automated accessibility audit of the page in real Chromium: axe-core (from the npm registry,
pinned by tests/browser/package-lock.json) injected with Playwright finds no serious or critical
violation at laptop and phone widths, with every panel on the page and every fold open."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import show_export_preview, wait_for_chart
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PACKAGE_DIR = Path(__file__).resolve().parent
AXE = PACKAGE_DIR / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script; installed with `npm ci` from the lock file when it is not there yet
    (manage.sh test does the same). Missing and no npm: a failure under CI, a skip elsewhere."""
    if not AXE.exists() and shutil.which("npm"):
        subprocess.run(["npm", "ci", "--prefix", str(PACKAGE_DIR), "--no-audit", "--no-fund", "--loglevel=error"],
                       check=True, timeout=300)
    if not AXE.exists():
        message = f"axe-core not found at {AXE}: run `npm ci --prefix tests/browser` (Debian: apt-get install npm)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def audit(page, axe_source: str) -> list[dict]:
    """axe's serious and critical violations on the page as it is now. The script is evaluated
    through the DevTools protocol, which a Content-Security-Policy does not restrict."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [{"rule": v["id"], "impact": v["impact"], "help": v["help"],
             "where": [" ".join(n["target"]) for n in v["nodes"]][:5]}
            for v in results["violations"] if v["impact"] in ("serious", "critical")]


def open_everything(page) -> None:
    """The panels arrive after the chart; the folded sections are opened as a reader would."""
    show_export_preview(page)
    page.wait_for_selector("#upload-data")
    folded = page.locator("details:not([open]) > summary")
    while folded.count():
        folded.first.click()
    page.wait_for_function("() => !document.querySelector('details:not([open])')")
    # the page's ARIA repairs (assets/aria_repairs.js) run on the next animation frame
    page.wait_for_function("() => document.getElementById('party-select').hasAttribute('aria-label')")
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


VIEWS = {"default": "", "five parties, change": "?parties=labour,conservative,libdem,snp,green&measure=change",
         "index with a party not indexed": "?parties=labour,reform&measure=index&base=2010"}


@pytest.mark.parametrize("browser_page", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
                         indirect=True, ids=["1280", "390"])
@pytest.mark.parametrize("query", VIEWS.values(), ids=VIEWS.keys())
def test_page_with_its_panels_open_has_no_serious_or_critical_accessibility_violation(live_server, browser_page,
                                                                                      axe_source, query):
    page = browser_page
    page.goto(live_server.url + "/" + query)
    wait_for_chart(page)
    open_everything(page)
    assert audit(page, axe_source) == []


def test_the_party_picker_open_has_no_serious_or_critical_accessibility_violation(live_server, browser_page, axe_source):
    page = browser_page
    page.goto(live_server.url)
    wait_for_chart(page)
    open_everything(page)
    page.locator("#party-select").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".dash-dropdown-option")
    assert audit(page, axe_source) == []


def test_the_chart_is_described_by_its_alt_text_and_named_by_its_title(live_server, browser_page):
    page = browser_page
    page.goto(live_server.url + "/?measure=change-percent")
    wait_for_chart(page)
    figure = page.locator("#chart-figure")
    expect(figure).to_have_accessible_name("Change in Labour membership on the previous year-end, %, 1989–2024")
    description = page.locator("#" + figure.get_attribute("aria-describedby"))
    expect(description).to_have_text(re.compile(r"^Bar chart: Change in Labour membership on the previous year-end, %"))
    for words in ("largest fall", "the table “The figures shown”"):
        expect(description).to_contain_text(words)
    expect(figure).to_have_accessible_description(re.compile("largest fall"))
