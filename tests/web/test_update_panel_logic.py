"""The Update panel's callbacks as plain functions, called without a Dash app or a browser: what a click asks
for, what the panel shows after a preview, an apply, an undo or a refusal, and a view that follows the data."""
from __future__ import annotations

from pathlib import Path

import pytest
from updates_helpers import INVENTED_SOURCE, first_free_year_end

from dashboard.config import Settings
from dashboard.core.dataset import DatasetCache, load_dataset
from dashboard.core.view import View, default_range, view_to_dict
from dashboard.updates.store import Refused, Store
from dashboard.web import ids
from dashboard.web.update_forms import PARTY_INPUTS, party_form_values
from dashboard.web.update_panel import (
    HIDDEN,
    apply_pending,
    change_state,
    deciding_trigger,
    follow_latest,
    preview_state,
    request_for,
    undo_or_redo,
)

STATUS, VERSION, PENDING = (ids.UPDATE_STATUS, "children"), (ids.DATA_VERSION, "data"), (ids.UPDATE_PENDING, "data")
NO_FORMS = ([None] * 6, [None] * 8, [None] * 7, None)


def text_of(component) -> str:
    return component.children


@pytest.fixture
def panel(data_dir: Path):
    settings = Settings(data_path=data_dir / "membership.csv")
    return settings, Store(settings.data_path), DatasetCache(settings.data_path)


def figure_request(dataset, members: int = 123456, year: int | None = None) -> dict:
    figure = [str(year or first_free_year_end(dataset)), str(members), "", INVENTED_SOURCE, "", ""]
    return request_for(ids.PREVIEW_FORM, None, None, "labour", "", [], figure, *NO_FORMS)


def test_a_preview_button_wins_over_the_box_it_took_the_focus_from_and_a_new_file_over_a_field():
    left_source = {ids.UPDATE_SOURCE, ids.PREVIEW_FORM}
    assert deciding_trigger(left_source, ids.UPDATE_SOURCE) == ids.PREVIEW_FORM
    assert deciding_trigger({ids.UPDATE_PARTY, ids.UPLOAD_PAYLOAD}, ids.UPDATE_PARTY) == ids.UPLOAD_PAYLOAD
    assert deciding_trigger({ids.UPDATE_PARTY}, ids.UPDATE_PARTY) == ids.UPDATE_PARTY


def test_a_field_changed_while_no_file_is_shown_asks_for_no_preview():
    figure = ["2030", "1", "", "s", "", ""]
    assert request_for(ids.UPDATE_PARTY, None, None, "labour", "", [], figure, *NO_FORMS[1:], {"kind": "form"}) is None
    assert request_for(ids.UPDATE_PARTY, None, None, "labour", "", [], figure, *NO_FORMS[1:], {"kind": "file"}) is None


def test_a_field_changed_while_a_file_is_shown_rechecks_it_with_the_new_defaults_and_keeps_its_sheet():
    figure = ["2030", "1", "", "the source", "https://example.org", "a note"]
    request = request_for(ids.UPDATE_BASIS, {"contents": "x"}, "Sheet2", "green", "accounts", ["yes"], figure,
                          *NO_FORMS[1:], {"kind": "file"})
    assert request == {"kind": "file", "sheet": "Sheet2", "add_parties": True,
                       "defaults": ["green", "the source", "https://example.org", "a note", "accounts"]}
    new_file = request_for(ids.UPLOAD_PAYLOAD, {"contents": "x"}, "Sheet2", "green", "", [], figure, *NO_FORMS[1:], None)
    assert new_file is not None and new_file["sheet"] is None


def test_a_refused_preview_clears_what_could_be_applied_and_reads_nothing(panel):
    settings, _, _ = panel

    def unread():
        raise AssertionError("the data was read for a visitor who may not change it")

    state = preview_state(unread, {"kind": "form", "fields": {}}, None, settings, refusal="Sign in first.")
    assert text_of(state[STATUS]) == "Sign in first."
    assert state[PENDING] is None and state[(ids.OVERWRITE_WRAP, "style")] == HIDDEN
    assert (ids.UPDATE_SHEET, "options") not in state  # the sheet chooser stays as it is


def test_a_clean_preview_of_a_new_figure_can_be_applied_without_the_overwrite_box(panel):
    settings, _, cache = panel
    state = preview_state(cache.get, figure_request(cache.get()), None, settings, refusal=None)
    pending = state[PENDING]
    assert pending["can_apply"] is True and pending["needs_overwrite"] is False and pending["stamp"]
    assert state[(ids.OVERWRITE_WRAP, "style")] == HIDDEN and state[STATUS] == ""


