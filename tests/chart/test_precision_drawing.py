"""Every figure drawn and said as precisely as its source words it: a bound's arrow or whisker, a bar across a
month or year known only to that, the key explaining both, and the words of the hover, the table, the download,
the sentence and the alt text; a change or an index never resting on a bound as if it were the count."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard.chart.alt_text import alt_text
from dashboard.chart.figure import figure_dict
from dashboard.chart.latest import comparison_sentence, latest_rows
from dashboard.chart.series import hover_text
from dashboard.chart.table_rows import count_rows, measure_cells
from dashboard.core.dataset import load_dataset
from dashboard.core.measures import CHANGE, INDEX
from dashboard.core.selection import position, shown_counts
from dashboard.core.view import View, resolve
from dashboard.export.data_download import figures_frame


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


LAB_REF = View(parties=("labour", "reform"), start=2023, end=2025)


def shapes_named(figure: dict, prefix: str) -> list[dict]:
    return [s for s in figure["layout"]["shapes"] if (s.get("name") or "").startswith(prefix)]


def test_labours_december_2025_figure_has_an_arrow_pointing_down_and_a_bar_across_december(dataset):
    figure = figure_dict(dataset, resolve(LAB_REF, dataset))
    [stem] = shapes_named(figure, "bound-labour-2025-12-01")[:1]
    head = next(s for s in shapes_named(figure, "bound-labour-2025-12-01-head"))
    assert stem["type"] == "line" and stem["y1"] < stem["y0"]           # from the marker downwards
    assert head["type"] == "path" and float(head["path"].split("L0,")[1].rstrip("Z")) < 0  # its tip points down
    [bar] = shapes_named(figure, "span-labour-2025-12-01")
    assert bar["x0"] < position(dt.date(2025, 12, 1)) + 1 / 366 and bar["x1"] > position(dt.date(2025, 12, 31)) - 1 / 366
    # a lower bound points up: Reform's 'more than 260,000' (Oct 2025)
    up = next(s for s in shapes_named(figure, "bound-reform-2025-10-01") if s["type"] == "line")
    assert up["y1"] > up["y0"]


def test_a_figure_known_to_the_day_or_at_a_year_end_has_no_bar_and_an_exact_one_no_arrow(dataset):
    figure = figure_dict(dataset, resolve(LAB_REF, dataset))
    names = {s.get("name") for s in figure["layout"]["shapes"]}
    assert "span-labour-2024" not in names and "bound-labour-2024" not in names  # the 2024 year end: a point
    old = figure_dict(dataset, resolve(View(parties=("labour",), start=1964, end=1990), dataset))
    assert "span-labour-1964" not in {s.get("name") for s in old["layout"]["shapes"]}  # a year end known to the year
    assert shapes_named(figure, "span-reform-2024-12-30") == [] and shapes_named(figure, "bound-reform-2025-09-06")


def test_the_key_explains_bounds_and_spans_only_when_the_chart_draws_them(dataset):
    keys = [a["text"] for a in figure_dict(dataset, resolve(LAB_REF, dataset))["layout"]["annotations"]
            if a.get("name") == "key"]
    assert any(text.startswith("true count below / above / about") for text in keys), keys
    assert "known only to the month or year" in keys
    plain = [a["text"] for a in figure_dict(dataset, resolve(View(parties=("labour",), start=1995, end=2005,
                                                                 other_dates=False), dataset))["layout"]["annotations"]
             if a.get("name") == "key"]
    assert not any("true count" in text or "month or year" in text for text in plain), plain


def test_the_hover_the_table_and_the_download_say_below_and_month_only(dataset):
    view = resolve(LAB_REF, dataset)
    row = dataset.counts.query("party == 'labour' and as_of == '2025-12-01'").iloc[0].to_dict()
    hover = hover_text("Labour", row)
    assert "Dec 2025 (month only)" in hover and "below 250,000 members" in hover
    cells = {(r.party, r.date): r for r in count_rows(dataset, shown_counts(dataset, view), view)}
    assert cells[("Labour", "Dec 2025 (month only)")].count == "below 250,000"
    frame = figures_frame(dataset, shown_counts(dataset, view))
    mine = frame[(frame["party"] == "labour") & (frame["date"] == "2025-12-01")].iloc[0]
    assert (mine["bound"], mine["date_precision"]) == ("below", "month")
    assert set(frame["date_precision"]) <= {"day", "month", "year", "approximate"}


def test_the_sentence_and_the_alt_text_say_the_bound_and_the_month(dataset):
    view = resolve(LAB_REF, dataset)
    assert "is above Labour's, below 250,000" in comparison_sentence(latest_rows(dataset, view))
    text = alt_text(dataset, view)
    assert "the latest 268,631 in Dec 2025 (month only;" in text and "below 250,000" in text, text
    yours = alt_text(dataset, resolve(View(parties=("yourparty",), start=2025, end=2026), dataset))
    assert "the latest 40,985 on 26 Feb 2026 (" in yours, yours   # a day is 'on', a month 'in'
    green = alt_text(dataset, resolve(View(parties=("green",), start=2010, end=2025), dataset))
    assert "peak more than 63,000 in 2015" in green and "latest about 53,000 in 2023" in green, green


def test_a_change_that_needs_a_bound_is_a_gap_and_the_table_says_why(dataset):
    """The Greens' 2015 year end is 'over 63,000': the change into 2015 and out of it rest on a bound."""
    view = resolve(View(parties=("green",), start=2012, end=2017, measure=CHANGE), dataset)
    cells = measure_cells(dataset, view)
    assert cells[("green", 2015)] == "none: the 2015 figure is a lower bound"
    figure = figure_dict(dataset, view)
    drawn = {int(x): y for trace in figure["data"] for x, y in zip(trace.get("x") or [], trace.get("y") or [])
             if x is not None}
    assert 2015 not in drawn
    notes = " ".join(a["text"] for a in figure["layout"]["annotations"])
    assert "only a bound" in notes and "2015" in notes


def test_a_change_or_index_that_needs_an_about_figure_is_kept_and_marked_approximate(dataset):
    """The Greens' 2013 year end is 'approximately 14,000'."""
    view = resolve(View(parties=("green",), start=2012, end=2016, measure=INDEX, base_year=2013), dataset)
    cells = measure_cells(dataset, view)
    assert cells[("green", 2014)].startswith("about ")
