"""Comparing parties in a real browser: Labour + Reform and the five-party view open on the latest
figures, with their bases, labelled lines, the latest-figures panel and its sentence."""
from __future__ import annotations

import re

import pytest
from helpers import js_party_trace, party_trace, save_screenshot, show_export_preview, wait_for_chart
from playwright.sync_api import expect

from dashboard.core.dataset import load_dataset

pytestmark = pytest.mark.browser
FIVE = "labour,conservative,reform,green,libdem"
PHONE = {"width": 390, "height": 844}


def latest_dated(data_dir, party: str) -> tuple[str, int]:
    rows = load_dataset(data_dir / "membership.csv").other_dates().query("party == @party").sort_values("as_of")
    return str(rows.iloc[-1]["as_of"]), int(rows.iloc[-1]["members"])


def drawn(trace: dict) -> dict[str, int]:
    return {d: int(y) for d, y in zip(trace["customdata"], trace["y"]) if d and y is not None}


def label_boxes(page) -> list[dict]:
    """The drawn boxes of the chart's direct labels (the annotations beside the plot)."""
    return page.evaluate("""() => {
        const plot = document.querySelector('#membership-chart .js-plotly-plot');
        const names = plot.layout.annotations.map(a => a.name || '');
        return Array.from(plot.querySelectorAll('.annotation')).map(node => {
            const index = Number(node.getAttribute('data-index'));
            const box = node.querySelector('.annotation-text-g').getBoundingClientRect();
            return {name: names[index], left: box.left, right: box.right, top: box.top, bottom: box.bottom,
                    text: node.textContent};
        }).filter(b => b.name.startsWith('label-'));
    }""")


def plot_box(page) -> dict:
    return page.evaluate("""() => {
        const box = document.querySelector('#membership-chart .nsewdrag').getBoundingClientRect();
        return {left: box.left, right: box.right, top: box.top, bottom: box.bottom};
    }""")


def assert_apart(boxes: list[dict]) -> None:
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            apart = a["bottom"] <= b["top"] + 0.5 or b["bottom"] <= a["top"] + 0.5 or \
                a["right"] <= b["left"] or b["right"] <= a["left"]
            assert apart, f"{a['text']!r} overlaps {b['text']!r}"


@pytest.mark.parametrize("browser_page", [{"width": 1280, "height": 900}, PHONE], indirect=True, ids=["1280", "390"])
def test_labour_and_reform_open_on_the_december_2025_figures_with_the_panel_sentence(live_server, browser_page,
                                                                                      data_dir):
    page = browser_page
    page.goto(f"{live_server.url}/?parties=labour,reform")
    wait_for_chart(page)
    width = page.viewport_size["width"]
    if width < 700:
        page.wait_for_function("() => document.querySelector('#membership-chart .js-plotly-plot').layout.yaxis"
                               ".tickformat === '~s'")
    for party in ("labour", "reform"):
        date, members = latest_dated(data_dir, party)
        assert date.startswith("2025-12") and drawn(party_trace(page, party, "dated"))[date] == members
    sentence = page.locator("#latest-sentence")  # the panel under the chart follows it
    expect(sentence).to_have_text(re.compile("^" + re.escape(
        "The latest figures differ in basis: Reform UK's, 268,631 (the party's own claim, Dec 2025), is above "
        "Labour's, below 250,000 (internal figures reported by the press, Dec 2025)")))
    expect(sentence).to_contain_text("Labour's last audited figure is 333,235 (31 Dec 2024)")
    table = page.locator("#latest-table")
    for words in ("party's own claim", "press report", "none shown"):
        expect(table).to_contain_text(words)
    labels = {b["name"]: b["text"] for b in label_boxes(page)}
    assert "Reform" in labels["label-reform"] and "Labour" in labels["label-labour"]
    ticks = page.evaluate("() => document.querySelector('#membership-chart .js-plotly-plot').layout.xaxis.ticktext")
    assert ticks[-1] == "2025"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    save_screenshot(page, f"compare-labour-reform-{width}.png")
    assert page.console_log.errors() == []


@pytest.mark.parametrize("browser_page", [{"width": 1280, "height": 900}, PHONE], indirect=True, ids=["1280", "390"])
def test_five_parties_from_2015_to_2025_have_labels_that_never_overlap(live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/?parties={FIVE}&start=2015&end=2025")
    wait_for_chart(page)
    width = page.viewport_size["width"]
    if width < 700:
        page.wait_for_function("() => document.querySelector('#membership-chart .js-plotly-plot').layout.yaxis"
                               ".tickformat === '~s'")
    boxes = label_boxes(page)
    assert sorted(b["name"] for b in boxes) == sorted(f"label-{p}" for p in FIVE.split(","))
    assert_apart(boxes)
    plot = plot_box(page)
    assert all(b["left"] >= plot["right"] for b in boxes)  # beside the plot: never over the data
    ticks = page.evaluate("() => document.querySelector('#membership-chart .js-plotly-plot').layout.xaxis.ticktext")
    assert ticks[0] in ("2015", "2020") and ticks[-1] == "2025"
    expect(page.locator("#latest-sentence")).to_contain_text("differ in date and basis")
    expect(page.locator("#latest-table tbody tr")).to_have_count(5)
    save_screenshot(page, f"compare-five-{width}.png")
    assert page.console_log.errors() == []


def test_choosing_bases_filters_the_chart_and_goes_into_the_url(live_server, browser_page, data_dir):
    page = browser_page
    page.goto(f"{live_server.url}/?parties=labour,reform")
    wait_for_chart(page)
    for label in ("compilation", "press report", "party's own claim"):
        page.locator("#basis-select label", has_text=label).click()
        page.wait_for_function("() => !document.querySelector('[data-dash-is-loading]')")
    page.wait_for_function(f"() => !{js_party_trace('reform', 'dated')}")
    expect(page).to_have_url(re.compile(r"bases=accounts,party_report"))
    shown = set(load_dataset(data_dir / "membership.csv").counts.query(
        "party == 'labour' and basis in ('accounts', 'party_report')")["members"])
    labour = party_trace(page, "labour")
    assert drawn(labour) and set(drawn(labour).values()) <= shown
    expect(page.locator("#membership-chart")).to_contain_text("only audited accounts, party report")
    assert page.console_log.errors() == []


def test_an_unknown_basis_in_a_link_opens_every_basis_with_a_notice(live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/?parties=labour,reform&bases=rumour")
    wait_for_chart(page)
    notice = page.locator("#view-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("'rumour'")
    assert party_trace(page, "reform", "dated") is not None  # every basis, the party's own claim too
    page.locator("#basis-select label", has_text="press report").click()
    expect(notice).to_be_hidden()
    assert page.console_log.errors() == []


def test_one_click_puts_the_sentence_in_the_export_note_and_preview(live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/?parties=labour,reform")
    wait_for_chart(page)
    show_export_preview(page)
    sentence = page.locator("#latest-sentence").inner_text()
    page.click("#latest-to-note")
    page.wait_for_function("(s) => document.getElementById('export-note').value === s", arg=sentence)
    show_export_preview(page)  # the panel is further down the page than the latest figures: the reader scrolls to it
    page.wait_for_function("() => document.querySelector('#export-preview').textContent.includes('Note: The latest')")
    # the sentence once in the alt text, not once from the panel and again from the note
    once = "^(?!(.*The latest figures differ in basis){2}).*The latest figures differ in basis"
    expect(page.locator("#export-alt")).to_have_value(re.compile(once, re.S))
    assert page.console_log.errors() == []
