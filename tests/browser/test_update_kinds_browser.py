"""The update panel's party and event forms in real headless Chromium: a party added through the page is in
the pickers and drawn once it has a figure; a leader's term started in the page (ending the current one) is
drawn as its band; undo takes both away, file by file byte for byte. Everything added is invented (TEST);
the server works on a copy of data/."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from helpers import CHART, js_party_trace, wait_for_chart
from playwright.sync_api import expect
from updates_helpers import INVENTED_SOURCE

from dashboard.core.dataset import load_dataset
from dashboard.updates.forms import current_term
from dashboard.updates.store import Store

pytestmark = pytest.mark.browser
FILES = ("membership.csv", "parties.csv", "events.csv")
# the words of every annotation, without the markup that sets a leader's name in italics
BAND_TEXTS = f"() => document.querySelector('{CHART}').layout.annotations.map(a => a.text.replace(/<[^>]+>/g, ''))"


def files(data_dir: Path) -> dict[str, bytes]:
    return {name: (data_dir / name).read_bytes() for name in FILES}


def apply_and_wait(page, change: int) -> None:
    page.wait_for_function("() => !document.querySelector('#apply-changes').disabled")
    page.click("#apply-changes")
    page.wait_for_function(f"() => document.querySelector('#update-status').innerText.includes('Applied change #{change}')")
    page.wait_for_function(f"() => document.querySelector('#undo-change').innerText === 'Undo change #{change}'")


def undo_and_wait(page, change: int) -> None:
    page.wait_for_function(f"() => document.querySelector('#undo-change').innerText === 'Undo change #{change}'")
    page.click("#undo-change")
    page.wait_for_function(f"() => document.querySelector('#update-status').innerText.includes('change #{change} is reverted')")


def choose(page, dropdown: str, option: str) -> None:
    page.locator(dropdown).click()
    page.locator(".dash-dropdown-option", has_text=option).click()


def test_a_party_and_a_leaders_term_added_in_the_page_are_drawn_and_both_undone(live_server, browser_page, data_dir):
    page = browser_page
    before = files(data_dir)
    term = current_term(load_dataset(data_dir / "membership.csv"), "labour")
    assert term is not None
    start = dt.date.fromisoformat(term["start"]) + dt.timedelta(days=10)   # a TEST leader, ten days into the term
    page.goto(f"{live_server.url}/?parties=labour&start={start.year - 1}&end={start.year}")
    wait_for_chart(page)

    # a new party: no colour given, so the page shows the one chosen, with its marker
    page.fill("#party-form-name", "TEST Party")
    page.fill("#party-form-source", INVENTED_SOURCE)
    page.click("#preview-party")
    preview = page.locator("#update-preview")
    expect(page.locator("#preview-parties tr.added")).to_have_count(1)
    expect(preview.locator(".preview-summary")).to_contain_text("The party you entered: 1 new, 0 changed")
    expect(preview).to_contain_text("was chosen, clear of every party's")
    expect(preview).not_to_contain_text("--")
    expect(page.locator("#preview-parties .swatch")).to_have_count(1)
    apply_and_wait(page, 1)

    # a figure of it, its date written the British way, in the figure form that now offers the party
    choose(page, "#update-party", "TEST Party")
    page.fill("#update-year", str(start.year))
    page.fill("#update-members", "1234")
    page.fill("#update-as-of", start.strftime("%d/%m/%Y"))
    page.fill("#update-source", INVENTED_SOURCE)
    page.click("#preview-form")
    expect(page.locator("#preview-changes tr.added")).to_contain_text(start.isoformat())   # read day first
    apply_and_wait(page, 2)

    # drawn once chosen in the chart's own picker
    choose(page, "#party-select", "TEST Party")
    page.keyboard.press("Escape")
    page.wait_for_function(f"() => Boolean({js_party_trace('testparty', 'dated')})")

    # the next Labour leader, ending the current one's term on the same day: one change
    page.fill("#event-form-name", "TEST leader")
    page.fill("#event-form-start", start.strftime("%d/%m/%Y"))
    page.fill("#event-form-source", INVENTED_SOURCE)
    page.click("#preview-event")
    expect(page.locator("#preview-events tr.added")).to_contain_text("TEST leader")
    expect(page.locator("#preview-events tr.changed")).to_contain_text(str(term["name"]))  # the current term ends
    expect(page.locator("#overwrite-wrap")).to_be_hidden()  # giving a term its end overwrites nothing
    apply_and_wait(page, 3)
    page.wait_for_function(f"() => ({BAND_TEXTS})().includes('TEST leader')")
    entry = Store(data_dir / "membership.csv").entries()[-1]
    assert set(entry.versions) == {"events"} and len(entry.changes) == 2

    # undo both: the term, then the figure and the party, each restoring its files byte for byte
    undo_and_wait(page, 3)
    page.wait_for_function(f"() => !({BAND_TEXTS})().includes('TEST leader')")
    undo_and_wait(page, 2)
    page.wait_for_function(f"() => !{js_party_trace('testparty', 'dated')}")
    undo_and_wait(page, 1)
    assert files(data_dir) == before
    expect(page.locator("#update-history")).to_contain_text("TEST Party")   # names, never slugs
    expect(page.locator("#update-history")).not_to_contain_text("testparty")
    assert page.console_log.errors() == []


def test_filling_in_source_after_choosing_a_file_checks_it_again(live_server, browser_page, data_dir, tmp_path):
    page = browser_page
    year = load_dataset(data_dir / "membership.csv").year_ends().query("party == 'labour'")["year"].max() + 1
    upload = tmp_path / "f.csv"
    upload.write_text(f"Year,Members\n{year},1234\n")
    page.goto(live_server.url)
    wait_for_chart(page)
    page.set_input_files("#upload-data input[type=file]", str(upload))
    expect(page.locator("#update-preview .problems")).to_contain_text("fill in Source")
    expect(page.locator("#update-preview .problems")).not_to_contain_text("--source")
    page.fill("#update-source", INVENTED_SOURCE)
    page.keyboard.press("Tab")
    page.wait_for_function("() => !document.querySelector('#update-preview .problems')")
    page.wait_for_function("() => !document.querySelector('#apply-changes').disabled")
    choose(page, "#update-basis", "audited accounts")
    page.wait_for_function("() => document.querySelector('#preview-changes').innerText.includes('audited accounts')")
    assert page.console_log.errors() == []


def test_previewing_an_empty_figure_form_says_what_to_fill_in(live_server, browser_page):
    page = browser_page
    page.goto(live_server.url)
    wait_for_chart(page)
    page.click("#preview-form")
    preview = page.locator("#update-preview")
    expect(preview.locator(".problems")).to_contain_text("fill in Year and Members")
    for words in ("already in the data", "form (form)", "column '"):
        expect(preview).not_to_contain_text(words)
