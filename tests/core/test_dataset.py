"""Loading and validating the canonical data files."""
from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import openpyxl
import pytest

from dashboard.core.dataset import BASES, BUNDLED_DATA_PATH, COLUMNS, DatasetCache, inspect, load_dataset
from dashboard.core.problems import DataError
from dashboard.updates.store import Store

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


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


def read_reference(name: str) -> list[dict]:
    with (SHARED / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


UPDATES = ("2026-12", "2026-12b")  # the updates applied, in order


def correction_sections() -> dict[tuple[str, str, str], str]:
    """Each numbered section of the corrections files, keyed by the row it names in its heading."""
    sections = {}
    for update in UPDATES:
        text = (SHARED / "updates" / f"{update}-corrections.md").read_text(encoding="utf-8")
        for chunk in re.split(r"^## ", text, flags=re.M)[1:]:
            found = re.match(r"\d+\. `(\w+),(\d{4}),([\d-]*)`", chunk)
            if found:
                sections[found.groups()] = chunk
    return sections


PROJECT_WORDS = re.compile(r"\.csv|corrections\.md|coverage rules")


def reworded_notes() -> dict[tuple[str, int, str], tuple[str, str]]:
    """Notes the bundled history shows reworded through the product so they speak only of the figure:
    {key: (old note, new note)} for each change that altered a figure's note and nothing else."""
    reworded = {}
    for entry in Store(BUNDLED_DATA_PATH).entries():
        for change in entry.changes:
            old, new = change.get("old") or {}, change.get("new") or {}
            if change.get("table", "membership") == "membership" and old and new and \
                    {f for f in new if new[f] != old.get(f)} == {"note"}:
                reworded[tuple(change["key"])] = (old["note"], new["note"])
    return reworded


def covering_section(sections: dict, party: str, year: int, as_of: str) -> tuple[tuple, str] | None:
    """The correction that accounts for a row, with the key of the reference row it corrects: it names
    the row, or a row of the same party and year and gives this row's date or key ("should be
    `libdem,2024,2024-12-31`", "`as_of` 2025-10-09")."""
    for (s_party, s_year, s_as_of), text in sections.items():
        corrected = (s_party, int(s_year), s_as_of)
        if s_party == party and int(s_year) == year and (s_as_of == as_of or (as_of and as_of in text)):
            return corrected, text
        if f"`{party},{year},{as_of}`" in text:
            return corrected, text
    return None


def test_every_bundled_figure_is_sourced_and_agrees_with_the_reference_where_it_has_the_same_key():
    """The reference (../shared/data: membership.csv with basis.csv, and the updates) is the truth for
    every key it has; a row it does not have must come from a correction that names it and its figure."""
    if not SHARED.exists():
        pytest.skip("../shared/data is not beside this checkout")
    basis = {(r["party"], int(r["year"]), r["as_of"]): r["basis"] for r in read_reference("basis.csv")}
    reference = {}
    updates = [r for update in UPDATES for r in read_reference(f"updates/{update}-figures.csv")]
    for r in read_reference("membership.csv") + updates:
        key = (r["party"], int(r["year"]), r["as_of"])
        reference[key] = {**r, "members": int(r["members"]), "basis": r.get("basis") or basis[key]}
    sections = correction_sections()
    reworded = reworded_notes()
    dataset = load_dataset()
    seen = set()
    for row in dataset.counts.itertuples():
        key = (row.party, row.year, row.as_of)
        seen.add(key)
        assert row.source and row.basis in BASES, f"{key} has no source or no basis"
        covered = covering_section(sections, *key)
        if covered is not None:
            corrected, section = covered
            before = reference.get(key) or reference[corrected]
            assert f"{row.members:,}" in section or row.members == before["members"], key
            assert row.basis in section or row.basis == before["basis"], key
            continue
        assert key in reference, f"{key} is in neither the reference nor a correction"
        expected = reference[key]
        note = expected["note"]
        if key in reworded and reworded[key] == (note, row.note):
            assert PROJECT_WORDS.search(note) and not PROJECT_WORDS.search(row.note), key
            note = row.note
        assert (row.members, row.source, row.url, row.note, row.basis) == (
            expected["members"], expected["source"], expected["url"], note, expected["basis"]), key
    for key in set(reference) - seen:
        assert covering_section(sections, *key) is not None, f"{key} of the reference is missing and no correction says why"


def test_every_bundled_event_is_in_the_reference_or_its_update():
    if not SHARED.exists():
        pytest.skip("../shared/data is not beside this checkout")
    reference = {(e["kind"], e["party"], e["name"], e["start"]): e
                 for e in read_reference("events.csv") + [e for update in UPDATES
                                                          for e in read_reference(f"updates/{update}-events.csv")]}
    corrections = (SHARED / "updates" / "2026-12-corrections.md").read_text(encoding="utf-8")
    dataset = load_dataset()
    assert len(dataset.events) == len(reference)
    for event in dataset.events.to_dict("records"):
        expected = reference[(event["kind"], event["party"], event["name"], event["start"])]
        assert {k: event[k] for k in ("end", "source", "url")} == {k: expected[k] for k in ("end", "source", "url")}
        assert event["note"] == expected["note"] or event["note"].replace("–", "-") in corrections.replace("–", "-").replace("\n> ", " ")


def test_no_bundled_note_speaks_of_this_projects_files():
    """A note is read by the public (hover, table, downloads): it speaks of the figure only."""
    dataset = load_dataset()
    for frame in (dataset.counts, dataset.related):
        assert [n for n in frame["note"] if PROJECT_WORDS.search(str(n))] == []


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
        sheet.append([row.party, row.year, row.members, row.as_of or None, row.source, row.url, row.note, row.basis,
                      row.bound, row.date_precision])
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


def test_unknown_basis_in_the_data_file_is_located_and_names_the_accepted_ones(tmp_path: Path):
    path = write_rows(tmp_path / "m.csv", [labour_row(2001, 1000, basis="audited")])
    _, problems = inspect(path)
    assert [(p.row, p.column) for p in problems] == [(2, "basis")]
    assert "unknown basis 'audited'" in problems[0].message
    assert all(slug in problems[0].message for slug in BASES)


def test_a_data_file_without_a_basis_column_loads_with_the_basis_not_given(tmp_path: Path):
    path = write_rows(tmp_path / "m.csv", [labour_row(2001, 1000)], header=COLUMNS[:-1])
    dataset = load_dataset(path)
    assert dataset.counts["basis"].tolist() == [""]


def test_every_bundled_figure_has_one_of_the_five_bases():
    assert set(load_dataset().counts["basis"]) <= set(BASES)


def test_every_problem_of_a_row_is_reported_in_the_order_of_its_columns(tmp_path: Path):
    bad = labour_row(1800, "lots", party="", as_of="yesterday", source="", url="javascript:alert(1)",
                     note="a\x1bb", basis="rumour")
    path = write_rows(tmp_path / "m.csv", [labour_row(2001, 1000), bad])
    _, problems = inspect(path)
    assert [(p.row, p.column) for p in problems] == [(3, "note"), (3, "url"), (3, "party"), (3, "year"), (3, "members"),
                                                     (3, "as_of"), (3, "source"), (3, "basis")]
    assert problems[2].message == "is empty"


def test_a_second_year_end_figure_names_the_row_of_the_first_and_a_bad_row_names_none(tmp_path: Path):
    rows = [labour_row(2001, 1000), labour_row(2002, 1100), labour_row(2001, 1200), labour_row(2001, 1300, party="whigs"),
            labour_row(2001, 1400, as_of="2001-03-01")]
    _, problems = inspect(write_rows(tmp_path / "m.csv", rows))
    assert [(p.row, p.column) for p in problems] == [(4, "year"), (5, "party")]
    assert problems[0].message == "second year-end figure for labour 2001 (the first is on row 2)"
