"""The view: one validated object shared by URL, controls, CLI and export."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd

from dashboard.core.dataset import BASES, load_dataset
from dashboard.core.view import (
    View,
    default_range,
    query_notices,
    resolve,
    view_from_dict,
    view_from_query,
    view_to_dict,
    view_to_query,
)


def test_default_view_is_labour_from_1989_to_its_latest_figure_of_any_date():
    dataset = load_dataset()
    view = resolve(View(), dataset)
    latest = int(dataset.counts.query("party == 'labour'")["year"].max())
    assert (view.parties, view.start, view.end) == (("labour",), 1989, latest)


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


def test_bases_chosen_round_trip_through_the_url_and_all_of_them_is_the_default():
    view = View(parties=("labour", "reform"), bases=("accounts", "party_report"))
    assert view_to_query(view) == "?parties=labour%2Creform&bases=accounts%2Cparty_report"
    assert view_from_query(view_to_query(view)) == view
    dataset = load_dataset()
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


def test_unreadable_query_falls_back_to_defaults_instead_of_failing():
    dataset = load_dataset()
    view = resolve(view_from_query("?parties=nonsense,,&start=abc&end=99999&elections=maybe"), dataset)
    assert view.parties == ("labour",)
    assert view.start <= view.end <= dataset.year_bounds()[1]


def test_reversed_range_is_put_in_order():
    view = resolve(View(start=2020, end=2000), load_dataset())
    assert (view.start, view.end) == (2000, 2020)


def test_view_survives_the_page_store_as_json():
    view = View(parties=("snp", "labour"), start=2003, end=2020, other_dates=False, bases=("accounts",))
    assert view_from_dict(view_to_dict(view)) == view


def test_party_without_a_year_end_series_defaults_to_the_years_it_has_figures():
    dataset = load_dataset()
    reform = dataset.counts.query("party == 'reform'")
    view = resolve(View(parties=("reform",)), dataset)
    assert (view.start, view.end) == (int(reform["year"].min()), int(reform["year"].max()))


def test_adding_a_party_keeps_the_default_start_at_1989():
    view = resolve(View(parties=("snp", "labour")), load_dataset())
    assert view.start == 1989
