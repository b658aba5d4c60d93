"""Exploring and sharing in real headless Chromium against a real server: the measures, the view
in the link (a new browser opens it the same; Back and Forward), the party picker by keyboard
alone, the year boxes, the downloads and the empty state."""
from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from helpers import CHART, drawn_values, wait_for_chart
from playwright.sync_api import expect

from dashboard.chart.measure_labels import measure_title
from dashboard.core.dataset import load_dataset
from dashboard.core.measures import CHANGE, CHANGE_PERCENT, INDEX, MEMBERS
from dashboard.core.selection import shown_counts, shown_measures
from dashboard.core.view import View, resolve, view_from_link

pytestmark = pytest.mark.browser

FIVE = ("labour", "conservative", "libdem", "snp", "green")
ROOT = Path(__file__).resolve().parents[2]


def expected_values(data_path: Path, query: str) -> dict[str, dict[int, float]]:
    """What the chart of a link must draw, computed by the core: {party slug: {year: value}}."""
    dataset = load_dataset(data_path)
    view, _ = view_from_link(query, dataset)
    if view.measure == MEMBERS:
        year_ends = shown_counts(dataset, view).query("as_of == ''")
        return {p: {int(y): float(m) for y, m in zip(rows["year"], rows["members"])}
                for p, rows in year_ends.groupby("party", sort=False)}
    return {m.party: m.values for m in shown_measures(dataset, view) if m.values}


def assert_draws(page, data_path: Path, query: str) -> None:
    """The chart draws, for every party, the values the core computes for the link: no more, no fewer."""
    drawn = {party: values for party, values in drawn_values(page).items() if values}
    expected = expected_values(data_path, query)
    assert expected, f"{query} draws no values: a comparison would pass whatever the chart drew"
    assert drawn.keys() == expected.keys()
    for name, values in expected.items():
        assert drawn[name] == pytest.approx(values), name


def chart_text(page) -> str:
    return page.locator("#membership-chart").inner_text()


@pytest.mark.parametrize("browser_page", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
                         indirect=True, ids=["1280", "390"])
@pytest.mark.parametrize("parties", [("labour",), FIVE], ids=["labour", "five-parties"])
def test_every_measure_draws_its_values_title_and_axis(live_server, browser_page, data_dir, parties):
    page = browser_page
    width = page.viewport_size["width"]
    dataset = load_dataset(data_dir / "membership.csv")
    for measure, extra in ((MEMBERS, ""), (MEMBERS, "&scale=log"), (CHANGE, ""), (CHANGE_PERCENT, ""),
                           (INDEX, "&base=2010")):
        query = f"?parties={','.join(parties)}&measure={measure}{extra}"
        page.goto(live_server.url + "/" + query)
        wait_for_chart(page)
        if width < 700:  # the phone's own layout (smaller title), once it has told its width
            page.wait_for_function(f"() => document.querySelector('{CHART}').layout.title.font.size === 17")
        assert_draws(page, data_dir / "membership.csv", query)
        view = view_from_link(query, dataset)[0]
        title = measure_title([dataset.party_name(p) for p in view.parties], view)
        assert page.evaluate(f"document.querySelector('{CHART}').layout.title.text").replace("<br>", " ") == title
        kinds = set(page.evaluate(f"document.querySelector('{CHART}').data.map(t => t.type || 'scatter')"))
        assert kinds == ({"bar"} if measure in (CHANGE, CHANGE_PERCENT) else {"scatter"})
        if extra == "&scale=log":
            assert page.evaluate(f"document.querySelector('{CHART}').layout.yaxis.type") == "log"
        name = f"measure-{measure}{'-log' if extra == '&scale=log' else ''}-{'labour' if len(parties) == 1 else 'five'}-{width}.png"
        page.screenshot(path=str(ROOT / "test-results" / name))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.console_log.errors() == []


def test_change_bars_show_falls_below_zero_and_hatched(live_server, browser_page, data_dir):
    page = browser_page
    page.goto(live_server.url + "/?measure=change&start=2016&end=2024")
    wait_for_chart(page)
    bars = page.evaluate(f"""document.querySelector('{CHART}').data.map(t => ({{
        y: Array.from(t.y), shape: t.marker.pattern ? t.marker.pattern.shape : '' }}))""")
    falls = [b for b in bars if b["shape"] == "/"]
    rises = [b for b in bars if b["shape"] != "/"]
    assert falls and all(v < 0 for b in falls for v in b["y"])
    assert rises and all(v >= 0 for b in rises for v in b["y"])
    assert "Fall: −" in page.evaluate(f"document.querySelector('{CHART}').data.flatMap(t => t.hovertext).join(' ')")


