"""Lines that claim no more than the figures: no dotted line across more than six months, no
crossing of two parties' lines that no figures show, a key of the marks actually drawn, labels that
keep the basis on a phone, and the comparison sentence beside the chart as in the image."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard.chart.captions import chart_caveat
from dashboard.chart.crossings import Point, break_lines, crossing, segments, supported, unsupported_crossings
from dashboard.chart.figure import figure_dict, party_points
from dashboard.chart.series import MAX_JOIN_DAYS
from dashboard.chart.wording import BASIS_WORD, Bounds
from dashboard.core.dataset import load_dataset
from dashboard.core.view import View, resolve

EVERY = View(parties=("labour", "conservative", "libdem", "snp", "green", "plaid", "ukip", "reform"), start=1989)


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def test_no_dotted_line_joins_two_figures_more_than_six_months_apart(dataset):
    figure = figure_dict(dataset, resolve(EVERY, dataset))
    dated = [t for t in figure["data"] if t["meta"]["kind"] == "dated"]
    assert dated and any(t["meta"]["joined"] for t in dated)
    for trace in dated:
        days = [dt.date.fromisoformat(d) if d else None for d in trace["customdata"]]
        for a, b in zip(days, days[1:]):
            if a and b:  # two points in a row with no gap between them: a line is drawn
                assert (b - a).days <= MAX_JOIN_DAYS, (trace["name"], a, b)


def test_labour_and_reform_lines_never_cross_in_2025(dataset):
    for start in (2023, 2015, 1989):
        view = resolve(View(parties=("labour", "reform"), start=start), dataset)
        figure = figure_dict(dataset, view)
        lines = segments(figure["data"])
        labour = [s for s in lines if figure["data"][s.trace]["meta"]["party"] == "labour"]
        reform = [s for s in lines if figure["data"][s.trace]["meta"]["party"] == "reform"]
        assert reform  # Reform's own-claim counter figures are joined where close
        assert not [(a, b) for a in labour for b in reform if crossing(a, b) is not None]


def test_every_crossing_drawn_between_any_parties_is_shown_by_figures(dataset):
    view = resolve(EVERY, dataset)
    figure = figure_dict(dataset, view)
    points = party_points(dataset, view)
    lines = segments(figure["data"])
    crossings = 0
    for n, a in enumerate(lines):
        for b in lines[n + 1:]:
            pa, pb = figure["data"][a.trace]["meta"]["party"], figure["data"][b.trace]["meta"]["party"]
            x = crossing(a, b) if pa != pb else None
            if x is not None:
                crossings += 1
                assert supported(points[pa], points[pb], x), (pa, pb, x)
    assert crossings > 0  # the rule leaves the crossings figures show (Lib Dems and SNP, for one)


def trace(party: str, xs: list[float], ys: list[float], dash: str = "dot") -> dict:
    return {"type": "scatter", "mode": "lines+markers", "x": list(xs), "y": list(ys), "customdata": [""] * len(xs),
            "hovertext": [""] * len(xs), "marker": {"symbol": ["circle"] * len(xs)}, "line": {"dash": dash},
            "meta": {"party": party}}


def test_a_crossing_no_figures_show_is_cut_from_the_longer_dotted_line():
    # A falls from 300 to 200 over a year; B rises from 150 to 260 in two months at the end: the lines
    # cross, but no pair of figures close in time shows A below B
    a = trace("a", [2025.0, 2025.9], [300, 200])
    b = trace("b", [2025.75, 2025.92], [150, 260], dash="solid")
    points = {"a": [Point(2025.0, Bounds(300)), Point(2025.9, Bounds(200))],
              "b": [Point(2025.75, Bounds(150)), Point(2025.92, Bounds(260))]}
    cut = unsupported_crossings([a, b], points)
    assert [(s.trace, s.i) for s in cut] == [(0, 0)]
    break_lines([a, b], cut)
    assert a["x"] == [2025.0, None, 2025.9] and a["y"] == [300, None, 200] and a["marker"]["symbol"] == ["circle"] * 3
    assert unsupported_crossings([a, b], points) == []


def test_a_crossing_figures_show_on_both_sides_is_kept_and_bounds_count_only_when_they_rank():
    a = trace("a", [2025.0, 2025.3], [300, 200])
    b = trace("b", [2025.0, 2025.3], [250, 260])
    shown = {"a": [Point(2025.0, Bounds(300)), Point(2025.3, Bounds(200))],
             "b": [Point(2025.0, Bounds(250)), Point(2025.3, Bounds(260))]}
    assert unsupported_crossings([a, b], shown) == []
    # 'below 250,000' against 240,000 ranks neither way: the order after the crossing is not shown
    bounded = {"a": [Point(2025.0, Bounds(300)), Point(2025.3, Bounds(250_000 // 1000, "below"))],
               "b": [Point(2025.0, Bounds(150)), Point(2025.3, Bounds(240))]}
    a2, b2 = trace("a", [2025.0, 2025.3], [300, 250]), trace("b", [2025.0, 2025.3], [150, 260])
    assert len(unsupported_crossings([a2, b2], bounded)) == 1


def test_the_key_draws_each_basis_in_the_party_shapes_drawn_that_way(dataset):
    view = resolve(View(parties=("labour", "reform"), start=2023), dataset)
    figure = figure_dict(dataset, view)
    drawn = {symbol for t in figure["data"] if t["meta"]["kind"] in ("year-end", "dated")
             for symbol, y in zip(t["marker"]["symbol"], t["y"]) if y is not None}
    keyed = {s["name"].removeprefix("key-") for s in figure["layout"]["shapes"]
             if s.get("name", "").startswith("key-")
             and not s["name"].startswith(("key-line", "key-span", "key-below", "key-above", "key-about"))}
    assert "triangle-down-open" in drawn and drawn == keyed  # every marker drawn, and only those
    words = [a["text"] for a in figure["layout"]["annotations"] if a.get("name") == "key"]
    assert "figures at other dates, joined when at most six months apart" in words


@pytest.mark.parametrize("width", [390, 1200])
def test_every_direct_label_says_its_basis_at_phone_and_desktop_width(dataset, width):
    view = resolve(View(parties=("labour", "conservative", "libdem", "snp", "green", "reform"), start=2015), dataset)
    figure = figure_dict(dataset, view, width, 620)
    labels = [a for a in figure["layout"]["annotations"] if a.get("name", "").startswith("label-")]
    assert len(labels) == 6
    for label in labels:
        assert any(word in label["text"] for word in BASIS_WORD.values() if word), label["text"]


def test_the_comparison_sentence_is_beside_the_chart_when_the_latest_figures_differ(dataset):
    two = resolve(View(parties=("labour", "reform")), dataset)
    assert chart_caveat(dataset, two).startswith("The latest figures differ in basis")
    assert chart_caveat(dataset, resolve(View(parties=("labour",)), dataset)) == ""
    assert chart_caveat(dataset, resolve(View(parties=("labour", "reform"), measure="index"), dataset)) == ""
