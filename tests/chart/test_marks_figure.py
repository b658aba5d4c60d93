"""The writer's marks as the figure draws them: notes with a leader line to their point, periods as
a tinted band with a label, text as text, and what lies outside the years said, never dropped."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard.chart.axes import Frame
from dashboard.chart.figure import figure_dict
from dashboard.chart.marks import line_value
from dashboard.core.dataset import load_dataset
from dashboard.core.marks import Mark, Period
from dashboard.core.selection import position
from dashboard.core.view import View, resolve, view_from_link

FIVE = ("labour", "conservative", "libdem", "snp", "green")


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def named(figure: dict, kind: str, name: str) -> dict:
    return next(item for item in figure["layout"][kind] if item.get("name") == name)


def plot_frame(figure: dict) -> Frame:
    layout = figure["layout"]
    margin = layout["margin"]
    width = layout.get("width", 1200)
    lo, hi = layout["xaxis"]["range"]
    return Frame(lo, hi, width - margin["l"] - margin["r"], layout["height"] - margin["t"] - margin["b"],
                 layout["yaxis"]["range"][1])


def test_a_note_on_a_party_line_points_at_the_line_between_its_figures(dataset):
    view = resolve(View(parties=("labour",), start=2014, end=2017,
                        marks=(Mark("2015-09-12", "Corbyn elected", party="labour"),)), dataset)
    figure = figure_dict(dataset, view, 1200, 620)
    note = named(figure, "annotations", "note-0")
    assert note["text"] == "Corbyn elected" and note["xref"] == note["yref"] == "paper"
    leader = named(figure, "shapes", "leader-note-0")
    frame = plot_frame(figure)
    # Labour's figures either side of 12 Sep 2015, from the data
    labour = sorted((dt.date.fromisoformat(a) if a else dt.date(int(y), 12, 31), int(m)) for a, y, m in
                    dataset.counts.query("party == 'labour' and year >= 2014 and year <= 2017")[["as_of", "year", "members"]]
                    .itertuples(index=False))
    value = line_value(labour, dt.date(2015, 9, 12))
    before = max(m for d, m in labour if d <= dt.date(2015, 9, 12))
    after = min(m for d, m in labour if d >= dt.date(2015, 9, 12))
    assert min(before, after) <= value <= max(before, after)
    assert leader["y0"] == pytest.approx(frame.y_px(value) / frame.height)
    assert leader["x0"] == pytest.approx(frame.x_px(position(dt.date(2015, 9, 12))) / frame.width)
    assert named(figure, "shapes", "point-note-0")["type"] == "circle"


def test_a_note_at_its_date_only_is_a_rule_through_the_plot_and_a_value_pin_points_at_the_value(dataset):
    view = resolve(View(parties=("labour",), start=2014, end=2024,
                        marks=(Mark("2017-06-08", "Snap election"), Mark("2020-01-01", "Value", value=300_000))),
                   dataset)
    figure = figure_dict(dataset, view, 1200, 620)
    rule = named(figure, "shapes", "rule-note-0")
    assert rule["x0"] == rule["x1"] == pytest.approx(position(dt.date(2017, 6, 8))) and (rule["y0"], rule["y1"]) == (0, 1)
    frame = plot_frame(figure)
    assert named(figure, "shapes", "leader-note-1")["y0"] == pytest.approx(frame.y_px(300_000) / frame.height)


def test_a_highlighted_period_is_a_tinted_band_with_its_label_and_text_is_never_markup(dataset):
    view, notices = view_from_link("?parties=labour&start=2014&end=2024"
                                   "&highlight=2015-09-12:2020-04-04:%3Cb%3ECorbyn%3C/b%3E%20years"
                                   "&mark=2016-01-01:%3Cimg%20src=x%20onerror=alert(1)%3E", dataset)
    assert notices == []
    figure = figure_dict(dataset, view, 1200, 620)
    band = named(figure, "shapes", "highlight-0")
    assert (band["x0"], band["x1"]) == (pytest.approx(position(dt.date(2015, 9, 12))),
                                        pytest.approx(position(dt.date(2020, 4, 4))))
    assert band["layer"] == "below"
    assert named(figure, "annotations", "highlight-0")["text"] == "<b>&lt;b&gt;Corbyn&lt;/b&gt; years</b>"
    assert "<img" not in named(figure, "annotations", "note-0")["text"]


def test_a_mark_outside_the_years_is_listed_in_an_image_and_not_drawn(dataset):
    view = resolve(View(parties=("labour",), start=2016, end=2024, marks=(Mark("2015-09-12", "Corbyn elected"),),
                        highlights=(Period("2001-01-01", "2002-01-01", "Long ago"),)), dataset)
    image = figure_dict(dataset, view, 1200, 675, static=True)
    names = [a.get("name") for a in image["layout"]["annotations"]]
    assert "note-0" not in names and "highlight-0" not in names
    footer = named(image, "annotations", "footer")["text"]
    assert "Outside the years shown (2016–2024), not drawn: the note 'Corbyn elected'" in footer
    assert "'Long ago'" in footer
    # the page says it in the notice above the chart, not inside the chart
    assert "Outside" not in named(figure_dict(dataset, view, 1200, 620), "annotations", "footer")["text"]


def test_a_note_pinned_to_a_party_not_shown_is_drawn_at_its_date(dataset):
    view = resolve(View(parties=("labour",), start=2020, end=2025,
                        marks=(Mark("2025-06-01", "Reform?", party="reform"),)), dataset)
    figure = figure_dict(dataset, view, 1200, 620)
    assert named(figure, "shapes", "rule-note-0")
    assert not [s for s in figure["layout"]["shapes"] if s.get("name") == "leader-note-0"]


@pytest.mark.parametrize("measure", ["change", "index"])
def test_marks_are_drawn_on_every_measure_at_their_dates(dataset, measure):
    view = resolve(View(parties=("labour",), start=2014, end=2024, measure=measure,
                        marks=(Mark("2017-06-08", "Snap", party="labour"),),
                        highlights=(Period("2015-09-12", "2020-04-04", "Corbyn"),)), dataset)
    figure = figure_dict(dataset, view, 1200, 620)
    names = {a.get("name") for a in figure["layout"]["annotations"]}
    assert {"note-0", "highlight-0"} <= names


def test_notes_keep_the_smallest_text_of_the_chart_legible(dataset):
    view = resolve(View(parties=FIVE, start=2015, end=2025, marks=(Mark("2017-06-08", "Snap election"),)), dataset)
    for width, read in ((1200, 700), (1080, 1080), (390, None)):
        figure = figure_dict(dataset, view, width, 700, static=True, read_width=read)
        size = named(figure, "annotations", "note-0")["font"]["size"]
        assert size * (read or width) / width >= 10