def test_a_copied_link_restores_the_view_in_a_new_browser(live_server, chromium, data_dir):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(live_server.url)
    wait_for_chart(page)
    page.get_by_label("Indexed to a base year = 100").check()
    page.wait_for_function("() => window.location.search.includes('measure=index')")
    base = page.get_by_label("Base year (= 100)")
    base.fill("2010")
    base.press("Enter")
    page.wait_for_function("() => window.location.search.includes('base=2010')")
    page.get_by_label("Last year").fill("2020")
    page.get_by_label("Last year").press("Enter")
    page.wait_for_function("() => window.location.search.includes('end=2020')")
    page.locator("#annotations label", has_text="Leaders' terms").click()
    page.wait_for_function("() => window.location.search.includes('leaders=0')")
    page.get_by_role("button", name="Copy link").click()
    page.get_by_text("Link copied.").wait_for()
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == page.url and "leaders=0" in link
    expect(page.locator("#share-link")).to_have_value(link)
    drawn_here = drawn_values(page)
    context.close()

    fresh = chromium.new_context(viewport={"width": 1280, "height": 900})
    other = fresh.new_page()
    other.goto(link)
    wait_for_chart(other)
    assert drawn_values(other) == drawn_here
    query = link.split("?", 1)[1]
    assert_draws(other, data_dir / "membership.csv", "?" + query)
    expect(other.get_by_label("Indexed to a base year = 100")).to_be_checked()
    expect(other.get_by_label("Base year (= 100)")).to_have_value("2010")
    expect(other.get_by_label("Last year")).to_have_value("2020")
    # drawn, annotations and all (GE 2015: a laptop's 876 px chart shortens the 2017 election, two years on, to ’17)...
    expect(other.locator("#membership-chart").get_by_text("GE 2015")).to_have_count(1)
    expect(other.locator("#membership-chart").get_by_text("Tony Blair")).to_have_count(0)  # ...but no leaders
    expect(other).to_have_url(link)
    fresh.close()


def test_back_and_forward_move_between_views(live_server, browser_page, data_dir):
    page = browser_page
    page.goto(live_server.url + "/?parties=labour")
    wait_for_chart(page)
    first = page.url
    page.get_by_label("Change on the previous year-end, %").check()
    page.wait_for_function("() => window.location.search.includes('measure=change-percent')")
    wait_for_chart(page)
    second = page.url
    page.get_by_label("First year").fill("2000")
    page.get_by_label("First year").press("Enter")
    page.wait_for_function("() => window.location.search.includes('start=2000')")
    wait_for_chart(page)
    third = page.url

    page.go_back()
    page.wait_for_function("u => window.location.href === u", arg=second)
    page.wait_for_function(f"() => Math.min(...document.querySelector('{CHART}').data[0].x) < 2000")
    assert_draws(page, data_dir / "membership.csv", "?" + second.split("?", 1)[1])
    expect(page.get_by_label("First year")).not_to_have_value("2000")
    page.go_back()
    page.wait_for_function("u => window.location.href === u", arg=first)
    page.wait_for_function(f"() => document.querySelector('{CHART}').data[0].type !== 'bar'")
    expect(page.get_by_role("radio", name="Members")).to_be_checked()
    page.go_forward()
    page.wait_for_function("u => window.location.href === u", arg=second)
    page.wait_for_function(f"() => document.querySelector('{CHART}').data[0].type === 'bar'")
    page.go_forward()
    page.wait_for_function("u => window.location.href === u", arg=third)
    page.wait_for_function(f"() => Math.min(...document.querySelector('{CHART}').data.flatMap(t => Array.from(t.x))) >= 2000")
    expect(page.get_by_label("First year")).to_have_value("2000")
    assert page.console_log.errors() == []


