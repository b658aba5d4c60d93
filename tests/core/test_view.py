"""The view: one validated object shared by URL, controls, CLI and export."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from dashboard.core.dataset import BASES, load_dataset
from dashboard.core.measures import CHANGE, CHANGE_PERCENT, INDEX, MEMBERS
from dashboard.core.view import (
    View,
    default_range,
    query_notices,
    read_query,
    resolve,
    view_from_dict,
    view_from_link,
    view_from_query,
    view_to_dict,
    view_to_query,
)


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def test_default_view_is_labour_from_1989_to_its_latest_figure_of_any_date(dataset):
    view = resolve(View(), dataset)
    latest = int(dataset.counts.query("party == 'labour'")["year"].max())
    assert (view.parties, view.start, view.end) == (("labour",), 1989, latest)
    assert (view.measure, view.base_year, view.log_scale) == (MEMBERS, None, False)


def invented(rows: list[tuple[str, int, int, str, str]]):
    """A dataset of invented figures (party, year, members, as_of, basis), marked as such."""
    dataset = load_dataset()
    counts = pd.DataFrame([{"party": p, "year": y, "members": m, "as_of": a, "source": "TEST: invented figure",
                            "url": "", "note": "", "basis": b} for p, y, m, a, b in rows])
    return replace(dataset, counts=counts.astype({"year": "int64", "members": "int64"}))


def test_default_range_runs_to_a_dated_figure_after_the_last_year_end():
    dataset = invented([("labour", 2020, 100, "", "accounts"), ("labour", 2022, 90, "", "accounts"),
                        ("labour", 2023, 80, "2023-12-01", "press"), ("reform", 2024, 50, "2024-06-01", "party_claim")])
    assert default_range(dataset, ("labour",)) == (2020, 2023)
    assert default_range(dataset, ("labour", "reform")) == (2020, 2024)
    assert default_range(dataset, ("labour",), ("accounts",)) == (2020, 2022)


def test_bases_chosen_round_trip_through_the_url_and_all_of_them_is_the_default(dataset):
    view = View(parties=("labour", "reform"), bases=("accounts", "party_report"))
    assert view_to_query(view) == "?parties=labour,reform&bases=accounts,party_report"
    assert view_from_query(view_to_query(view)) == view
    assert resolve(View(bases=tuple(BASES)), dataset).bases == ()
    assert view_to_query(resolve(View(bases=tuple(reversed(BASES))), dataset)) == view_to_query(resolve(View(), dataset))


def test_an_unknown_basis_in_a_url_opens_every_basis_with_a_short_notice():
    view = view_from_query("?parties=labour,reform&bases=accounts,rumour")
    assert view.bases == () and view.parties == ("labour", "reform")
    [notice] = query_notices("?parties=labour,reform&bases=accounts,rumour")
    assert "'rumour'" in notice and "every basis" in notice and "accounts" in notice
    assert query_notices("?parties=labour&bases=accounts") == []


def test_query_string_round_trips_a_view():
    view = View(parties=("labour", "reform"), start=2010, end=2024, leaders=False, title="Mine & yours")
    assert view_from_query(view_to_query(view)) == view


def test_default_view_has_an_empty_query_string():
    assert view_to_query(View()) == ""


ROUND_TRIPS = {
    "parties": View(parties=("snp", "labour", "libdem")),
    "start": View(start=1995),
    "end": View(end=2015),
    "measure change": View(measure=CHANGE),
    "measure change-percent": View(measure=CHANGE_PERCENT),
    "measure index and base year": View(measure=INDEX, base_year=2010),
    "log scale": View(log_scale=True),
    "elections off": View(elections=False),
    "leaders off": View(leaders=False),
    "other dates off": View(other_dates=False),
    "title": View(title="Labour & the SNP, 2010=100?"),
    "subtitle": View(subtitle="a, b; c"),
    "note": View(note="2024: provisional (#1)"),
    "bases shown": View(parties=("labour", "reform"), bases=("accounts", "party_claim")),
}


@pytest.mark.parametrize("view", ROUND_TRIPS.values(), ids=ROUND_TRIPS.keys())
def test_every_field_survives_view_to_url_to_view(view, dataset):
    resolved = resolve(view, dataset)
    assert resolve(view_from_query(view_to_query(resolved)), dataset) == resolved
    assert view_from_link(view_to_query(resolved), dataset) == (resolved, [])


def test_every_field_at_once_survives_the_url(dataset):
    view = resolve(View(parties=("green", "labour"), start=2000, end=2020, elections=False, leaders=False,
                        other_dates=False, title="T", subtitle="S", note="N", measure=INDEX, base_year=2014,
                        bases=("accounts", "party_report")), dataset)
    assert view_from_link(view_to_query(view), dataset) == (view, [])


def test_party_list_in_the_url_reads_as_written():
    assert "parties=labour,snp" in view_to_query(View(parties=("labour", "snp")))


def test_unreadable_query_falls_back_to_defaults_instead_of_failing(dataset):
    view = resolve(view_from_query("?parties=nonsense,,&start=abc&end=99999&elections=maybe"), dataset)
    assert view.parties == ("labour",)
    assert view.start <= view.end <= dataset.year_bounds()[1]


def test_reversed_range_is_put_in_order(dataset):
    view = resolve(View(start=2020, end=2000), dataset)
    assert (view.start, view.end) == (2000, 2020)


def test_view_survives_the_page_store_as_json():
    view = View(parties=("snp", "labour"), start=2003, end=2020, other_dates=False, measure=INDEX, base_year=2010,
                bases=("accounts",))
    assert view_from_dict(view_to_dict(view)) == view


def test_party_without_a_year_end_series_defaults_to_the_years_it_has_figures(dataset):
    reform = dataset.counts.query("party == 'reform'")
    view = resolve(View(parties=("reform",)), dataset)
    assert (view.start, view.end) == (int(reform["year"].min()), int(reform["year"].max()))


def test_adding_a_party_keeps_the_default_start_at_1989(dataset):
    view = resolve(View(parties=("snp", "labour")), dataset)
    assert view.start == 1989


def test_parties_as_people_write_them_are_understood(dataset):
    view, notices = view_from_link("?parties=Labour,Lib%20Dems,Reform%20UK,SNP", dataset)
    assert view.parties == ("labour", "libdem", "reform", "snp")
    assert notices == []


def test_the_same_party_twice_is_shown_once(dataset):
    assert resolve(View(parties=("labour", "Labour Party", "lab")), dataset).parties == ("labour",)


# ---------------------------------------------------------------- a notice for each kind of bad parameter

def notice_texts(query: str, dataset) -> list[str]:
    return [n.text for n in view_from_link(query, dataset)[1]]


def test_unknown_party_is_left_out_with_a_notice(dataset):
    view, notices = view_from_link("?parties=labour,Monster%20Raving%20Loony", dataset)
    assert view.parties == ("labour",)
    assert [n.field for n in notices] == ["parties"]
    assert "'Monster Raving Loony'" in notices[0].text and "left out" in notices[0].text


def test_only_unknown_parties_show_labour_and_say_so(dataset):
    view, notices = view_from_link("?parties=whigs", dataset)
    assert view.parties == ("labour",)
    assert notices[0].text == "Unknown party 'whigs': showing Labour."


def test_year_before_the_data_becomes_the_first_year_with_a_notice(dataset):
    first, _ = dataset.year_bounds()
    view, notices = view_from_link("?start=1850&end=2000", dataset)
    assert view.start == first
    assert notices[0].field == "start" and f"no figures before {first}" in notices[0].text


def test_year_after_the_data_becomes_the_last_year_with_a_notice(dataset):
    _, last = dataset.year_bounds()
    view, notices = view_from_link("?end=2999", dataset)
    assert view.end == last
    assert notices[0].field == "end" and f"no figures after {last}" in notices[0].text


def test_a_year_that_is_not_a_number_is_ignored_with_a_notice(dataset):
    view, notices = view_from_link("?start=nineteen&end=2010", dataset)
    assert view.start == 1989 and view.end == 2010
    assert notices[0].text == "'nineteen' is not a year (first year): ignored."


def test_years_the_wrong_way_round_are_swapped_with_a_notice(dataset):
    view, notices = view_from_link("?start=2020&end=2000", dataset)
    assert (view.start, view.end) == (2000, 2020)
    assert "showing 2000–2020" in notices[0].text


def test_unknown_measure_shows_members_with_a_notice(dataset):
    view, notices = view_from_link("?measure=vibes", dataset)
    assert view.measure == MEMBERS
    assert "Unknown measure 'vibes'" in notices[0].text


def test_base_year_outside_the_data_is_chosen_from_the_figures_with_a_notice(dataset):
    view, notices = view_from_link("?measure=index&base=1700", dataset)
    assert view.base_year is not None and view.start <= view.base_year <= view.end
    assert notices[0].field == "base_year" and "1700 is outside the data" in notices[0].text
    assert "not a year" in notice_texts("?measure=index&base=last", dataset)[0]


def test_unknown_scale_and_flag_values_are_ignored_with_a_notice(dataset):
    view, notices = view_from_link("?scale=wobbly&elections=maybe", dataset)
    assert (view.log_scale, view.elections) == (False, True)
    assert {n.field for n in notices} == {"scale", "elections"}


def test_unknown_parameters_are_named_in_the_notice(dataset):
    view, notices = view_from_link("?utm_source=x&colour=red&start=2000", dataset)
    assert view.start == 2000
    assert notices[0].text == "Unknown settings 'utm_source', 'colour' ignored."


def test_an_overlong_title_is_cut_with_a_notice(dataset):
    view, notices = view_from_link("?title=" + "x" * 400, dataset)
    assert len(view.title) == 300 and "cut to 300" in notices[0].text


def test_log_scale_and_base_year_apply_only_to_their_measures(dataset):
    assert resolve(View(measure=CHANGE, log_scale=True, base_year=2010), dataset).log_scale is False
    assert resolve(View(measure=CHANGE, base_year=2010), dataset).base_year is None
    assert resolve(View(measure=MEMBERS, log_scale=True), dataset).log_scale is True


def test_index_without_a_base_year_takes_the_year_most_parties_have_a_figure(dataset):
    view = resolve(View(parties=("labour", "snp", "libdem"), start=2000, end=2024, measure=INDEX), dataset)
    year_ends = dataset.year_ends()
    have = {p: set(year_ends.query("party == @p")["year"]) for p in view.parties}
    assert all(view.base_year in years for years in have.values())
    assert not any(all(y in years for years in have.values()) for y in range(2000, view.base_year))


def test_a_clean_link_has_no_notice(dataset):
    view = resolve(replace(View(), measure=CHANGE_PERCENT, start=2000, end=2010), dataset)
    assert read_query(view_to_query(view))[1] == []
