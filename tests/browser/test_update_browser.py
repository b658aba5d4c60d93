"""The update panel in real headless Chromium: upload, preview, apply, see the point, undo.

Uploaded figures are invented and written to temporary files; the server works on a copy of data/.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers import js_party_trace, party_trace, show_export_preview, wait_for_chart
from playwright.sync_api import expect
from updates_helpers import INVENTED_SOURCE, first_free_year_end

from dashboard.core.dataset import load_dataset
from dashboard.updates.store import Store

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
INVENTED = 123456


def save_panel_screenshot(page, name: str) -> None:
    """Like helpers.save_screenshot, of the panel only: test-results/ always, docs/ when
    UPDATE_DOCS_SCREENSHOTS=1, so an ordinary run leaves the repository unchanged."""
    results = ROOT / "test-results"
    results.mkdir(exist_ok=True)
    page.locator("#update-panel").screenshot(path=str(results / name))
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS") == "1":
        shutil.copyfile(results / name, ROOT / "docs" / name)


def labour_points(page) -> dict[int, int]:
    labour = party_trace(page, "labour")
    return {int(d[:4]): int(y) for d, y in zip(labour["customdata"], labour["y"]) if d and y is not None}


def upload(page, path: Path) -> None:
    page.set_input_files("#upload-data input[type=file]", str(path))


def test_upload_preview_apply_then_undo_shows_and_removes_the_new_point(live_server, browser_page, data_dir, tmp_path):
    page = browser_page
    data = data_dir / "membership.csv"
    original = data.read_bytes()
    year = first_free_year_end(load_dataset(data))
    assert year == 2025  # the case: the 2025 year-end figure
    figure = tmp_path / "labour-2025.csv"
    figure.write_text(f"Labour year-end membership (invented for a test)\nYear,Members\n{year},{INVENTED}\n")

    page.goto(live_server.url)
    wait_for_chart(page)
    assert year not in labour_points(page)
    page.fill("#update-source", INVENTED_SOURCE)
    upload(page, figure)
    expect(page.locator("#update-preview")).to_contain_text("1 new, 0 changed, 0 unchanged, 0 problems")
    expect(page.locator("#preview-changes tr.added")).to_have_count(1)
    assert data.read_bytes() == original  # a preview writes nothing

    page.click("#apply-changes")
    page.wait_for_selector("#update-status .ok")
    page.wait_for_function(f"() => {js_party_trace('labour')}.customdata.includes('{year}-12-31')")
    assert labour_points(page)[year] == INVENTED
    expect(page.locator("#figures-table tbody tr", has_text=f"{INVENTED:,}")).to_have_count(1)
    expect(page.locator("#update-history")).to_contain_text("Labour 2025 year-end: 123,456")  # names, not slugs

    page.click("#undo-change")
    page.wait_for_function("() => document.querySelector('#update-status').innerText.includes('Undone')")
    page.wait_for_function(f"() => !{js_party_trace('labour')}.customdata.includes('{year}-12-31')")
    assert year not in labour_points(page)
    assert data.read_bytes() == original
    assert page.console_log.errors() == []


def test_the_same_file_uploaded_twice_is_read_twice(live_server, browser_page, data_dir, tmp_path):
    page = browser_page
    figure = tmp_path / "same.csv"
    figure.write_text(f"party,year,members,source\nreform,2026,{INVENTED},{INVENTED_SOURCE}\n")
    page.goto(live_server.url)
    wait_for_chart(page)
    upload(page, figure)
    page.wait_for_selector("#preview-changes tr.added")
    page.click("#apply-changes")
    page.wait_for_selector("#update-status .ok")
    page.wait_for_function("() => !document.querySelector('#update-preview').innerText")
    upload(page, figure)  # same file again: now already in the data
    page.wait_for_function("() => document.querySelector('#update-preview').innerText.includes('0 new, 0 changed, 1 unchanged')")
    assert page.console_log.errors() == []


def test_changing_an_existing_figure_needs_the_overwrite_box(live_server, browser_page, data_dir, tmp_path):
    page = browser_page
    data = data_dir / "membership.csv"
    dataset = load_dataset(data)
    year = int(dataset.year_ends().query("party == 'labour'")["year"].max())
    members = int(dataset.year_ends().query("party == 'labour' and year == @year")["members"].item())
    fix = tmp_path / "fix.csv"
    fix.write_text(f"party,year,members,source\nlabour,{year},{members + 1},{INVENTED_SOURCE}\n")
    page.goto(live_server.url)
    wait_for_chart(page)
    upload(page, fix)
    expect(page.locator("#preview-changes tr.changed")).to_contain_text(f"{members:,} → {members + 1:,}")
    box, apply = page.locator("#overwrite-existing input"), page.locator("#apply-changes")
    expect(box).to_be_visible()
    expect(apply).to_be_disabled()
    # the button follows the box both ways (it starts disabled, so only a tick shows the rule at work)
    box.check()
    expect(apply).to_be_enabled()
    box.uncheck()
    expect(apply).to_be_disabled()
    box.check()
    expect(apply).to_be_enabled()
    page.click("#apply-changes")
    page.wait_for_selector("#update-status .ok")
    assert Store(data).entries()[-1].changes[0]["new"]["members"] == members + 1


def test_one_figure_typed_in_goes_through_preview_and_apply(live_server, browser_page, data_dir):
    page = browser_page
    page.goto(live_server.url)
    wait_for_chart(page)
    apply = page.locator("#apply-changes")
    page.fill("#update-year", "2026")
    page.fill("#update-members", "1,234")
    page.fill("#update-source", INVENTED_SOURCE)
    page.click("#preview-form")
    expect(page.locator("#preview-changes tr.added")).to_have_count(1)
    expect(apply).to_be_enabled()
    page.fill("#update-members", "c. 300k")  # a figure that cannot be read takes the Apply button away
    page.click("#preview-form")
    expect(page.locator("#update-preview .problems")).to_contain_text("'c. 300k' is not a number")
    expect(apply).to_be_disabled()
    page.fill("#update-members", "1,234")
    page.click("#preview-form")
    expect(page.locator("#preview-changes tr.added")).to_have_count(1)
    expect(apply).to_be_enabled()
    page.click("#apply-changes")
    page.wait_for_selector("#update-status .ok")
    figures = load_dataset(data_dir / "membership.csv").year_ends()
    assert figures.query("party == 'labour' and year == 2026")["members"].tolist() == [1234]
    assert Store(data_dir / "membership.csv").entries()[-1].source == "form"


def test_markup_in_an_upload_is_shown_as_text_never_run(live_server, browser_page, data_dir, tmp_path):
    page = browser_page
    hostile = tmp_path / "<img src=x onerror=alert(1)>.csv"
    hostile.write_text('party,year,members,source,note\n'
                       f'reform,2026,{INVENTED},"<script>window.__xss = 1</script>","<img src=x onerror=window.__xss=2>"\n'
                       '<b onmouseover=window.__xss=3>Whigs</b>,2026,5,x,\n')
    page.goto(live_server.url)
    wait_for_chart(page)
    upload(page, hostile)
    expect(page.locator("#update-preview .problems")).to_contain_text("unknown party '<b onmouseover=window.__xss=3>Whigs</b>'")
    expect(page.locator("#update-preview")).to_contain_text("<script>window.__xss = 1</script>")
    expect(page.locator("#update-panel script, #update-panel img, #update-panel b")).to_have_count(0)
    assert page.evaluate("window.__xss") is None
    assert page.console_log.errors() == []


def test_a_file_over_the_limit_gets_a_message(start_server, browser_page, tmp_path):
    server = start_server(max_upload_bytes=2048)
    big = tmp_path / "big.csv"
    big.write_text("Year,Labour\n" + "2025,1\n" * 600)
    page = browser_page
    page.goto(server.url)
    wait_for_chart(page)
    expect(page.locator("#upload-limit")).to_contain_text("Up to 2 KB.")
    upload(page, big)
    expect(page.locator("#update-status")).to_have_text("big.csv is 4.1 KB, over the 2 KB limit: nothing was read.")
    expect(page.locator("#update-preview")).to_have_text("")


def test_with_a_password_an_editor_signs_in_once_and_the_password_is_never_in_the_page(start_server, browser_page,
                                                                                     data_dir, tmp_path):
    secret = "s3cret-for-tests"
    server = start_server(admin_password=secret)
    figure = tmp_path / "f.csv"
    figure.write_text(f"party,year,members,source\nreform,2026,{INVENTED},{INVENTED_SOURCE}\n")
    page = browser_page
    page.goto(server.url + "/?parties=labour,reform")
    wait_for_chart(page)
    page.wait_for_selector("#sign-in-link")                  # the panel has arrived...
    expect(page.locator("#upload-data")).to_have_count(0)    # ...with no editing controls for visitors
    page.click("#sign-in-link")
    page.fill("#password", "not it")
    page.click("button[type=submit]")
    page.wait_for_selector(".error")
    page.fill("#password", secret)
    assert secret not in page.content()                      # typed, not in the HTML
    page.click("button[type=submit]")
    page.wait_for_selector("#upload-data")
    assert "parties=labour,reform" in page.url  # back to the same view
    assert secret not in page.content()
    cookie = next(c for c in page.context.cookies() if c["name"] == "membership_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    upload(page, figure)
    page.wait_for_selector("#preview-changes tr.added")
    page.click("#apply-changes")
    page.wait_for_selector("#update-status .ok")
    page.click("#undo-change")
    page.wait_for_function("() => document.querySelector('#update-status').innerText.includes('Undone')")
    expect(page.locator("#redo-change")).to_have_text("Redo change #1")
    page.click("#redo-change")
    page.wait_for_function("() => document.querySelector('#update-status').innerText.includes('Redone')")
    assert secret not in page.content()
    # Sign out once the redo has settled (a panel redrawn under the click would swallow it), and wait for the
    # server's answer to the form itself: expect_navigation also ends on the page's own pushState of the view.
    # The click scrolls past the Export panel, whose preview is drawn once it is on screen: drawn first, so no
    # callback is in flight at the sign-out (its answer re-sent the session cookie the sign-out had cleared).
    show_export_preview(page)
    page.locator("#sign-out button").scroll_into_view_if_needed()
    page.wait_for_function("() => !document.querySelector('[data-dash-is-loading]')")
    with page.expect_response(lambda answer: answer.url.endswith("/sign-out") and answer.request.method == "POST"):
        page.click("#sign-out button")
    expect(page.locator("#sign-in-link")).to_be_visible(timeout=60_000)  # the new page's panels follow its chart
    wait_for_chart(page)
    assert "parties=labour" in page.url
    assert page.console_log.errors() == []                   # the CSP lets every script of the page run


@pytest.mark.parametrize("browser_page", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}], indirect=True)
def test_panel_screenshots_and_no_sideways_scrolling(live_server, browser_page, data_dir, tmp_path):
    page = browser_page
    width = page.viewport_size["width"]
    figure = tmp_path / "shot.csv"
    year, _ = first_free_year_end(load_dataset(data_dir / "membership.csv")), None
    dataset = load_dataset(data_dir / "membership.csv")
    last = int(dataset.year_ends().query("party == 'labour'")["year"].max())
    members = int(dataset.year_ends().query("party == 'labour' and year == @last")["members"].item())
    figure.write_text(f"Year,Members\n{year},{INVENTED}\n{last},{members + 1}\n{last - 1},c. 300k\n")
    page.goto(live_server.url)
    wait_for_chart(page)
    page.fill("#update-source", INVENTED_SOURCE)
    upload(page, figure)
    page.wait_for_selector("#preview-changes tr.changed")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    save_panel_screenshot(page, f"update-panel-{width}.png")
    assert page.console_log.errors() == []


def test_a_workbook_with_several_sheets_lets_the_user_choose(live_server, browser_page, tmp_path):
    from updates_helpers import xlsx_bytes

    book = tmp_path / "book.xlsx"
    book.write_bytes(xlsx_bytes({"Read me": [["Invented workbook for a test"]],
                                 "Newer": [["Year", "SNP"], [2026, 11]], "Older": [["Year", "SNP"], [2027, 22]]}))
    page = browser_page
    page.goto(live_server.url)
    wait_for_chart(page)
    page.fill("#update-source", INVENTED_SOURCE)
    upload(page, book)
    page.wait_for_selector("#preview-changes tr.added")
    expect(page.locator("#update-preview")).to_contain_text("sheet 'Newer'")
    expect(page.locator("#preview-changes")).to_contain_text("2026")
    expect(page.locator("#update-sheet-wrap")).to_be_visible()
    page.locator("#update-sheet").click()
    page.locator(".dash-dropdown-option", has_text="Older").click()
    expect(page.locator("#update-preview")).to_contain_text("sheet 'Older'")
    expect(page.locator("#preview-changes")).to_contain_text("2027")
    expect(page.locator("#preview-changes")).not_to_contain_text("2026")
    assert page.console_log.errors() == []


def test_changing_the_party_previews_a_two_column_file_again(live_server, browser_page, tmp_path):
    figure = tmp_path / "two.csv"
    figure.write_text(f"Year,Members\n2026,{INVENTED}\n")
    page = browser_page
    page.goto(live_server.url)
    wait_for_chart(page)
    page.fill("#update-source", INVENTED_SOURCE)
    upload(page, figure)
    expect(page.locator("#preview-changes")).to_contain_text("Labour")
    page.locator("#update-party").click()
    page.locator(".dash-dropdown-option", has_text="Plaid Cymru").click()
    expect(page.locator("#preview-changes")).to_contain_text("Plaid Cymru")
    expect(page.locator("#preview-changes")).not_to_contain_text("Labour")
    assert page.console_log.errors() == []


def test_editing_off_the_page_says_why_and_has_no_errors(start_server, browser_page):
    server = start_server(host="0.0.0.0", admin_password="")
    page = browser_page
    page.goto(server.url)  # served on 127.0.0.1, but configured as if reachable from other machines
    wait_for_chart(page)
    expect(page.locator("#update-off")).to_contain_text("Editing is off")  # the panel has arrived...
    expect(page.locator("#upload-data, #apply-changes, #undo-change")).to_have_count(0)  # ...with no controls
    assert page.console_log.errors() == []