def test_party_picker_works_by_keyboard_alone(live_server, browser_page):
    page = browser_page
    page.goto(live_server.url)
    wait_for_chart(page)
    for _ in range(15):  # Tab from the top of the page to the picker
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "party-select":
            break
    picker = page.locator("#party-select")
    expect(picker).to_be_focused()
    # named by its label and what it holds (assets/aria_repairs.js, on the next animation frame)
    expect(picker).to_have_attribute("aria-label", re.compile(r"^Parties: Labour"))
    page.keyboard.type("sn")  # typing opens the list and filters it, losing no letter
    expect(page.locator("input.dash-dropdown-search")).to_be_focused()
    expect(page.locator("input.dash-dropdown-search")).to_have_value("sn")
    page.wait_for_function("() => [...document.querySelectorAll('.dash-dropdown-option')].map(o => o.innerText).join() === 'SNP'")
    page.keyboard.press("ArrowDown")  # onto the first match
    page.wait_for_function("() => document.activeElement.closest('.dash-dropdown-option')?.innerText === 'SNP'")
    page.keyboard.press("Space")
    page.wait_for_function(f"() => document.querySelector('{CHART}').data.some(t => (t.meta || {{}}).party === 'snp')")
    page.keyboard.press("Escape")
    page.wait_for_function("() => window.location.search.includes('parties=labour,snp')")
    page.wait_for_function("() => document.activeElement.id === 'party-select'")  # closed: focus back on the picker
    page.keyboard.press("Enter")  # reopen, and choose with the arrow keys and Enter
    page.wait_for_function("() => document.activeElement.classList.contains('dash-dropdown-search')")
    focused = "() => document.activeElement.closest('.dash-dropdown-option')?.innerText ?? null"
    for _ in range(12):
        before = page.evaluate(focused)
        page.keyboard.press("ArrowDown")  # the list moves its focus a frame later: wait for it to move
        page.wait_for_function(f"before => ({focused})() !== before", arg=before)
        if page.evaluate(focused) == "Green":
            break
    page.wait_for_function("() => document.activeElement.closest('.dash-dropdown-option')?.innerText === 'Green'")
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.querySelector('{CHART}').data.some(t => (t.meta || {{}}).party === 'green')")
    page.keyboard.press("Escape")
    page.wait_for_function("() => window.location.search.includes('parties=labour,snp,green')")
    page.wait_for_function("() => document.getElementById('party-select').getAttribute('aria-expanded') === 'false'")
    assert page.console_log.errors() == []


def test_a_name_typed_quickly_on_the_closed_picker_loses_no_letter(live_server, browser_page):
    # dash moves the focus to the list's search box a frame after the first letter opens it; a
    # letter typed in between went into the button and was lost ("rform") about one time in eight
    page = browser_page
    page.goto(live_server.url)
    wait_for_chart(page)
    for _ in range(12):
        page.focus("#party-select")
        page.keyboard.type("reform")
        expect(page.locator("input.dash-dropdown-search")).to_be_focused()
        expect(page.locator("input.dash-dropdown-search")).to_have_value("reform")
        expect(page.locator(".dash-dropdown-option")).to_have_text(["Reform UK"])
        page.keyboard.press("Escape")
        page.wait_for_function("() => document.getElementById('party-select').getAttribute('aria-expanded') === 'false'")
    assert page.console_log.errors() == []


def test_year_boxes_take_a_year_on_enter_and_say_when_it_is_outside_the_data(live_server, browser_page, data_dir):
    page = browser_page
    page.goto(live_server.url)
    wait_for_chart(page)
    first, last = load_dataset(data_dir / "membership.csv").year_bounds()
    box = page.get_by_label("First year")
    box.fill("1850")
    box.press("Enter")
    message = page.locator("#year-message")
    expect(message).to_have_text(f"There are no figures before {first}: 1850 became {first}.")
    page.wait_for_function(f"() => window.location.search.includes('start={first}')")
    expect(box).to_have_value(str(first))
    assert_draws(page, data_dir / "membership.csv", f"?start={first}")
    to = page.get_by_label("Last year")
    to.fill("2005")
    to.press("Enter")
    page.wait_for_function("() => window.location.search.includes('end=2005')")
    expect(message).to_have_text("")  # a good year clears the message
    assert page.console_log.errors() == []


def test_a_link_with_bad_parameters_opens_the_nearest_view_and_says_what_was_ignored(live_server, browser_page, data_dir):
    page = browser_page
    page.goto(live_server.url + "/?parties=Lib%20Dems,Reform%20UK,whigs&start=abc&measure=sideways&utm_source=x")
    wait_for_chart(page)
    notice = page.locator("#view-notice")
    expect(notice).to_be_visible()
    for ignored in ("'whigs'", "'abc' is not a year", "'sideways'", "'utm_source'"):
        expect(notice).to_contain_text(ignored)
    parties = set(page.evaluate(f"document.querySelector('{CHART}').data.map(t => (t.meta || {{}}).party).filter(Boolean)"))
    assert parties == {"libdem", "reform"}
    page.wait_for_function("() => document.getElementById('share-link').value.includes('?')")
    link = page.locator("#share-link").input_value()
    assert link.split("?", 1)[1].startswith("parties=libdem,reform&start=") and "measure" not in link
    page.get_by_label("Change on the previous year-end", exact=True).check()
    page.wait_for_function("() => window.location.search.includes('measure=change')")
    expect(notice).to_be_hidden()
    assert page.console_log.errors() == []


