"""Related figures (supporters, votes) compared with the data as figures are: by party, year, date and measure;
unchanged unless the file gives a different count, source, url or note; each row of the file read, problems
located by the file's own headings and sheet. Real rows are taken from the data; invented ones are marked TEST."""
from __future__ import annotations

from pathlib import Path

import pytest
from updates_helpers import INVENTED_SOURCE, xlsx_bytes

from dashboard.core.dataset import RELATED_COLUMNS, load_dataset
from dashboard.core.problems import Problem
from dashboard.core.selection import records
from dashboard.updates.change import Change
from dashboard.updates.changes import diff
from dashboard.updates.ingest import read_upload

HEADING = ["Party", "Year", "Members", "As of", "Measure", "Source", "URL", "Note"]


@pytest.fixture
def dataset(data_dir: Path):
    """The data with one more related figure, invented: a year-end one with no url or note."""
    with (data_dir / "other_figures.csv").open("a", encoding="utf-8") as out:
        out.write(f"labour,2016,7,,{INVENTED_SOURCE},,,TEST measure\n")
    return load_dataset(data_dir / "membership.csv")


def invented(dataset) -> dict:
    [row] = [r for r in records(dataset.related) if r["measure"] == "TEST measure"]
    return row


def preview_of(dataset, rows: list[list], heading: list[str] = HEADING):
    """An .xlsx with a sheet named 'related': its rows are located by sheet as well as row."""
    upload = read_upload(xlsx_bytes({"related": [heading, *rows]}), "up.xlsx", dataset.parties)
    return diff(dataset, upload)


def test_a_year_end_related_figure_given_again_as_the_data_has_it_is_unchanged(dataset):
    row = invented(dataset)
    preview = preview_of(dataset, [["labour", 2016, 7, "", "TEST measure", INVENTED_SOURCE, "", ""]])
    key = ("labour", 2016, "", "TEST measure")
    old = {"party": "labour", "year": 2016, "members": 7, "as_of": "", "source": INVENTED_SOURCE, "url": "", "note": "",
           "measure": "TEST measure"}
    assert row["as_of"] in ("", None)   # the data's year-end figure: no date
    assert preview.changes == (Change("unchanged", key, old, old, (), 2, "related", table="related"),)
    assert not preview.problems


def test_a_related_figure_changed_by_the_file_keeps_what_it_does_not_give(dataset):
    real = records(dataset.related)[0]
    key = (real["party"], int(real["year"]), real["as_of"], real["measure"])
    old = {c: int(real[c]) if c in ("year", "members") else str(real[c] or "") for c in RELATED_COLUMNS}
    count_only = preview_of(dataset, [[real["party"], real["year"], real["members"] + 1, real["as_of"], real["measure"],
                                       "", "", ""]])
    assert count_only.changes == (Change("changed", key, {**old, "members": old["members"] + 1}, old, ("members",), 2,
                                         "related", table="related"),)
    every_text = preview_of(dataset, [[real["party"], real["year"], real["members"], real["as_of"], real["measure"],
                                       INVENTED_SOURCE, "https://example.org/test", "TEST note"]])
    new = {**old, "source": INVENTED_SOURCE, "url": "https://example.org/test", "note": "TEST note"}
    assert every_text.changes == (Change("changed", key, new, old, ("source", "url", "note"), 2, "related",
                                         table="related"),)


def test_a_new_related_figure_is_added_with_empty_texts_where_the_file_has_none(dataset):
    preview = preview_of(dataset, [["labour", 2016, 8, "", "TEST other measure", INVENTED_SOURCE, "", ""],
                                   ["labour", 2016, 9, "", "TEST third measure", INVENTED_SOURCE, "", ""]])
    new = {"party": "labour", "year": 2016, "members": 8, "as_of": "", "source": INVENTED_SOURCE, "url": "", "note": "",
           "measure": "TEST other measure"}
    first, second = preview.changes
    assert first == Change("added", ("labour", 2016, "", "TEST other measure"), new, None, RELATED_COLUMNS, 2,
                           "related", table="related")
    assert (second.kind, second.key, second.line) == ("added", ("labour", 2016, "", "TEST third measure"), 3)


def test_a_related_figure_given_twice_is_located_at_the_second_and_the_rows_after_are_read(dataset):
    twice = ["labour", 2016, 8, "", "TEST other measure", INVENTED_SOURCE, "", ""]
    preview = preview_of(dataset, [twice, twice, ["labour", 2016, 7, "", "TEST measure", INVENTED_SOURCE, "", ""]])
    assert preview.problems == (Problem("up.xlsx", "this figure is given twice in this file (first on row 2)", row=3,
                                        column="Measure", sheet="related"),)
    assert [(c.kind, c.line) for c in preview.changes] == [("added", 2), ("unchanged", 4)]


def test_a_new_related_figure_without_a_source_is_located_at_the_files_source_column(dataset):
    preview = preview_of(dataset, [["labour", 2016, 8, "", "TEST other measure", "", "", ""]])
    assert preview.problems == (Problem("up.xlsx", "is empty: a related figure needs its source (give --source)", row=2,
                                        column="Source", sheet="related"),)
    assert [c.kind for c in preview.changes] == ["added"]   # shown, and the problem stops the apply


def test_a_file_without_a_source_column_is_told_of_the_source_by_its_field_name(dataset):
    preview = preview_of(dataset, [["labour", 2016, 8, "", "TEST other measure"]], heading=HEADING[:5])
    assert preview.problems == (Problem("up.xlsx", "is empty: a related figure needs its source (give --source)", row=2,
                                        column="source", sheet="related"),)
