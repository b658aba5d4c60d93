"""Every kind of data through one path: an upload is recognised as figures, related figures, parties or events
by its columns, the preview says which, and every layout mistake is located. Parties and people are invented
(TEST); real rows are taken from the data, never typed in."""
from __future__ import annotations

import pytest
from updates_helpers import INVENTED_SOURCE, first_free_year_end, xlsx_bytes

from dashboard.core.dataset import load_dataset
from dashboard.core.selection import records
from dashboard.updates import preview_apply
from dashboard.updates.changes import render_text
from dashboard.updates.ingest import Defaults
from dashboard.updates.preview_apply import Proposal
from dashboard.updates.voice import PAGE


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def preview_of(dataset, data: str | bytes, name: str = "up.csv", **defaults):
    raw = data.encode() if isinstance(data, str) else data
    return preview_apply.preview(dataset, Proposal(name, data=raw, defaults=Defaults(**defaults)))


def messages(preview) -> list[str]:
    return [str(p) for p in preview.problems]


def test_a_parties_file_is_recognised_and_the_preview_says_so(dataset):
    preview = preview_of(dataset, f"slug,name,aliases,source\ntestparty,TEST Party,TP,{INVENTED_SOURCE}\n")
    assert preview.kinds == ("parties",) and not preview.problems
    assert render_text(preview).startswith("up.csv (parties): 1 new, 0 changed")
    [added] = preview.added
    assert added.table == "parties" and added.new["name"] == "TEST Party" and added.new["colour"].startswith("#")


def test_an_events_file_is_recognised_and_the_preview_says_so(dataset):
    preview = preview_of(dataset, "kind,party,name,start,end,source\n"
                                  f"general_election,,TEST election,2001-01-02,2001-01-02,{INVENTED_SOURCE}\n")
    assert preview.kinds == ("events",) and not preview.problems
    assert "(leaders' terms and elections)" in render_text(preview)
    assert preview.added[0].key == ("general_election", "", "2001-01-02")


def test_a_related_file_is_recognised_by_its_measure_column(dataset):
    row = records(dataset.related)[0]
    text = (f"party,year,members,as_of,measure,source\n{row['party']},{row['year']},{row['members']},{row['as_of']},"
            f"{row['measure']},{row['source']}\n{row['party']},{row['year']},1234,,TEST measure,{INVENTED_SOURCE}\n")
    preview = preview_of(dataset, text)
    assert preview.kinds == ("related",) and not preview.problems
    assert [c.kind for c in preview.changes] == ["unchanged", "added"]
    assert "(related figures)" in render_text(preview)


def test_a_csv_mixing_the_columns_of_two_kinds_is_one_located_problem_and_nothing_else(dataset):
    preview = preview_of(dataset, "party,year,members,start,end\nlabour,2025,1,2025-01-01,\n")
    [message] = messages(preview)
    assert message.startswith("up.csv, row 1: has the columns of membership figures (year) and leaders' terms and "
                              "elections (start, end) in one table")
    assert "own sheet of an .xlsx (membership, parties, events, related)" in message and not preview.writes


def test_a_second_table_of_another_kind_below_the_first_is_located(dataset):
    year = first_free_year_end(dataset)
    text = (f"Year,Labour\n{year},1\n\nkind,party,name,start,source\n"
            f"leader,labour,TEST leader,2001-01-01,{INVENTED_SOURCE}\n")
    [message] = messages(preview_of(dataset, text, source=INVENTED_SOURCE))
    assert message.startswith("up.csv, row 4: starts a second table, of leaders' terms and elections, below the "
                              "membership figures")


def test_a_workbook_of_several_kinds_is_one_preview_touching_each_file(dataset):
    year = first_free_year_end(dataset)
    book = xlsx_bytes({
        "parties": [["name", "source"], ["TEST Party", INVENTED_SOURCE]],
        "membership": [["party", "year", "members", "source"], ["TEST Party", year, 1234, INVENTED_SOURCE]],
        "events": [["kind", "party", "name", "start", "source"],
                   ["leader", "TEST Party", "TEST leader", f"{year}-01-02", INVENTED_SOURCE]],
    })
    preview = preview_of(dataset, book, "kinds.xlsx")
    assert not preview.problems, messages(preview)
    assert set(preview.touched) == {"parties", "membership", "events"}
    assert sorted(preview.kinds) == ["events", "figures", "parties"]
    assert {c.new["party"] for c in preview.writes if c.table != "parties"} == {"testparty"}


def test_a_workbook_with_an_unknown_sheet_names_the_sheets_found_and_accepted(dataset):
    book = xlsx_bytes({"parties": [["name"], ["TEST Party"]], "Partys": [["name"], ["TEST Other"]]})
    [message] = messages(preview_of(dataset, book, "kinds.xlsx"))
    assert "sheets the product does not know: 'Partys'" in message
    assert "sheets found: parties, Partys" in message and "membership, parties, events, related" in message