def test_the_xlsx_of_the_view_opens_with_its_figures_and_sources(live_server, browser_page, data_dir, tmp_path):
    page = browser_page
    query = "?parties=labour,snp&start=2010&end=2020&measure=change"
    page.goto(live_server.url + "/" + query)
    wait_for_chart(page)
    with page.expect_download() as info:
        page.locator("#download-view-xlsx").click()
    download = info.value
    assert download.suggested_filename == "labour-snp-membership-change-2010-2020.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["figures", "about"]
    rows = list(book["figures"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    for column in ("date", "source", "url", "note", "members", "change_on_previous_year_end"):
        assert column in header
    dataset = load_dataset(data_dir / "membership.csv")
    view = resolve(View(parties=("labour", "snp"), start=2010, end=2020, measure=CHANGE), dataset)
    shown = shown_counts(dataset, view)
    assert len(body) == len(shown)
    record = dict(zip(header, body[0]))
    first = shown.iloc[0]
    assert (record["party"], record["year"], record["members"], record["source"]) == (
        first["party"], int(first["year"]), int(first["members"]), first["source"])
    changes = {m.party: m.values for m in shown_measures(dataset, view)}
    for row in body:
        record = dict(zip(header, row))
        expected = changes[record["party"]].get(record["year"])
        assert record["change_on_previous_year_end"] == (None if expected is None else pytest.approx(expected))
    about = dict(book["about"].iter_rows(values_only=True))
    assert about["measure"] == "Change on the previous year-end"
    assert about["data version"] == dataset.version and about["data last changed"]
    assert about["view"].endswith("?parties=labour,snp&start=2010&end=2020&measure=change")


def test_the_whole_data_set_downloads_as_csv_and_xlsx(live_server, browser_page, data_dir, tmp_path):
    page = browser_page
    page.goto(live_server.url)
    wait_for_chart(page)
    with page.expect_download() as info:
        page.locator("#download-all-xlsx").click()
    path = tmp_path / "all.xlsx"
    info.value.save_as(path)
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))["figures"]
    assert sheet.max_row - 1 == len(load_dataset(data_dir / "membership.csv").counts)
    with page.expect_download() as info:
        page.locator("#download-all-csv").click()
    info.value.save_as(tmp_path / "all.csv")
    shutil.copyfile(tmp_path / "all.csv", tmp_path / "membership.csv")
    assert load_dataset(tmp_path / "membership.csv").counts.equals(load_dataset(data_dir / "membership.csv").counts)


def test_the_citation_names_the_title_link_version_and_date(live_server, browser_page, data_dir):
    page = browser_page
    page.goto(live_server.url + "/?measure=index&base=2015")
    wait_for_chart(page)
    page.wait_for_function("() => document.getElementById('citation').value.includes('http')")
    text = page.locator("#citation").input_value()
    dataset = load_dataset(data_dir / "membership.csv")
    assert text.startswith("Labour membership indexed to 2015 = 100, 1989–2024. British party membership, ")
    link = page.locator("#share-link").input_value()
    assert link == page.url.split("?")[0] + "?start=1989&end=2024&measure=index&base=2015"
    assert link in text and f"data version {dataset.version}" in text and "last changed " in text


def test_a_view_with_no_figures_shows_a_message_not_an_empty_axis(live_server, browser_page):
    page = browser_page
    page.goto(live_server.url + "/?parties=conservative&measure=change")
    wait_for_chart(page)
    assert page.evaluate(f"document.querySelector('{CHART}').data.length") == 0
    assert page.evaluate(f"document.querySelector('{CHART}').layout.yaxis.visible") is False
    assert "No change to draw for Conservative" in chart_text(page)
    page.goto(live_server.url + "/?parties=reform&measure=index&base=2010")
    wait_for_chart(page)
    assert "Not indexed: no year-end figure for 2010 for Reform UK" in chart_text(page)
    expect(page.locator("#chart-alt")).to_contain_text("not indexed")
