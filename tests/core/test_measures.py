"""The measures on hand-computed values (invented figures, not data: the arithmetic is the point)."""
from __future__ import annotations

import pandas as pd
import pytest

from dashboard.core.measures import (
    CHANGE,
    CHANGE_PERCENT,
    INDEX,
    MEMBERS,
    change_on_previous_year_end,
    default_base_year,
    indexed_to,
    measure_series,
    parties_without_base,
    percent_change_on_previous_year_end,
    year_end_series,
)

# Invented: 2003 is missing, so 2004 has no change on the previous year end.
SERIES = {2000: 200, 2001: 250, 2002: 200, 2004: 300, 2005: 150}


def test_change_is_this_year_end_minus_the_previous_one():
    assert change_on_previous_year_end(SERIES) == {2001: 50, 2002: -50, 2005: -150}


def test_a_missing_year_is_a_gap_in_the_change_not_a_change_over_two_years():
    changes = change_on_previous_year_end(SERIES)
    assert 2003 not in changes and 2004 not in changes
    assert 2000 not in changes  # nothing before the first figure


def test_percent_change_is_on_the_previous_year_end():
    assert percent_change_on_previous_year_end(SERIES) == {2001: 25.0, 2002: -20.0, 2005: -50.0}


def test_percent_change_on_a_zero_figure_is_a_gap():
    assert percent_change_on_previous_year_end({2000: 0, 2001: 10, 2002: 15}) == {2002: 50.0}


def test_a_party_with_a_single_year_end_has_no_change_at_all():
    assert change_on_previous_year_end({2010: 65_000}) == {}
    assert percent_change_on_previous_year_end({2010: 65_000}) == {}


def test_index_divides_by_the_base_year_figure():
    assert indexed_to(SERIES, 2000) == {2000: 100.0, 2001: 125.0, 2002: 100.0, 2004: 150.0, 2005: 75.0}
    assert indexed_to(SERIES, 2004) == {2000: pytest.approx(66.6667, abs=1e-4), 2001: pytest.approx(83.3333, abs=1e-4),
                                        2002: pytest.approx(66.6667, abs=1e-4), 2004: 100.0, 2005: 50.0}


def test_index_to_a_year_without_a_figure_is_none_not_a_guess():
    assert indexed_to(SERIES, 2003) is None
    assert indexed_to({2000: 0, 2001: 5}, 2000) is None


def test_year_end_series_leaves_out_figures_at_other_dates():
    rows = pd.DataFrame({"party": ["x", "x", "x", "y"], "year": [2000, 2001, 2001, 2001],
                         "members": [10, 20, 99, 5], "as_of": ["", "", "2001-06-30", ""]})
    assert year_end_series(rows, "x") == {2000: 10, 2001: 20}


def test_measure_series_keeps_the_years_shown_and_what_each_is_measured_against():
    measured = measure_series("x", SERIES, CHANGE, 2002, 2005)
    assert measured.values == {2002: -50.0, 2005: -150.0}  # 2002 is measured against 2001, outside the range
    assert measured.against == {2002: 2001, 2005: 2004}
    percent = measure_series("x", SERIES, CHANGE_PERCENT, 2000, 2005)
    assert percent.values == {2001: 25.0, 2002: -20.0, 2005: -50.0}
    members = measure_series("x", SERIES, MEMBERS, 2001, 2004)
    assert members.values == {2001: 250.0, 2002: 200.0, 2004: 300.0}


def test_measure_series_index_to_a_base_outside_the_range_shown():
    measured = measure_series("x", SERIES, INDEX, 2004, 2005, base_year=2000)
    assert measured.values == {2004: 150.0, 2005: 75.0}
    assert set(measured.against.values()) == {2000}
    assert not measured.not_indexed


def test_measure_series_says_when_a_party_cannot_be_indexed():
    measured = measure_series("x", SERIES, INDEX, 2000, 2005, base_year=2003)
    assert measured.not_indexed and measured.values == {}


def test_default_base_year_is_the_earliest_year_most_parties_have_a_figure():
    by_party = {"a": {2000: 1, 2001: 1, 2002: 1}, "b": {2001: 1, 2002: 1}, "c": {2002: 1, 2003: 1}}
    assert default_base_year(by_party, 2000, 2003) == 2002
    assert default_base_year({"a": {2000: 1}, "b": {2001: 1}}, 2000, 2003) == 2000
    assert default_base_year({"a": {}}, 1995, 2003) == 1995


def test_parties_without_base_lists_those_with_no_figure_for_it():
    by_party = {"a": {2000: 1, 2001: 1}, "b": {2001: 1}, "c": {}}
    assert parties_without_base(by_party, 2000) == ["b", "c"]


@pytest.mark.parametrize("measure, base_year", [(MEMBERS, None), (CHANGE, None), (CHANGE_PERCENT, None), (INDEX, 2000),
                                                (INDEX, 2003)])
def test_measured_values_name_their_party_and_measure(measure, base_year):
    """The chart labels and colours a series by its party: every path names it, the not-indexed one too."""
    measured = measure_series("snp", SERIES, measure, 2000, 2005, base_year=base_year)
    assert (measured.party, measured.measure) == ("snp", measure)


def test_members_are_measured_against_their_own_year():
    assert measure_series("x", SERIES, MEMBERS, 2001, 2004).against == {2001: 2001, 2002: 2002, 2004: 2004}


def test_an_index_without_a_base_year_or_an_unknown_measure_is_an_error_that_says_which():
    with pytest.raises(ValueError, match="^an index needs a base year$"):
        measure_series("x", SERIES, INDEX, 2000, 2005)
    with pytest.raises(ValueError, match="^unknown measure 'sideways'$"):
        measure_series("x", SERIES, "sideways", 2000, 2005)


def test_default_base_year_for_parties_whose_figures_start_late_is_the_first_year_any_has():
    assert default_base_year({"a": {2002: 1, 2003: 1}}, 2000, 2003) == 2002
    assert default_base_year({"a": {2001: 1}, "b": {2003: 1}}, 2000, 2003) == 2001


def test_default_base_year_is_within_the_years_shown_even_when_a_later_one_has_more_parties():
    by_party = {"a": {2000: 1, 2004: 1}, "b": {2004: 1}, "c": {2004: 1}}
    assert default_base_year(by_party, 2000, 2003) == 2000
