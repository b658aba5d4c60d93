"""The view: one validated object shared by URL, controls, CLI and export."""
from __future__ import annotations

from dashboard.core.dataset import load_dataset
from dashboard.core.view import View, resolve, view_from_dict, view_from_query, view_to_dict, view_to_query


def test_default_view_is_labour_from_1989_to_its_latest_year_end():
    dataset = load_dataset()
    view = resolve(View(), dataset)
    latest = int(dataset.year_ends().query("party == 'labour'")["year"].max())
    assert (view.parties, view.start, view.end) == (("labour",), 1989, latest)


def test_query_string_round_trips_a_view():
    view = View(parties=("labour", "reform"), start=2010, end=2024, leaders=False, title="Mine & yours")
    assert view_from_query(view_to_query(view)) == view


def test_default_view_has_an_empty_query_string():
    assert view_to_query(View()) == ""


def test_unreadable_query_falls_back_to_defaults_instead_of_failing():
    dataset = load_dataset()
    view = resolve(view_from_query("?parties=nonsense,,&start=abc&end=99999&elections=maybe"), dataset)
    assert view.parties == ("labour",)
    assert view.start <= view.end <= dataset.year_bounds()[1]


def test_reversed_range_is_put_in_order():
    view = resolve(View(start=2020, end=2000), load_dataset())
    assert (view.start, view.end) == (2000, 2020)


def test_view_survives_the_page_store_as_json():
    view = View(parties=("snp", "labour"), start=2003, end=2020, other_dates=False)
    assert view_from_dict(view_to_dict(view)) == view


def test_party_without_a_year_end_series_defaults_to_the_years_it_has_figures():
    dataset = load_dataset()
    reform = dataset.counts.query("party == 'reform'")
    view = resolve(View(parties=("reform",)), dataset)
    assert (view.start, view.end) == (int(reform["year"].min()), int(reform["year"].max()))


def test_adding_a_party_keeps_the_default_start_at_1989():
    view = resolve(View(parties=("snp", "labour")), load_dataset())
    assert view.start == 1989
