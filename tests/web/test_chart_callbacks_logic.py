"""The page's view callback as plain functions, called without a Dash app or a browser: which outputs change
for the address, a control, new data, the screen's width and the first chart drawn."""
from __future__ import annotations

import pytest

from dashboard.core.dataset import load_dataset
from dashboard.core.view import View, resolve, view_to_dict, view_to_query
from dashboard.web import ids
from dashboard.web.chart_callbacks import ViewResults, synced_view


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


@pytest.fixture(scope="module")
def drawn(dataset) -> View:
    return resolve(View(parties=("labour", "conservative")), dataset)


def controls(view: View, **changed) -> dict:
    """What the controls hold when they show `view`, with `changed` as the reader just set it."""
    values = {"parties": list(view.parties), "years": [view.start, view.end], "year_from": view.start,
              "year_to": view.end, "measure": view.measure, "base_year": view.base_year, "log": [],
              "annotations": None, "bases": None, "marks_edit": None}
    return {**values, **changed}


def synced(dataset, drawn, triggered: set[str], search: str | None = None, width: int | None = None, **changed):
    return synced_view(dataset, drawn, triggered, view_to_query(drawn) if search is None else search,
                       controls(drawn, **changed), width, ViewResults())


def test_back_to_the_address_of_the_view_drawn_changes_nothing(dataset, drawn):
    assert synced(dataset, drawn, {ids.LOCATION}) is None


def test_an_address_for_another_view_sets_every_control_and_clears_their_messages(dataset, drawn):
    out = synced(dataset, drawn, {ids.LOCATION}, search="?parties=snp")
    assert out is not None and out["parties"] == ["snp"] and out["store"]["parties"] == ["snp"]
    assert out["year_message"] == out["measure_message"] == "" and "search" not in out


def test_a_control_sends_the_new_address_but_not_the_values_the_controls_already_show(dataset, drawn):
    out = synced(dataset, drawn, {ids.PARTY_SELECT}, parties=["labour"])
    assert out is not None and out["search"] == view_to_query(resolve(View(parties=("labour",)), dataset))
    assert "parties" not in out and "measure" not in out  # the picker keeps the reader's place in its list
    assert out["store"]["parties"] == ["labour"] and "figure" in out


def test_a_year_box_that_holds_no_year_keeps_the_view_and_says_what_to_type(dataset, drawn):
    first, last = dataset.year_bounds()
    out = synced(dataset, drawn, {ids.YEAR_FROM}, year_from="19x")
    assert out is not None and out["year_message"] == f"Type a year from {first} to {last}."
    assert out["store"] == view_to_dict(drawn) and "search" not in out


def test_new_data_redraws_the_view_drawn(dataset, drawn):
    out = synced(dataset, drawn, {ids.DATA_VERSION})
    assert out is not None and {"figure", "table", "store", "notice"} <= out.keys()


def test_the_screens_width_relays_the_figure_only_and_the_first_chart_drawn_brings_the_table_only(dataset, drawn):
    resized = synced(dataset, drawn, {ids.VIEWPORT_WIDTH}, width=390)
    assert resized is not None and resized.keys() == {"figure"}
    assert resized["figure"]["layout"]["meta"]["laid_out_for"] == 390
    assert synced(dataset, drawn, {ids.CHART_DRAWN}).keys() == {"table"}
    assert synced(dataset, drawn, {ids.VIEWPORT_WIDTH}, width=None) is None
