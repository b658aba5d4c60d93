"""Alt text: every number in it is computed from the dataset, checked here the same way."""
from __future__ import annotations

import pytest

from dashboard.chart.alt_text import alt_text
from dashboard.core.dataset import load_dataset
from dashboard.core.view import View, resolve


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def year_ends(dataset, party, start, end):
    rows = dataset.year_ends()
    rows = rows[(rows["party"] == party) & rows["year"].between(start, end)]
    return dict(zip(rows["year"].astype(int), rows["members"].astype(int)))


def test_names_party_years_peak_and_latest_change(dataset):
    view = resolve(View(), dataset)
    text = alt_text(dataset, view)
    figures = year_ends(dataset, "labour", view.start, view.end)
    peak_year = max(figures, key=lambda y: (figures[y], -y))
    last = max(figures)
    assert text.startswith("Line chart: ")
    assert f"Labour: year-end figures for {min(figures)} to {last}" in text
    assert f"peak {figures[peak_year]:,} in {peak_year}" in text
    assert f"latest {figures[last]:,} in {last}" in text
    change = figures[last] - figures[last - 1]
    assert f"{'up' if change > 0 else 'down'} {abs(change):,}" in text and f"on {last - 1}" in text


def test_each_party_shown_gets_its_sentence(dataset):
    view = resolve(View(parties=("labour", "libdem"), start=2010), dataset)
    text = alt_text(dataset, view)
    assert "Labour: " in text and "Liberal Democrats: " in text
    assert text.index("Labour: ") < text.index("Liberal Democrats: ")


def test_party_with_only_other_dates_says_so(dataset):
    others = dataset.other_dates()
    year_end_parties = set(dataset.year_ends()["party"])
    only_dated = sorted(set(others["party"]) - year_end_parties)
    if not only_dated:
        pytest.skip("every party has a year-end figure")
    view = resolve(View(parties=(only_dated[0],)), dataset)
    assert "no year-end figures" in alt_text(dataset, view)


def test_custom_title_and_note_are_in_it(dataset):
    view = resolve(View(title="What happened to Labour's members", note="2024 is provisional"), dataset)
    text = alt_text(dataset, view)
    assert "Line chart: What happened to Labour's members." in text
    assert text.endswith("Note: 2024 is provisional.")


def test_events_mentioned_only_when_drawn(dataset):
    assert "general elections" in alt_text(dataset, resolve(View(), dataset))
    quiet = alt_text(dataset, resolve(View(elections=False, leaders=False), dataset))
    assert "general elections" not in quiet and "leaders" not in quiet


def test_a_title_ending_in_a_question_mark_gets_no_extra_full_stop():
    dataset = load_dataset()
    text = alt_text(dataset, resolve(View(title="Has Reform overtaken Labour?"), dataset))
    assert text.startswith("Line chart: Has Reform overtaken Labour? Individual")
