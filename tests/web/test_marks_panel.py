"""The Export panel's form for the writer's notes, as plain functions: what each button and a click on
the chart do to the view's marks, and what the form says (the browser tests drive the same)."""
from __future__ import annotations

import pytest
from werkzeug.exceptions import BadRequest

from dashboard.core.marks import MAX_MARKS, Mark, Period
from dashboard.core.view import View
from dashboard.web import ids
from dashboard.web.marks_panel import AT_DATE, AT_VALUE, click_date, form_action

VIEW = View(parties=("labour", "reform"), marks=(Mark("2015-09-12", "Corbyn elected", party="labour"),),
            highlights=(Period("2015-09-12", "2020-04-04", "Corbyn years"),))


def test_a_click_with_a_note_typed_places_it_there_pinned_to_the_figure_clicked():
    out = form_action(VIEW, ids.CHART_CLICK, {"note_text": "Year end"}, 3, ("2023-12-31", "labour"))
    assert out["edit"] == {"marks": ["2015-09-12@labour:Corbyn elected", "2023-12-31@labour:Year end"],
                           "highlights": ["2015-09-12:2020-04-04:Corbyn years"], "seq": 3}
    assert out["note_text"] == "" and out["note_message"] == "Added the note at 31 Dec 2023."


def test_a_click_with_no_note_typed_gives_the_form_the_date_and_party_only():
    out = form_action(VIEW, ids.CHART_CLICK, {"note_text": "  "}, 1, ("2021-03-05", "snp"))
    assert "edit" not in out
    assert (out["note_date"], out["note_pin"]) == ("2021-03-05", AT_DATE)  # the SNP is not shown: at its date
    assert "type the note" in out["note_message"]


def test_add_edit_save_and_remove_a_note():
    fields = {"note_date": "2017-06-08", "note_pin": AT_VALUE, "note_value": "550,000", "note_text": "Peak"}
    added = form_action(VIEW, ids.NOTE_ADD, fields, 1)
    assert added["edit"]["marks"][-1] == "2017-06-08@550000:Peak"
    editing = form_action(VIEW, {"type": ids.MARK_ACTION, "kind": "note", "do": "edit", "index": 0}, {}, 2)
    assert (editing["note_text"], editing["note_pin"], editing["note_editing"]) == ("Corbyn elected", "labour", 0)
    saved = form_action(VIEW, ids.NOTE_ADD, {"note_date": "2015-09-12", "note_pin": "labour", "note_text": "Corbyn wins",
                                             "note_editing": 0}, 3)
    assert saved["edit"]["marks"] == ["2015-09-12@labour:Corbyn wins"] and saved["note_add"] == "Add note"
    removed = form_action(VIEW, {"type": ids.MARK_ACTION, "kind": "period", "do": "remove", "index": 0}, {}, 4)
    assert removed["edit"]["highlights"] == [] and removed["period_message"] == "Removed the period."


@pytest.mark.parametrize("fields, words", [
    ({"note_text": "x"}, "give the note's date"),
    ({"note_date": "2015-02-30", "note_text": "x"}, "not a day of the calendar"),
    ({"note_date": "2015-02-01", "note_text": ""}, "has no text"),
    ({"note_date": "2015-02-01", "note_text": "a\u202eb"}, "control character"),
    ({"note_date": "2015-02-01", "note_text": "x", "note_pin": AT_VALUE, "note_value": ""}, "number of members"),
])
def test_a_note_the_form_cannot_read_is_not_sent_and_the_form_says_why(fields, words):
    out = form_action(VIEW, ids.NOTE_ADD, fields, 1)
    assert "edit" not in out and words in out["note_message"].lower()


def test_an_eleventh_note_is_refused_and_a_bad_button_or_click_is_a_400():
    full = View(marks=tuple(Mark(f"2015-01-{d:02d}", "n") for d in range(1, MAX_MARKS + 1)))
    out = form_action(full, ids.NOTE_ADD, {"note_date": "2016-01-01", "note_text": "one more"}, 1)
    assert "edit" not in out and f"at most {MAX_MARKS} notes" in out["note_message"]
    with pytest.raises(BadRequest):
        form_action(VIEW, {"type": ids.MARK_ACTION, "kind": "note", "do": "explode", "index": 0}, {}, 1)
    with pytest.raises(BadRequest):
        click_date({"date": "yesterday"})
    assert click_date({"date": "2020-01-01", "party": "labour", "at": 5}) == ("2020-01-01", "labour")
