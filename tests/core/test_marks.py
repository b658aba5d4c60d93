"""The writer's marks in the view: read from a link's words, bounded, refused as uploads are when
they hide control characters, and given back by the link, the page's store and the CLI's parser."""
from __future__ import annotations

import pytest

from dashboard.core.dataset import load_dataset
from dashboard.core.marks import (
    MAX_MARK_TEXT,
    MAX_MARKS,
    MAX_PERIODS,
    Mark,
    MarkError,
    Period,
    mark_text,
    outside_years,
    read_mark,
    read_marks,
    read_period,
    read_periods,
)
from dashboard.core.view import View, read_query, resolve, view_from_dict, view_from_link, view_to_dict, view_to_query


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def test_a_note_is_read_at_its_date_on_a_party_line_or_at_a_value():
    assert read_mark("2015-09-12:Corbyn elected") == Mark("2015-09-12", "Corbyn elected")
    assert read_mark("2015-09-12@labour:Corbyn elected") == Mark("2015-09-12", "Corbyn elected", party="labour")
    assert read_mark("2017-06-08@550,000:A peak") == Mark("2017-06-08", "A peak", value=550_000)
    # the text may hold colons and '@'; whitespace of several kinds is one space
    assert read_mark("2020-04-04:Starmer: leader @ last\n ").text == "Starmer: leader @ last"


@pytest.mark.parametrize("written, words", [
    ("2015-13-01:x", "'2015-13-01' is not a day of the calendar"),
    ("12/09/2015:x", "is not a date written YYYY-MM-DD"),
    ("2015-09-12", "has no ':'"),
    ("2015-09-12:   ", "has no text"),
    ("2015-09-12@:x", "'@' but no party or value"),
    ("2015-09-12@0:x", "which no chart shows"),
    ("2015-09-12:" + "x" * (MAX_MARK_TEXT + 1), f"at most {MAX_MARK_TEXT}"),
    ("2015-09-12:evil\u202etxt", "control character U+202E"),
    ("2015-09-12:bell\x07", "control character U+0007"),
])
def test_a_note_that_cannot_be_read_says_what_is_wrong(written, words):
    with pytest.raises(MarkError, match=words.replace("(", r"\(").replace("+", r"\+")):
        read_mark(written)


def test_a_period_is_read_in_order_and_its_label_may_be_empty_or_hold_colons():
    assert read_period("2020-04-04:2015-09-12:Corbyn years") == Period("2015-09-12", "2020-04-04", "Corbyn years")
    assert read_period("2015-09-12:2020-04-04:") == Period("2015-09-12", "2020-04-04", "")
    assert read_period("2015-09-12:2020-04-04:a: b").label == "a: b"
    for bad, words in (("2015-09-12", "not START:END:LABEL"), ("2015-09-12:2015-09-12:x", "same day"),
                       ("2015-09-12:soon:x", "not a date"), ("2015-09-12:2016-01-01:\u2066x", "control character")):
        with pytest.raises(MarkError, match=words):
            read_period(bad)


def test_more_marks_than_the_limit_are_set_aside_with_a_sentence():
    marks, problems = read_marks([f"2015-01-{d:02d}:n{d}" for d in range(1, MAX_MARKS + 3)])
    assert len(marks) == MAX_MARKS and problems == [f"At most {MAX_MARKS} notes: the last 2 set aside."]
    periods, problems = read_periods([f"{2000 + y}-01-01:{2000 + y}-06-01:p" for y in range(MAX_PERIODS + 1)])
    assert len(periods) == MAX_PERIODS and problems == [f"At most {MAX_PERIODS} highlighted periods: the last 1 set aside."]


def test_marks_round_trip_through_the_link_with_their_colons_and_at_signs_legible():
    view = View(parties=("labour",), marks=(Mark("2015-09-12", "Corbyn elected", party="labour"),
                                            Mark("2017-06-08", "A & B: 50%", value=550_000)),
                highlights=(Period("2015-09-12", "2020-04-04", "Corbyn years"),))
    query = view_to_query(view)
    assert "mark=2015-09-12@labour:Corbyn+elected" in query and "highlight=2015-09-12:2020-04-04:Corbyn+years" in query
    assert read_query(query) == (view, [])
    assert view_from_dict(view_to_dict(view)) == view


def test_the_issue_s_example_link_opens_with_its_note_and_period(dataset):
    view, notices = view_from_link("?parties=labour&mark=2015-09-12:Corbyn%20elected"
                                   "&highlight=2015-09-12:2020-04-04:Corbyn%20years", dataset)
    assert notices == []
    assert view.marks == (Mark("2015-09-12", "Corbyn elected"),)
    assert view.highlights == (Period("2015-09-12", "2020-04-04", "Corbyn years"),)


def test_a_bad_mark_in_a_link_opens_the_nearest_view_with_a_notice_naming_it(dataset):
    view, notices = view_from_link("?parties=labour,reform&mark=2015-02-30:Nope&mark=2015-09-12:Kept"
                                   "&highlight=2015:2016:x&mark=2016-01-01@Lib%20Dems:Aliased"
                                   "&mark=2016-02-01@tories2:Unknown", dataset)
    assert view.parties == ("labour", "reform")
    assert [m.text for m in view.marks] == ["Kept", "Aliased", "Unknown"]
    assert view.marks[1].party == "libdem"  # as people write it, matched as parties are
    assert view.marks[2].party == ""  # an unknown party: drawn at its date only
    texts = [n.text for n in notices]
    assert any("'2015-02-30' is not a day of the calendar: set aside" in t for t in texts)
    assert any("highlight's start '2015' is not a date" in t for t in texts)
    assert any("pinned to 'tories2', an unknown party" in t for t in texts)


def test_a_view_from_the_page_store_keeps_only_marks_it_can_read_and_resolve_keeps_the_limits(dataset):
    stored = view_to_dict(View(marks=(Mark("2015-09-12", "ok"),)))
    stored["marks"] += ["nonsense", "2016-01-01:\u202eevil"]
    assert view_from_dict(stored).marks == (Mark("2015-09-12", "ok"),)
    many = View(marks=tuple(Mark(f"2015-01-{d:02d}", "n") for d in range(1, 20)),
                highlights=tuple(Period("2015-01-01", f"2015-02-{d:02d}") for d in range(1, 9)))
    resolved = resolve(many, dataset)
    assert len(resolved.marks) == MAX_MARKS and len(resolved.highlights) == MAX_PERIODS


def test_marks_outside_the_years_shown_are_listed_and_a_period_partly_inside_is_not():
    marks = (Mark("2014-12-31", "before"), Mark("2015-01-01", "inside"), Mark("2026-01-01", "after " * 10))
    periods = (Period("2010-01-01", "2015-06-01", "overlaps"), Period("2000-01-01", "2001-01-01", ""))
    [sentence] = outside_years(marks, periods, 2015, 2025)
    assert sentence.startswith("Outside the years shown (2015–2025), not drawn: the note 'before' (2014-12-31)")
    assert "the note 'after after after after after…' (2026-01-01)" in sentence
    assert "the highlight 'unlabelled' (2000-01-01 to 2001-01-01)" in sentence
    assert "inside" not in sentence and "overlaps" not in sentence
    assert outside_years(marks[1:2], periods[:1], 2015, 2025) == []


def test_a_mark_written_by_the_link_is_read_back_the_same():
    for mark in (Mark("2015-09-12", "x"), Mark("2015-09-12", "y", party="snp"), Mark("2015-09-12", "z", value=12)):
        assert read_mark(mark_text(mark)) == mark
