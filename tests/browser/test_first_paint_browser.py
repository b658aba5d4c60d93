"""The page as a phone and a laptop meet it: the chart, the latest figures and the table before any
script (and without scripts), nothing moving while the live page arrives, the live chart taking the
image's place unseen, no script a reader who only looks does not need, and no click lost meanwhile."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from helpers import CHART, save_screenshot, wait_for_chart
from PIL import Image, ImageChops
from playwright.sync_api import expect

from dashboard.chart.screen_sizes import EMBED_SIZES, PAGE_SIZES, size_for
from dashboard.core.dataset import load_dataset
from dashboard.core.selection import shown_counts
from dashboard.core.view import resolve, view_from_query
from dashboard.web.first_paint import JS_NOTE

pytestmark = [pytest.mark.browser, pytest.mark.kaleido]

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}
LAPTOP = {"viewport": {"width": 1280, "height": 800}}
# Every layout shift of the page from its first paint on, as the browser reports them.
SHIFTS = """
window.__shifts = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    window.__shifts.push({value: entry.value, recent: entry.hadRecentInput,
                          nodes: (entry.sources || []).map(s => s.node ? (s.node.id || s.node.className || s.node.nodeName) : '')});
  }
}).observe({type: 'layout-shift', buffered: true});
"""
LIVE_SCRIPTS = ("react@", "react-dom@", "dash_renderer", "plotly-basic", "dash_core_components", "_dash-layout")


def image_loaded(page) -> None:
    page.wait_for_function("() => { const i = document.querySelector('#first-paint .chart-image');"
                           " return i && i.complete && i.naturalWidth > 0; }", timeout=60_000)


def test_with_javascript_off_a_phone_shows_the_chart_image_the_sentence_and_the_table(live_server, chromium):
    context = chromium.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    query = "?parties=labour,reform"
    page.goto(live_server.url + "/" + query)
    image_loaded(page)
    image = page.locator("#first-paint .chart-image")
    assert image.bounding_box()["width"] == size_for(390, PAGE_SIZES).width == 370
    source = page.evaluate("() => document.querySelector('#first-paint .chart-image').currentSrc")
    assert "parties=labour%2Creform" in source and "width=370&height=580&scale=2" in source  # a 2x screen
    expect(image).to_have_attribute("alt", re.compile("^Party membership, 1989–"))
    sentence = page.locator("#fp-latest-sentence")
    expect(sentence).to_be_visible()
    expect(sentence).to_contain_text("Reform UK")
    dataset = load_dataset()
    rows = page.locator("#fp-figures-table tbody tr")
    expect(rows).to_have_count(len(shown_counts(dataset, resolve(view_from_query(query), dataset))))
    note = page.locator("#first-paint .js-note")  # in a <noscript>: Playwright's text search does not look there
    expect(note).to_be_visible()
    expect(note).to_have_text(JS_NOTE)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    save_screenshot(page, "first-paint-phone-no-javascript.png")
    context.close()


@pytest.mark.parametrize("device", ["laptop", "phone"])
def test_layout_shifts_while_the_page_loads_stay_under_0_05(live_server, chromium, device):
    context = chromium.new_context(**(LAPTOP if device == "laptop" else PHONE))
    context.add_init_script(SHIFTS)
    page = context.new_page()
    page.goto(live_server.url + "/?parties=labour,reform,conservative")
    # a laptop starts the live page when idle: it may take the plain page's place before a view's first image is
    # drawn (made on its first request), and then there is no image to wait for
    page.wait_for_function("() => { const i = document.querySelector('#first-paint .chart-image');"
                           " return i ? i.complete && i.naturalWidth > 0 : document.documentElement.classList.contains('live'); }",
                           timeout=60_000)
    if device == "phone":  # a phone starts the live page at the reader's first touch of the chart
        page.locator("#first-paint .chart-box").tap()
    wait_for_chart(page)
    page.wait_for_selector("#export-panel")  # the panels that come last are there too
    page.wait_for_function("() => !document.querySelector('[data-dash-is-loading]')")
    shifts = page.evaluate("window.__shifts")
    # every shift, also those just after the phone's tap (CLS leaves those out): the live page arriving is not the tap's
    assert sum(s["value"] for s in shifts) < 0.05, shifts
    context.close()


def boxes(page, scope: str, controls: bool) -> dict[str, dict]:
    """Where the chart, the latest figures, the table and (beside the chart) the controls are, in the plain
    page or the live one."""
    selectors = {"chart": ".chart-box", "sentence": "[id$=latest-sentence]", "latest": "[id$=latest-panel] h2",
                 "table": "[id$=figures-table] caption", "heading": "header h1"}
    if controls:
        selectors |= {"parties": "[id$=party-select]", "slider": "[id$=year-range]", "first year": "[id$=year-from]",
                      "measure": "[id$=measure]", "log scale": "[id$=log-scale]", "figures from": "[id$=basis-select]"}
    return {name: page.locator(f"{scope} {selector}").first.bounding_box() for name, selector in selectors.items()}


@pytest.mark.parametrize("device", ["laptop", "phone"])
def test_the_live_chart_takes_the_images_place_unseen(live_server, chromium, device, tmp_path):
    # A phone-like context on both: the live page starts only when asked, so the plain page can be seen first.
    options = {**PHONE, **({"viewport": LAPTOP["viewport"]} if device == "laptop" else {})}
    context = chromium.new_context(**options)
    page = context.new_page()
    page.goto(live_server.url + "/?parties=labour,snp")
    image_loaded(page)
    before = boxes(page, "#first-paint", controls=device == "laptop")
    page.locator("#first-paint .chart-box").screenshot(path=str(tmp_path / "image.png"), animations="disabled")
    save_screenshot(page, f"first-paint-image-{device}.png")
    page.keyboard.press("Shift")  # a key starts the live page; the pointer stays off the chart (no hover label)
    page.wait_for_selector("html.live")
    wait_for_chart(page)
    expect(page.locator("#first-paint")).to_have_count(0)
    after = boxes(page, "#react-entry-point", controls=device == "laptop")
    for name in before:
        assert after[name] == pytest.approx(before[name], abs=0.5), name  # nothing moved
    page.locator(".chart-box").screenshot(path=str(tmp_path / "live.png"), animations="disabled")
    save_screenshot(page, f"first-paint-live-{device}.png")
    image, live = Image.open(tmp_path / "image.png").convert("L"), Image.open(tmp_path / "live.png").convert("L")
    assert image.size == live.size
    # compared in blocks of 4 CSS px: the same drawing differs only in how text edges are smoothed (an
    # image's text and the page's are drawn apart), which averages out; a line or label moved by 1 px does not
    blocks = (image.size[0] // 8, image.size[1] // 8)  # device_scale_factor 2
    differences = ImageChops.difference(image.resize(blocks, Image.Resampling.BOX), live.resize(blocks, Image.Resampling.BOX))
    changed = sum(differences.histogram()[33:])
    assert changed / (blocks[0] * blocks[1]) < 0.003  # the camera button, shown on the live chart only
    context.close()


def test_a_phone_reader_who_only_looks_loads_none_of_the_live_pages_scripts(live_server, chromium):
    context = chromium.new_context(**PHONE)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + "/")
    image_loaded(page)
    page.mouse.wheel(0, 400)  # scrolling to read the latest figures is not a wish for the live page
    page.wait_for_load_state("networkidle")
    assert [url for url in requested if any(name in url for name in LIVE_SCRIPTS)] == []
    page.locator("#first-paint .chart-box").tap()
    wait_for_chart(page)
    assert [name for name in LIVE_SCRIPTS if not any(name in url for url in requested)] == []
    context.close()


def test_a_tap_on_a_control_before_the_live_page_is_there_is_not_lost(live_server, chromium):
    context = chromium.new_context(**PHONE)
    page = context.new_page()
    page.goto(live_server.url + "/?parties=labour")
    image_loaded(page)
    page.locator("#fp-controls-toggle").tap()
    page.wait_for_selector("#fp-controls.open")  # the drawer opens at once, the live page still loading
    page.get_by_text("Change on the previous year-end, %").first.tap()
    page.wait_for_selector("html.live")
    page.wait_for_function("() => document.getElementById('controls').classList.contains('open')")  # still open
    page.wait_for_function("() => document.querySelector('#measure input[value=\"change-percent\"]').checked")
    page.wait_for_function(f"() => document.querySelector('{CHART}').layout.title.text.startsWith('Change in Labour')")
    assert "measure=change-percent" in page.url
    page.get_by_role("button", name="Done").click()
    page.wait_for_function("() => !document.getElementById('controls').classList.contains('open')")
    context.close()


@pytest.mark.parametrize("device", ["phone", "laptop"])
def test_the_embed_loads_no_plotly_until_the_chart_is_touched(live_server, chromium, device):
    context = chromium.new_context(**(PHONE if device == "phone" else {"viewport": {"width": 700, "height": 900}}))
    page = context.new_page()
    requested: list[tuple[str, int]] = []
    page.on("requestfinished", lambda request: requested.append((request.url, request.sizes()["responseBodySize"])))
    page.goto(live_server.url + "/embed?parties=labour,reform")
    page.wait_for_function("() => document.querySelector('.chart-image').naturalWidth > 0", timeout=60_000)
    page.wait_for_load_state("networkidle")
    assert [url for url, _ in requested if "plotly" in url or "figures.js" in url] == []
    assert sum(size for _, size in requested) <= 150 * 1024  # bytes before the first touch
    width = page.evaluate("() => document.documentElement.clientWidth")
    assert page.locator(".chart-image").bounding_box()["width"] == size_for(width, EMBED_SIZES).width
    if device == "phone":
        page.locator("#chart-box").tap()
    else:
        page.locator("#chart-box").hover()
    page.wait_for_selector("#chart-box.live #chart .main-svg", timeout=60_000)
    assert [url for url, _ in requested if "plotly.min.js" in url]
    drawn = page.evaluate("() => document.getElementById('chart')._fullLayout.width")
    assert drawn == size_for(width, EMBED_SIZES).width
    context.close()


def test_the_first_paint_images_name_the_view_the_address_has(live_server, chromium):
    context = chromium.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    dataset = load_dataset()
    for query in ("?parties=Lib%20Dems,snp&start=2001&measure=index", "?parties=green&bases=accounts,party_claim",
                  "?start=1995&end=2010&leaders=0"):
        page.goto(live_server.url + "/" + query)
        image_loaded(page)
        source = page.evaluate("() => document.querySelector('#first-paint .chart-image').currentSrc")
        drawn = resolve(view_from_query(urlsplit(source).query), dataset)
        assert drawn == resolve(view_from_query(query), dataset), query
    context.close()


@pytest.mark.parametrize("device", ["laptop", "phone"])
def test_the_chart_its_title_and_the_latest_figures_are_in_the_first_screen(live_server, chromium, device):
    # what the reader sees first: the plain page (a no-hover context keeps it until asked; the live page
    # takes the same places, test_the_live_chart_takes_the_images_place_unseen)
    options = {**PHONE, **({"viewport": LAPTOP["viewport"]} if device == "laptop" else {})}
    context = chromium.new_context(**options)
    page = context.new_page()
    page.goto(live_server.url + "/?parties=labour,reform")
    image_loaded(page)
    height = options["viewport"]["height"]
    chart = page.locator("#first-paint .chart-box").bounding_box()
    assert chart["y"] >= 0 and chart["y"] + chart["height"] <= height  # the whole chart, title to source line
    # the latest figures start on the first screen: their sentence, which the chart's caveat under it says first
    # when the figures compared differ in date or basis (as Labour's and Reform UK's do)
    expect(page.locator("#fp-chart-caveat")).to_have_text(page.locator("#fp-latest-sentence").inner_text())
    sentence = page.locator("#fp-chart-caveat:not([hidden]), #fp-latest-sentence").first.bounding_box()
    assert sentence["y"] + 20 <= height
    toggle = page.get_by_role("button", name="Change the view")
    if device == "laptop":  # the controls beside the chart; on a phone, a bar above it that opens them
        controls = page.locator("#fp-controls").bounding_box()
        assert controls["x"] + controls["width"] <= chart["x"] and controls["y"] < chart["y"] + chart["height"]
        expect(toggle).to_be_hidden()
    else:
        expect(page.locator("#fp-controls")).to_be_hidden()
        expect(toggle).to_be_visible()
        toggle.tap()
        page.wait_for_selector("html.live")
        page.wait_for_function("() => document.getElementById('controls').classList.contains('open')")
        page.locator("#party-select").wait_for()
        page.keyboard.press("Escape")
        page.wait_for_function("() => !document.getElementById('controls').classList.contains('open')")
        expect(page.locator("#controls")).to_be_hidden()
    context.close()


def test_without_a_browser_on_the_server_the_page_draws_its_live_chart_at_once(live_server, chromium):
    live_server.app.first_paint.images.browser = False  # as when the server found no Chromium
    context = chromium.new_context(**PHONE)  # a phone, which would otherwise wait for a touch
    page = context.new_page()
    response = page.goto(live_server.url + "/?parties=snp")
    assert '<img class="chart-image"' not in response.text()  # the plain page as sent: no image to show
    wait_for_chart(page)
    expect(page.locator("#figures-table tbody tr").first).to_be_attached()
    context.close()


def test_a_window_made_narrower_lays_the_chart_out_for_its_new_box(live_server, browser_page):
    page = browser_page
    page.goto(live_server.url + "/")
    wait_for_chart(page)
    assert page.evaluate(f"() => document.querySelector('{CHART}').layout.meta.laid_out_for") == PAGE_SIZES[-1].width
    page.set_viewport_size({"width": 700, "height": 900})
    width = size_for(700, PAGE_SIZES).width
    page.wait_for_function(f"(w) => document.querySelector('{CHART}').layout.meta.laid_out_for === w", arg=width)
    assert page.locator(".chart-box").bounding_box()["width"] == width


@pytest.mark.parametrize("device", ["laptop", "phone"])
def test_the_plain_pages_parts_come_in_its_html_in_the_order_they_are_seen(live_server, chromium, device):
    """The plain page is painted while its HTML still arrives: a part parsed later but shown above one already
    painted pushes that one down (Lighthouse once saw the lede move under the latest figures, 0.05 on a phone).
    Within the chart's column, each part's place on screen follows its place in the HTML."""
    context = chromium.new_context(**(PHONE if device == "phone" else LAPTOP), java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/?parties=labour,reform")
    image_loaded(page)
    tops = page.evaluate("""() => [...document.querySelectorAll('#first-paint .chart-first > :not(.controls)')]
        .map(e => [e.className, e.getBoundingClientRect().top])""")
    assert [name for name, _ in tops] == ["chart-figure", "panel latest-panel", "lede"]
    assert [top for _, top in tops] == sorted(top for _, top in tops)
    context.close()
