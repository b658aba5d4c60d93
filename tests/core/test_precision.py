"""How precisely each figure is known, as data: the rule that derived `bound` and `date_precision` once from
the notes' words, the reviewed list of every figure it gave one to, and how the columns are read."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from dashboard.core.dataset import load_dataset
from dashboard.core.precision import (
    date_span,
    derive_bound,
    derive_precision,
    drawn_date,
    parse_bound,
    parse_precision,
)

REVIEWED = Path(__file__).with_name("precision_reviewed.csv")


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def _reviewed() -> dict[tuple[str, int, str], tuple[str, str]]:
    with REVIEWED.open(encoding="utf-8") as handle:
        return {(r["party"], int(r["year"]), r["as_of"]): (r["bound"], r["date_precision"])
                for r in csv.DictReader(handle)}


def test_every_figure_the_rule_bounds_or_dates_loosely_is_in_the_reviewed_list_and_no_other(dataset):
    """The rule on today's notes gives exactly the reviewed list (each row read against its note), and the
    data file keeps what the list says: a change to the rule or to a note shows up here as a row to review."""
    derived = {}
    for row in dataset.counts.to_dict("records"):
        bound, precision = derive_bound(int(row["members"]), str(row["note"])), derive_precision(str(row["note"]))
        if bound or precision:
            derived[(row["party"], int(row["year"]), row["as_of"])] = (bound, precision)
    reviewed = _reviewed()
    assert sorted(derived.items()) == sorted(reviewed.items())
    kept = {(r["party"], int(r["year"]), r["as_of"]): (r["bound"], r["date_precision"])
            for r in dataset.counts.to_dict("records") if r["bound"] or r["date_precision"]}
    assert kept == reviewed


def test_labours_december_2025_figure_is_below_250000_and_known_only_to_the_month(dataset):
    row = dataset.counts.query("party == 'labour' and as_of == '2025-12-01'").iloc[0]
    assert (int(row["members"]), row["bound"], row["date_precision"]) == (250_000, "below", "month")


def test_words_about_another_number_leave_a_figure_exact():
    note = "month only; apparently rounded to the nearest hundred; LRB blog says 'more than 350,000'"
    assert derive_bound(370_600, note) == ""
    assert derive_bound(350_000, note) == "above"


@pytest.mark.parametrize(("members", "note", "bound"), [
    (250_000, "internal figures reported by The Times: 'fallen below 250,000' (upper bound)", "below"),
    (485_000, "leaked figure, 'just under 485,000' including ~35,000 in arrears", "below"),
    (153_000, "'almost 153,000' at time of writing", "below"),
    (66_500, "'66,500+' (more than)", "above"),
    (59_000, "'Membership (July 2024) 59,000+'", "above"),
    (82_000, "party claim: 'surged past 82,000'", "above"),
    (10_000, "'c.10,000' (approximate)", "about"),
    (60_000, "approximate ('approximately just 60k') at the founding conference", "about"),
    (93_000, "month only; 'around 93,000'; rounded to the nearest thousand", "about"),
    (69_000, "'just over 69,000' at the end of 2023; BBC (Aug 2024) reported 64,525 as the 2023 figure", "above"),
    (180_000, "a phrasing no row has yet: 'fewer than 180,000'", "below"),
    (180_000, "a phrasing no row has yet: '180,000+', with no marker", "above"),
    (18_000, "'180,000+' is another number: a figure of 18,000 stays exact", ""),
    (35_081, "approximate date (early 2014: 'almost 2,500 new members')", ""),
    (1_000, "rounded to the nearest thousand", ""),
])
def test_a_bound_is_read_from_the_words_next_to_the_figures_own_number(members, note, bound):
    assert derive_bound(members, note) == bound


@pytest.mark.parametrize(("note", "precision"), [
    ("month only; rounded to the nearest thousand", "month"),
    ("approximate date: only the year is known (mid-year used)", "year"),
    ("date within the year not stated, treated as year-end", "year"),
    ("approximate date ('at the start of December'); internal figure", "approximate"),
    ("date of report ('now stands at')", "approximate"),
    ("month only (date of report); 'most recent data', underlying date not stated", "approximate"),
    ("month only; Wikipedia infobox gives 8,100 for 2016 (year only)", "month"),  # the first phrase is this figure's
    ("reported to the NEC on 29 Jun 2004", ""),
])
def test_a_date_precision_is_read_from_the_first_phrase_that_says_how_the_date_is_known(note, precision):
    assert derive_precision(note) == precision


def test_the_columns_accept_their_words_and_name_what_they_accept_otherwise():
    assert parse_bound(" Below ") == ("below", None)
    assert parse_bound("") == ("", None) and parse_bound("exact") == ("", None)
    assert parse_precision("day") == ("", None) and parse_precision("Month") == ("month", None)
    value, error = parse_bound("roughly")
    assert value == "" and error is not None and "below, above, about" in error
    value, error = parse_precision("week")
    assert value == "" and error is not None and "day, month, year, approximate" in error


def test_a_figure_known_to_the_month_or_year_spans_it_and_a_year_end_stays_a_point_at_31_december():
    assert date_span("2025-12-01", "month") == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    assert date_span("2024-02-01", "month") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert date_span("2018-07-01", "year") == (dt.date(2018, 1, 1), dt.date(2018, 12, 31))
    assert date_span("", "year") is None and date_span("2025-05-05", "approximate") is None
    assert drawn_date("", 1964, "year") == dt.date(1964, 12, 31)
    assert drawn_date("2025-12-01", 2025, "month") == dt.date(2025, 12, 16)
    assert drawn_date("2025-10-04", 2025, "") == dt.date(2025, 10, 4)


def test_a_file_without_the_columns_loads_every_figure_exact_and_known_to_the_day(data_dir):
    path = data_dir / "membership.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with path.open("w", encoding="utf-8", newline="") as handle:
        names = [n for n in rows[0] if n not in ("bound", "date_precision")]
        writer = csv.DictWriter(handle, names, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    counts = load_dataset(path).counts
    assert len(counts) == len(rows)
    assert set(counts["bound"]) == {""} and set(counts["date_precision"]) == {""}


def test_a_bound_the_file_cannot_mean_is_a_problem_naming_its_row_and_column(data_dir):
    from dashboard.core.dataset import inspect

    path = data_dir / "membership.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].rstrip("\n").rsplit(",", 2)[0] + ",beneath,\n"
    path.write_text("".join(lines), encoding="utf-8")
    dataset, problems = inspect(path)
    assert dataset is None
    assert any(p.column == "bound" and "'beneath' is not a bound" in p.message for p in problems), problems
