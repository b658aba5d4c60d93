"""The writer's own marks in headless Chromium against a real server: a note placed by clicking the
chart, in the link, undone by Back; the form's edit and remove; a link's marks drawn; notes clear
of the direct labels and of each other as the browser draws them."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from helpers import CHART, wait_for_chart
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
WAIT_MS = 30_000  # callbacks arrive late on a loaded machine: wait for what is checked, never sleep

FIVE = "labour,conservative,libdem,snp,green"
LINK = (f"?parties={FIVE}&start=2015&end=2025&mark=2015-09-12@labour:Corbyn%20elected"
        "&mark=2017-06-08:Snap%20election&highlight=2015-09-12:2020-04-04:Corbyn%20years")


def marks_in_address(page) -> list[str]:
    return parse_qs(urlsplit(page.url).query).get("mark", [])


def drawn_annotations(page) -> list[str]:
    return page.evaluate(f"document.querySelector('{CHART}').layout.annotations.map(a => a.name || '')")


def annotation_text(page, name: str) -> str:
    return page.evaluate(f"document.querySelector('{CHART}').layout.annotations.find(a => a.name === '{name}').text")


def open_marks_form(page) -> None:
    page.wait_for_selector("#note-text")
    page.locator("#note-text").scroll_into_view_if_needed()


def click_plot_at(page, fraction_x: float, fraction_y: float) -> None:
    """Click the plot area at a share of its width and height (from its top-left corner)."""
    page.locator(CHART).scroll_into_view_if_needed()
    box = page.evaluate(f"""() => {{
        const plot = document.querySelector('{CHART}');
        const r = plot.getBoundingClientRect(), s = plot._fullLayout._size;
        return {{x: r.left + s.l, y: r.top + s.t, w: s.w, h: s.h}};
    }}""")
    page.mouse.click(box["x"] + box["w"] * fraction_x, box["y"] + box["h"] * fraction_y)


@pytest.mark.parametrize("browser_page", [{"width": 1280, "height": 900}], indirect=True)
def test_a_note_typed_then_placed_by_clicking_the_chart_is_in_the_link_and_back_removes_it(live_server,
                                                                                            browser_page):
    page = browser_page
    page.goto(live_server.url + "/?parties=labour&start=2010&end=2024")
    wait_for_chart(page)
    open_marks_form(page)
    page.fill("#note-text", "Clicked here")
    before = page.url
    click_plot_at(page, 0.5, 0.05)  # the middle of 2010-2024: about mid 2017, high above the line
    expect(page).to_have_url(re.compile(r"mark="), timeout=WAIT_MS)
    [mark] = marks_in_address(page)
    date, text = mark.split(":", 1)
    assert text == "Clicked here" and date[:4] in ("2016", "2017", "2018")
    page.wait_for_function(f"() => document.querySelector('{CHART}').layout.annotations.some(a => a.name === 'note-0')")
    assert "Clicked here" in annotation_text(page, "note-0")
    expect(page.locator("#notes-list")).to_contain_text("Clicked here", timeout=WAIT_MS)
    expect(page.locator("#note-text")).to_have_value("", timeout=WAIT_MS)
    page.go_back()
    expect(page).to_have_url(before, timeout=WAIT_MS)
    page.wait_for_function(f"() => !document.querySelector('{CHART}').layout.annotations.some(a => a.name === 'note-0')")
    expect(page.locator("#notes-list")).not_to_contain_text("Clicked here", timeout=WAIT_MS)
    page.go_forward()
    page.wait_for_function(f"() => document.querySelector('{CHART}').layout.annotations.some(a => a.name === 'note-0')")
    assert page.console_log.errors() == []


@pytest.mark.parametrize("browser_page", [{"width": 1280, "height": 900}], indirect=True)
def test_clicking_a_figure_with_no_note_typed_gives_the_form_its_date_and_party(live_server, browser_page):
    page = browser_page
    page.goto(live_server.url + "/?parties=labour,reform&start=2023&end=2025")
    wait_for_chart(page)
    open_marks_form(page)
    # Labour's 2023 year-end figure, where the plot draws it, hovered as a reader's pointer would
    page.locator(CHART).scroll_into_view_if_needed()
    point = page.evaluate(f"""() => {{
        const plot = document.querySelector('{CHART}');
        const trace = plot.data.find(t => t.meta && t.meta.party === 'labour' && t.meta.kind === 'year-end');
        const i = trace.customdata.indexOf('2023-12-31');
        const xa = plot._fullLayout.xaxis, ya = plot._fullLayout.yaxis, s = plot._fullLayout._size;
        const r = plot.getBoundingClientRect();
        return {{x: r.left + s.l + xa.d2p(trace.x[i]), y: r.top + s.t + ya.d2p(trace.y[i])}};
    }}""")
    page.mouse.move(point["x"] - 30, point["y"])
    page.mouse.move(point["x"], point["y"], steps=5)
    page.wait_for_function(f"() => (document.querySelector('{CHART}')._hoverdata || []).length > 0")
    page.mouse.click(point["x"], point["y"])
    expect(page.locator("#note-date")).to_have_value("2023-12-31", timeout=WAIT_MS)
    expect(page.locator("#note-message")).to_contain_text("31 Dec 2023", timeout=WAIT_MS)
    expect(page.locator("#note-pin")).to_contain_text("Labour", timeout=WAIT_MS)
    expect(page.locator("#note-text")).to_be_focused(timeout=WAIT_MS)
    page.keyboard.type("Year end")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"mark=2023-12-31@labour:Year"), timeout=WAIT_MS)


@pytest.mark.parametrize("browser_page", [{"width": 1280, "height": 900}], indirect=True)
def test_the_form_adds_edits_and_removes_notes_and_periods_and_refuses_bad_ones(live_server, browser_page):
    page = browser_page
    page.goto(live_server.url + "/?parties=labour&start=2010&end=2024")
    wait_for_chart(page)
    open_marks_form(page)
    page.click("#note-add")
    expect(page.locator("#note-message")).to_contain_text("date", timeout=WAIT_MS)  # nothing typed: says what is missing
    page.fill("#note-date", "2015-09-12")
    page.fill("#note-text", "Corbyn <b>elected</b>")
    page.click("#note-add")
    expect(page).to_have_url(re.compile(r"mark=2015-09-12:Corbyn"), timeout=WAIT_MS)
    page.wait_for_function(f"() => document.querySelector('{CHART}').layout.annotations.some(a => a.name === 'note-0')")
    assert "&lt;b&gt;" in annotation_text(page, "note-0")  # shown as text, never markup
    page.get_by_role("button", name="Edit the note “Corbyn <b>elected</b>”").click()
    expect(page.locator("#note-text")).to_have_value("Corbyn <b>elected</b>", timeout=WAIT_MS)
    page.fill("#note-text", "Corbyn wins")
    page.click("#note-add")
    expect(page).to_have_url(re.compile(r"mark=2015-09-12:Corbyn(\+|%20)wins$"), timeout=WAIT_MS)
    page.fill("#period-label", "Corbyn years")
    page.fill("#period-start", "2015-09-12")
    page.fill("#period-end", "2020-04-04")
    page.click("#period-add")
    expect(page).to_have_url(re.compile(r"highlight=2015-09-12:2020-04-04:Corbyn"), timeout=WAIT_MS)
    page.fill("#note-date", "2019-12-12")
    page.fill("#note-text", "\u202eevil")  # a bidirectional override, as an upload's cell would be refused
    page.click("#note-add")
    expect(page.locator("#note-message")).to_contain_text("control character", timeout=WAIT_MS)
    page.get_by_role("button", name="Remove the note “Corbyn wins”").click()
    expect(page).not_to_have_url(re.compile(r"mark="), timeout=WAIT_MS)
    expect(page).to_have_url(re.compile(r"highlight="), timeout=WAIT_MS)
    assert page.console_log.errors() == []


@pytest.mark.parametrize("browser_page", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
                         indirect=True, ids=["1280", "390"])
def test_a_link_with_notes_and_a_period_draws_them_clear_of_the_labels_and_each_other(live_server, browser_page):
    page = browser_page
    page.goto(live_server.url + "/" + LINK + "&mark=2012-01-01:Before%20the%20years")
    wait_for_chart(page)
    if page.viewport_size["width"] < 700:
        page.wait_for_function(f"() => document.querySelector('{CHART}').layout.title.font.size === 17")
    names = drawn_annotations(page)
    assert {"note-0", "note-1", "highlight-0"} <= set(names) and "note-2" not in names
    expect(page.locator("#view-notice")).to_contain_text("Before the years", timeout=WAIT_MS)
    boxes = rendered_boxes(page)
    notes = {n: b for n, b in boxes.items() if n.startswith(("note-", "highlight-"))}
    labels = {n: b for n, b in boxes.items() if n.startswith("label-")}
    assert len(notes) == 3 and len(labels) == 5
    for name, box in notes.items():
        for other, other_box in {**notes, **labels}.items():
            if other != name:
                assert not meets(box, other_box), (name, other)
    assert page.console_log.errors() == []


def rendered_boxes(page) -> dict[str, dict]:
    """Each named annotation's box as the browser drew it (its background rectangle)."""
    return page.evaluate(f"""() => {{
        const plot = document.querySelector('{CHART}');
        const out = {{}};
        plot.layout.annotations.forEach((a, i) => {{
            const g = plot.querySelector(`.annotation[data-index="${{i}}"] .annotation-text-g`);
            if (!a.name || !g) return;
            const r = g.getBoundingClientRect();
            out[a.name] = {{left: r.left, right: r.right, top: r.top, bottom: r.bottom}};
        }});
        return out;
    }}""")


def meets(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]
