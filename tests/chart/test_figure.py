"""Figure building: assertions on the figure's data, not on pixels."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from dashboard.chart.figure import build_figure, source_line, tick_step
from dashboard.core.dataset import load_dataset
from dashboard.core.selection import position, shown_counts
from dashboard.core.view import View, resolve


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def figure_for(dataset, **view):
    return build_figure(dataset, resolve(View(**view), dataset))


def trace(figure, name):
    return next(t for t in figure.data if t.name == name)


def test_labour_year_end_trace_plots_every_sourced_figure_from_1989(dataset):
    figure = figure_for(dataset)
    labour = trace(figure, "Labour")
    expected = dataset.year_ends().query("party == 'labour' and year >= 1989").set_index("year")["members"]
    assert list(labour.x) == list(expected.index)
    assert list(labour.y) == list(expected.values)
    assert labour.mode == "lines+markers"


def test_figures_at_other_dates_are_separate_hollow_markers_never_joined(dataset):
    figure = figure_for(dataset)
    others = trace(figure, "Labour, other dates")
    assert others.mode == "markers"
    assert others.marker.symbol == "circle-open"
    dated = dataset.other_dates().query("party == 'labour' and 1989 <= year <= 2024")
    assert sorted(others.y) == sorted(dated["members"])
    assert not set(others.y) & set(trace(figure, "Labour").y) - set(dated["members"])


def test_a_dated_figure_sits_between_the_year_ends_around_it():
    assert 2014 < position(dt.date(2015, 8, 12)) < 2015
    assert position(dt.date(2015, 12, 31)) == 2015


def test_missing_years_are_gaps_in_the_line_not_bridged(dataset):
    libdem = trace(figure_for(dataset, parties=("libdem",)), "Liberal Democrats")
    years = dict(zip(libdem.x, libdem.y))
    assert years[1994] is not None and years[1995] is None and years[2001] is not None
    assert libdem.connectgaps is False


def test_other_parties_are_drawn_in_their_colours(dataset):
    figure = figure_for(dataset, parties=("labour", "snp"))
    assert trace(figure, "Labour").line.color == dataset.parties["labour"].colour
    assert trace(figure, "SNP").line.color == dataset.parties["snp"].colour


def test_party_with_only_dated_figures_still_appears_in_the_legend(dataset):
    figure = figure_for(dataset, parties=("labour", "reform"), end=2025)
    reform = trace(figure, "Reform UK, other dates")
    assert reform.showlegend is True and len(reform.y) > 0


def test_hover_shows_year_exact_figure_source_and_note(dataset):
    labour = trace(figure_for(dataset), "Labour")
    row = dataset.year_ends().query("party == 'labour' and year == 2024").iloc[0]
    hover = labour.hovertext[list(labour.x).index(2024)]
    assert "31 Dec 2024" in hover and f"{row['members']:,}" in hover and "Source:" in hover
    assert row["note"].split()[0] in hover


def test_range_limits_the_points_shown(dataset):
    labour = trace(figure_for(dataset, start=2000, end=2010), "Labour")
    assert (min(labour.x), max(labour.x)) == (2000, 2010)


def test_elections_and_leaders_can_be_switched_off(dataset):
    on = figure_for(dataset)
    off = figure_for(dataset, elections=False, leaders=False)
    texts = [a.text for a in on.layout.annotations]
    assert "GE 1997" in texts and "Tony Blair" in texts
    assert len(on.layout.shapes) > 10 and len(off.layout.shapes) == 0
    assert not any(str(a.text).startswith("GE ") for a in off.layout.annotations)


def test_title_subtitle_and_source_line_are_inside_the_figure(dataset):
    figure = figure_for(dataset)
    assert figure.layout.title.text == "Labour membership, 1989–2024"
    assert "31 December" in figure.layout.title.subtitle.text
    assert any("Source" in str(a.text) for a in figure.layout.annotations)


def test_y_axis_starts_at_zero_with_thousands_separators(dataset):
    figure = figure_for(dataset)
    assert figure.layout.yaxis.rangemode == "tozero"
    assert figure.layout.yaxis.tickformat == ","


def test_text_from_data_is_never_markup(dataset):
    figures = dataset.counts.copy()
    figures.loc[figures.index[0], "note"] = "<img src=x onerror=alert(1)>"
    tampered = replace(dataset, counts=figures)
    party = figures.iloc[0]["party"]
    figure = build_figure(tampered, resolve(View(parties=(party,), start=1900, end=2030, title="<script>x</script>"), tampered))
    everything = str(figure.to_plotly_json())
    assert "<img" not in everything and "<script>" not in everything
    assert "&lt;img src=x onerror=alert(1)&gt;" in everything


def test_text_is_wrapped_to_fit_a_phone_width(dataset):
    figure = build_figure(dataset, resolve(View(parties=("labour", "libdem", "snp")), dataset), width=390)
    footer = next(a.text for a in figure.layout.annotations if "Source" in str(a.text))
    assert all(len(line) <= 75 for line in footer.split("<br>"))


def test_source_line_names_the_main_sources_of_what_is_shown(dataset):
    shown = shown_counts(dataset, resolve(View(), dataset))
    line = source_line(shown)
    assert line.startswith("Sources: ") and "Labour Annual Report" in line


def test_year_ticks_thin_out_as_the_range_grows():
    assert tick_step(10, 1100) == 1
    assert tick_step(36, 1100) == 5
    assert tick_step(36, 340) <= 10