@pytest.mark.parametrize("written", ["26/02/2026", "26.02.2026", "2026-02-26"])
def test_a_british_date_in_a_figure_is_day_first_and_the_preview_shows_it_as_iso(dataset, written):
    preview = preview_of(dataset, f"party,year,members,as_of,source\nlabour,2026,1,{written},{INVENTED_SOURCE}\n")
    assert not preview.problems and preview.added[0].new["as_of"] == "2026-02-26"
    assert "labour 2026 on 2026-02-26" in render_text(preview)


def test_a_british_date_in_an_event_is_day_first(dataset):
    preview = preview_of(dataset, "kind,party,name,start,end,source\n"
                                  f"general_election,,TEST election,02/01/2001,02/01/2001,{INVENTED_SOURCE}\n")
    assert not preview.problems and preview.added[0].new["start"] == "2001-01-02"


@pytest.mark.parametrize("written, expected", [
    ("2001-07", "'2001-07' gives no day: write the whole date, as in 2026-07-17 or 17/07/2026"),
    ("17/07/01", "has a two-digit year"),
    ("31/02/2001", "is not a day of the calendar"),
    ("soon", "'soon' is not a date"),
])
def test_an_event_date_in_another_format_is_located_without_a_31_december_hint(dataset, written, expected):
    preview = preview_of(dataset, f"kind,party,name,start,source\nleader,labour,TEST leader,{written},{INVENTED_SOURCE}\n")
    [problem] = preview.problems
    assert expected in problem.message and "31 December" not in problem.message
    assert (problem.row, problem.column) == (2, "start")


def test_a_figure_date_in_another_format_is_located_with_what_an_empty_one_means(dataset):
    preview = preview_of(dataset, f"party,year,members,as_of,source\nlabour,2001,1,2001-07,{INVENTED_SOURCE}\n")
    [problem] = preview.problems
    assert "gives no day" in problem.message and "leave it empty for a 31 December year-end figure" in problem.message
    assert (problem.row, problem.column) == (2, "as_of")


def test_the_page_and_the_cli_each_say_how_to_fix_a_missing_source_in_their_own_words(dataset):
    year = first_free_year_end(dataset)
    text = f"Year,Members\n{year},1\n".encode()
    cli = preview_apply.preview(dataset, Proposal("up.csv", data=text, defaults=Defaults(party="labour")))
    page = preview_apply.preview(dataset, Proposal("up.csv", data=text, defaults=Defaults(party="labour"), voice=PAGE))
    assert "add a source column or give --source" in messages(cli)[0]
    assert "add a source column or fill in Source" in messages(page)[0] and "--" not in messages(page)[0]
    assert f"Labour {year} year-end" in messages(page)[0] and f"labour {year} year-end" in messages(cli)[0]


def test_an_empty_figure_form_says_what_to_fill_in_not_that_everything_is_in_the_data(dataset):
    preview = preview_apply.preview(dataset, Proposal("form", fields={"party": "labour"}, voice=PAGE))
    [message] = messages(preview)
    assert "nothing to preview yet: fill in Year and Members (and Source)" in message


def test_a_correction_re_dating_a_figure_removes_the_old_row_and_adds_the_new_in_one_change(data_dir):
    from dashboard.updates.store import Store

    path = data_dir / "membership.csv"
    dataset = load_dataset(path)
    row = next(r for r in records(dataset.other_dates()) if r["party"] == "reform")
    moved = f"{row['year']}-01-01" if row["as_of"] != f"{row['year']}-01-01" else f"{row['year']}-01-02"
    text = (f"party,year,members,as_of,source,remove\nreform,{row['year']},{row['members']},{row['as_of']},,yes\n"
            f"reform,{row['year']},{row['members']},{moved},{INVENTED_SOURCE},\n")
    preview = preview_of(dataset, text)
    assert not preview.problems and preview.needs_overwrite
    assert [(c.kind, c.key[2]) for c in preview.writes] == [("removed", row["as_of"]), ("added", moved)]
    assert f"- reform {row['year']} on {row['as_of']}" in render_text(preview)
    before = path.read_bytes()
    Store(path).apply(preview, overwrite=True)
    dates = set(load_dataset(path).counts.query("party == 'reform'")["as_of"])
    assert moved in dates and row["as_of"] not in dates
    Store(path).undo()
    assert path.read_bytes() == before


def test_removing_a_figure_needs_its_count_as_in_the_data(dataset):
    row = records(dataset.other_dates())[0]
    text = f"party,year,members,as_of,remove\n{row['party']},{row['year']},{row['members'] + 1},{row['as_of']},yes\n"
    [problem] = preview_of(dataset, text).problems
    assert f"the data has {row['members']:,}" in problem.message and problem.column == "remove"
    [problem] = preview_of(dataset, text.replace(",yes\n", ",maybe\n")).problems
    assert "'maybe' is not yes or no" in problem.message
