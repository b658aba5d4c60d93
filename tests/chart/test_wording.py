"""A figure in words: its bound, its date as precisely as it is known, and ranking two figures only
where their words allow it."""
from __future__ import annotations

import pytest

from dashboard.chart.wording import Bounds, basis_phrase, bounds, order, possessive, value_text, when_text


@pytest.mark.parametrize(("bound", "words"), [
    ("", "268,631"), ("below", "below 250,000"), ("above", "more than 180,000"), ("about", "about 93,000"),
])
def test_a_figure_is_written_with_the_qualifier_its_bound_gives_it(bound, words):
    members = int(words.rsplit(" ", 1)[-1].replace(",", ""))
    assert value_text(members, bound) == words


def test_a_bound_the_wording_does_not_know_writes_the_plain_figure():
    assert bounds(268_631, "roughly") == Bounds(268_631, "exact")
    assert value_text(268_631, "roughly") == "268,631"
    assert bounds(180_000, "above") == Bounds(180_000, "more than")


@pytest.mark.parametrize(("members", "bound", "compact"), [
    (268_631, "", "269k"), (250_000, "below", "<250k"), (180_000, "above", ">180k"), (93_000, "about", "~93k"),
    (10_000, "", "10k"), (9_999, "", "10.0k"), (9_460, "below", "<9.5k"), (2_051, "", "2.1k"),
])
def test_a_compact_figure_keeps_its_bound_as_a_sign_and_one_decimal_below_ten_thousand(members, bound, compact):
    assert value_text(members, bound, compact=True) == compact


@pytest.mark.parametrize(("as_of", "precision", "long", "short"), [
    ("", "day", "31 Dec 2024", "end 24"),
    ("2025-08-01", "day", "1 Aug 2025", "Aug 25"),
    ("2025-12-01", "month", "Dec 2025", "Dec 25"),
    ("2025-10-27", "approximate", "Oct 2025", "Oct 25"),
    ("2018-07-01", "year", "2018", "2018"),
])
def test_a_date_is_written_as_precisely_as_it_is_known(as_of, precision, long, short):
    year = int(as_of[:4]) if as_of else 2024
    assert when_text(as_of, year, precision) == long
    assert when_text(as_of, year, precision, short=True) == short


def test_a_date_known_to_the_day_is_the_default():
    assert when_text("2025-08-21", 2025) == "21 Aug 2025"
    assert when_text("", 2019) == "31 Dec 2019"


def test_a_year_end_figure_is_dated_31_december_whatever_the_precision_says():
    assert when_text("", 2018, "year") == "31 Dec 2018"
    assert when_text("", 2018, "month") == "31 Dec 2018"
    assert when_text("", 2018, "year", short=True) == "end 18"


def test_a_basis_is_named_in_a_sentence_and_an_unrecorded_one_says_so():
    assert basis_phrase("party_claim") == "the party's own claim"
    assert basis_phrase("accounts") == "audited accounts"
    assert basis_phrase("") == "a source that does not give its basis"


def test_a_possessive_after_a_final_s_is_an_apostrophe_alone():
    assert possessive("Reform UK") == "Reform UK's"
    assert possessive("Liberal Democrats") == "Liberal Democrats'"


# ---------------------------------------------------------------- ranking two figures


def test_exact_figures_rank_by_value_and_equal_ones_cannot_be_ranked():
    assert order(Bounds(100_000), Bounds(99_999)) == 1
    assert order(Bounds(99_999), Bounds(100_000)) == -1
    assert order(Bounds(100_000), Bounds(100_000)) == 0
    assert order(Bounds(0), Bounds(0)) == 0


def test_an_upper_bound_is_not_known_to_be_above_a_figure_near_it():
    below_250k = Bounds(250_000, "below")
    assert order(below_250k, Bounds(240_000)) == 0 and order(Bounds(240_000), below_250k) == 0
    assert order(Bounds(260_000), below_250k) == 1 and order(below_250k, Bounds(260_000)) == -1


def test_a_lower_bound_is_not_known_to_be_below_a_figure_near_it():
    more_than_100k = Bounds(100_000, "more than")
    assert order(more_than_100k, Bounds(105_000)) == 0 and order(Bounds(105_000), more_than_100k) == 0
    assert order(more_than_100k, Bounds(95_000)) == 1 and order(Bounds(95_000), more_than_100k) == -1
    assert order(more_than_100k, Bounds(100_000)) == 0 and order(Bounds(100_000), more_than_100k) == 0


def test_an_about_figure_ranks_as_its_value():
    assert order(Bounds(93_000, "about"), Bounds(92_000)) == 1
    assert order(Bounds(92_000), Bounds(93_000, "about")) == -1


def test_figures_a_fifth_apart_rank_as_stated_whatever_their_qualifiers():
    # 'below 100,000' against 'more than 80,000': the words allow either, a reader takes the larger
    assert order(Bounds(100_000, "below"), Bounds(80_000, "more than")) == 1
    assert order(Bounds(80_000, "more than"), Bounds(100_000, "below")) == -1
    # just under a fifth apart: left unranked
    assert order(Bounds(100_000, "below"), Bounds(80_001, "more than")) == 0
    assert order(Bounds(80_001, "more than"), Bounds(100_000, "below")) == 0
    assert order(Bounds(250_000, "below"), Bounds(90_000, "more than")) == 1
