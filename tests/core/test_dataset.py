"""Loading and validating the canonical data files."""
from __future__ import annotations

import csv
import os
from pathlib import Path

import openpyxl
import pytest

from dashboard.core.dataset import COLUMNS, DatasetCache, inspect, load_dataset
from dashboard.core.problems import DataError

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "membership.csv"


def write_rows(path: Path, rows: list[dict], header=COLUMNS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(header), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def labour_row(year: int, members, **extra) -> dict:
    return {"party": "labour", "year": year, "members": members, "as_of": "", "source": "test source",
            "url": "", "note": "", **extra}


def test_bundled_data_has_every_labour_year_end_from_1989_to_2024():
    dataset = load_dataset()
    labour = dataset.year_ends().query("party == 'labour'")
    assert set(range(1989, 2025)) <= set(labour["year"])
    assert labour["year"].is_unique


def test_bundled_figures_match_the_sourced_reference_table_row_for_row():
    if not SHARED.exists():
        pytest.skip("../shared/data is not beside this checkout")
    with SHARED.open(encoding="utf-8") as handle:
        reference = {(r["party"], int(r["year"]), r["as_of"]): r for r in csv.DictReader(handle)}
    dataset = load_dataset()
    assert len(dataset.counts) == len(reference)
    for row in dataset.counts.itertuples():
        source = reference[(row.party, row.year, row.as_of)]
        assert (row.members, row.source, row.url, row.note) == (int(source["members"]), source["source"],
                                                                 source["url"], source["note"])


def test_every_figure_and_event_carries_a_source():
    dataset = load_dataset()
    assert (dataset.counts["source"].str.len() > 0).all()
    assert (dataset.events["source"].str.len() > 0).all()


def test_excel_file_with_the_same_columns_loads_like_the_csv(data_dir: Path):
    dataset = load_dataset(data_dir / "membership.csv")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "membership"
    sheet.append(list(COLUMNS))
    for row in dataset.counts.itertuples(index=False):
        sheet.append([row.party, row.year, row.members, row.as_of or None, row.source, row.url, row.note])
    workbook.save(data_dir / "membership.xlsx")
    from_excel = load_dataset(data_dir / "membership.xlsx")
    assert from_excel.counts.equals(dataset.counts)


def test_excel_sheet_named_membership_is_preferred_over_the_first(data_dir: Path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "notes"
    workbook.active.append(["nothing here"])
    sheet = workbook.create_sheet("Membership")
    sheet.append(list(COLUMNS))
    sheet.append(["labour", 2001, 272000, None, "test source", None, None])
    workbook.save(data_dir / "book.xlsx")
    assert load_dataset(data_dir / "book.xlsx").counts["members"].tolist() == [272000]


def test_missing_column_is_reported_with_file_and_column(tmp_path: Path):
    path = write_rows(tmp_path / "m.csv", [labour_row(2001, 1)], header=("party", "year", "source"))
    _, problems = inspect(path)
    assert any(p.file == "m.csv" and "missing column 'members'" in p.message for p in problems)


@pytest.mark.parametrize("members, expected", [
    ("3O9,000", "'3O9,000' is not a whole number"),
    ("-5", "-5 is negative"),
    ("12.5", "'12.5' is not a whole number"),
    ("", "is empty"),
])
def test_bad_member_count_is_located_by_row_and_column(tmp_path: Path, members, expected):
    path = write_rows(tmp_path / "m.csv", [labour_row(2000, 1000), labour_row(2001, members)])
    _, problems = inspect(path)
    assert [(p.row, p.column) for p in problems] == [(3, "members")]
    assert expected in problems[0].message
    assert str(problems[0]).startswith("m.csv, row 3, column 'members': ")


def test_two_year_end_rows_for_one_party_and_year_are_a_problem(tmp_path: Path):
    path = write_rows(tmp_path / "m.csv", [labour_row(2001, 1000), labour_row(2001, 2000)])
    _, problems = inspect(path)
    assert len(problems) == 1
    assert (problems[0].row, problems[0].column) == (3, "year")
    assert "first is on row 2" in problems[0].message


def test_a_dated_figure_beside_a_year_end_figure_is_not_a_duplicate(tmp_path: Path):
    path = write_rows(tmp_path / "m.csv", [labour_row(2001, 1000), labour_row(2001, 900, as_of="2001-06-01")])
    dataset, problems = inspect(path)
    assert problems == [] and len(dataset.counts) == 2


def test_unknown_party_lists_the_known_ones(tmp_path: Path):
    path = write_rows(tmp_path / "m.csv", [labour_row(2001, 1000, party="whigs")])
    _, problems = inspect(path)
    assert problems[0].column == "party"
    assert "unknown party 'whigs'" in problems[0].message and "labour" in problems[0].message


def test_as_of_outside_the_figures_year_is_a_problem(tmp_path: Path):
    path = write_rows(tmp_path / "m.csv", [labour_row(2001, 1000, as_of="2002-01-05")])
    _, problems = inspect(path)
    assert (problems[0].column, problems[0].row) == ("as_of", 2)


def test_every_problem_in_a_file_is_reported_not_just_the_first(tmp_path: Path):
    path = write_rows(tmp_path / "m.csv", [labour_row(1800, 1000), labour_row(2001, "x"), labour_row(2002, 5, source="")])
    _, problems = inspect(path)
    assert [(p.row, p.column) for p in problems] == [(2, "year"), (3, "members"), (4, "source")]


def test_unreadable_excel_file_is_one_clear_problem(tmp_path: Path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"%PDF-1.4 this is not a workbook")
    _, problems = inspect(path)
    assert len(problems) == 1 and problems[0].file == "broken.xlsx"
    assert "not a readable Excel" in problems[0].message


def test_load_dataset_raises_with_all_problems(tmp_path: Path):
    path = write_rows(tmp_path / "m.csv", [labour_row(2001, "x"), labour_row(2002, "y")])
    with pytest.raises(DataError) as error:
        load_dataset(path)
    assert len(error.value.problems) == 2


def test_cache_reloads_when_another_process_rewrites_the_file(data_dir: Path):
    path = data_dir / "membership.csv"
    cache = DatasetCache(path)
    before = cache.get()
    assert cache.get() is before
    text = path.read_text(encoding="utf-8").replace(",333235,", ",333236,")
    replacement = path.with_suffix(".tmp")
    replacement.write_text(text, encoding="utf-8")
    os.replace(replacement, path)  # as every writer does: a new file renamed over the old
    after = cache.get()
    assert after.version != before.version
    assert 333236 in after.counts["members"].tolist()