def test_apply_then_undo_say_what_they_did_and_give_back_the_bytes(panel):
    settings, store, cache = panel
    before = settings.data_path.read_bytes()
    request = figure_request(cache.get())
    pending = preview_state(cache.get, request, None, settings, refusal=None)[PENDING]
    applied = change_state(store, cache.get, ids.APPLY_CHANGES, pending, None, [], None, {}, settings, "tester")
    assert text_of(applied[STATUS]) == ("Applied change #1 from the form: 1 new, 0 changed. Undo restores the "
                                        "previous data exactly.")
    assert applied[VERSION] == cache.get().version and applied[PENDING] is None
    assert applied[(ids.UNDO_TARGET, "data")] == 1 and applied[(ids.UNDO_CHANGE, "children")] == "Undo change #1"
    undone = change_state(store, cache.get, ids.UNDO_CHANGE, None, None, [], None,
                          {ids.UNDO_CHANGE: 1, ids.REDO_CHANGE: None}, settings, "tester")
    assert text_of(undone[STATUS]) == ("Undone: change #1 is reverted and the data is exactly as it was before it.")
    assert settings.data_path.read_bytes() == before
    redone = undo_or_redo(store, ids.REDO_CHANGE, undone[(ids.REDO_TARGET, "data")], "tester")
    assert redone == "Redone: change #1 is back, exactly as it was applied."


def test_a_refused_change_says_nothing_was_changed_and_leaves_the_chart_alone(panel):
    settings, store, cache = panel
    before = settings.data_path.read_bytes()
    state = change_state(store, cache.get, ids.APPLY_CHANGES, None, None, [], None, {}, settings, "tester")
    assert text_of(state[STATUS]) == ("Nothing was changed: there is no previewed change to apply: upload a file or "
                                      "preview a figure first")
    assert VERSION not in state and (ids.VIEW_STORE, "data") not in state and PENDING not in state
    assert settings.data_path.read_bytes() == before


@pytest.mark.parametrize("target", [None, "1", True, 1.0])
def test_undo_of_a_change_the_page_does_not_name_is_refused_before_the_store_is_asked(target):
    class Untouched:
        def __getattr__(self, name):
            raise AssertionError(f"the store was asked to {name}")

    with pytest.raises(Refused, match="does not know which change"):
        undo_or_redo(Untouched(), ids.UNDO_CHANGE, target, "tester")


def test_an_apply_of_a_tampered_preview_is_refused(panel):
    settings, store, cache = panel
    pending = preview_state(cache.get, figure_request(cache.get()), None, settings, refusal=None)[PENDING]
    tampered = {**pending, "fields": {**pending["fields"], "members": "999999"}}
    with pytest.raises(Refused):
        apply_pending(store, cache.get(), tampered, None, False, settings, "tester")
    assert store.entries() == []


def test_a_view_ending_at_the_latest_figure_follows_a_new_latest_year_and_an_earlier_end_stays(panel):
    settings, store, cache = panel
    before = cache.get()
    parties = ("labour",)
    latest = default_range(before, parties)[1]
    request = figure_request(before, year=latest + 1)  # a year-end figure after Labour's latest figure of any date
    pending = preview_state(cache.get, request, None, settings, refusal=None)[PENDING]
    apply_pending(store, before, pending, None, False, settings, "tester")
    after = load_dataset(settings.data_path)
    followed = follow_latest(view_to_dict(View(parties=parties, end=latest)), before, after)
    assert followed is not None and followed["end"] == default_range(after, parties)[1] > latest
    assert follow_latest(view_to_dict(View(parties=parties, end=latest - 3)), before, after) is None
    assert follow_latest(None, before, after) is None


def test_choosing_an_existing_party_fills_its_form_and_a_new_party_empties_it_with_nothing_to_remove(panel):
    _, _, cache = panel
    labour = cache.get().parties["labour"]
    values, remove_off = party_form_values(labour)
    assert dict(zip(PARTY_INPUTS, values)) == {"name": labour.name, "colour": labour.colour,
                                               "aliases": ";".join(labour.aliases), "short": labour.short,
                                               "source": labour.source, "url": labour.url, "note": labour.note}
    assert remove_off is False
    assert party_form_values(None) == ([""] * len(PARTY_INPUTS), True)
