"""Diffing an upload against the data: new, changed, unchanged, and what blocks an apply."""
from __future__ import annotations

import pytest
from updates_helpers import INVENTED_SOURCE, dataset_at, first_free_year_end, real_year_end, xlsx_bytes

from dashboard.core.dataset import COLUMNS
from dashboard.core.problems import Problem
from dashboard.updates.changes import Change, diff, render_text
from dashboard.updates.ingest import Defaults, read_form, read_upload


@pytest.fixture
def dataset(data_dir):
    return dataset_at(data_dir)


def preview_of(dataset, text: str, **defaults):
    upload = read_upload(text.encode(), "up.csv", dataset.parties, Defaults(**defaults))
    return diff(dataset, upload)


def test_a_figure_not_in_the_data_is_new(dataset):
    year = first_free_year_end(dataset)
    preview = preview_of(dataset, f"Year,Labour\n{year},123456\n", source=INVENTED_SOURCE)
    assert [c.kind for c in preview.changes] == ["added"]
    assert preview.added[0].new == {"party": "labour", "year": year, "members": 123456, "as_of": "",
                                    "source": INVENTED_SOURCE, "url": "", "note": "", "basis": "", "bound": "",
                                    "date_precision": ""}
    assert not preview.needs_overwrite and not preview.problems


def test_the_same_member_count_is_unchanged_even_with_a_different_default_source(dataset):
    year, members = real_year_end(dataset)
    preview = preview_of(dataset, f"Year,Labour\n{year},{members}\n", source=INVENTED_SOURCE)
    assert [c.kind for c in preview.changes] == ["unchanged"]
    assert preview.writes == []


def test_a_different_member_count_is_changed_with_old_and_new(dataset):
    year, members = real_year_end(dataset)
    preview = preview_of(dataset, f"Year,Labour\n{year},{members + 1}\n", source=INVENTED_SOURCE)
    (change,) = preview.changed
    assert change.old["members"] == members and change.new["members"] == members + 1
    assert change.fields[0] == "members" and "source" in change.fields
    assert preview.needs_overwrite


def test_a_source_given_in_the_file_that_differs_is_a_change(dataset):
    year, members = real_year_end(dataset)
    preview = preview_of(dataset, f"party,year,members,source\nlabour,{year},{members},{INVENTED_SOURCE}\n")
    (change,) = preview.changed
    assert change.fields == ("source",)
    assert change.new["members"] == members and change.new["source"] == INVENTED_SOURCE
    assert change.new["url"] == change.old["url"]  # not given in the file: kept


def test_a_new_figure_without_any_source_is_a_problem(dataset):
    year = first_free_year_end(dataset)
    preview = preview_of(dataset, f"Year,Labour\n{year},1\n")
    assert [p.column for p in preview.problems] == ["source"]
    assert "no source for the new figure labour" in str(preview.problems[0])


def test_a_dated_figure_is_distinct_from_the_year_end_one(dataset):
    year, members = real_year_end(dataset)
    preview = preview_of(dataset, f"year,members,as_of\n{year},{members},{year}-03-03\n",
                         party="labour", source=INVENTED_SOURCE)
    assert [c.kind for c in preview.changes] == ["added"]
    assert preview.added[0].key == ("labour", year, f"{year}-03-03")


def test_the_preview_names_the_data_version_it_was_computed_against(dataset):
    preview = preview_of(dataset, "Year,Labour\n2025,1\n", source=INVENTED_SOURCE)
    assert preview.base_version == dataset.version


def test_input_problems_are_carried_into_the_preview(dataset):
    preview = preview_of(dataset, "Year,Labour\n2025,-1\n", source=INVENTED_SOURCE)
    assert preview.changes == () and len(preview.problems) == 1


def test_digest_changes_with_what_would_be_written(dataset):
    a = preview_of(dataset, "Year,Labour\n2025,1\n", source=INVENTED_SOURCE)
    b = preview_of(dataset, "Year,Labour\n2025,2\n", source=INVENTED_SOURCE)
    again = preview_of(dataset, "Year,Labour\n2025,1\n", source=INVENTED_SOURCE)
    assert a.digest() == again.digest() != b.digest()


def test_form_and_file_give_the_same_preview(dataset):
    year = first_free_year_end(dataset)
    form = diff(dataset, read_form({"party": "labour", "year": year, "members": 123456, "source": INVENTED_SOURCE},
                                   dataset.parties))
    file = preview_of(dataset, f"party,year,members,source\nlabour,{year},123456,{INVENTED_SOURCE}\n")
    assert [c.new for c in form.changes] == [c.new for c in file.changes]


def test_text_rendering_lists_new_changed_unchanged_and_problems(dataset):
    year, members = real_year_end(dataset)
    text = (f"party,year,members,source\nlabour,{year + 1},123456,{INVENTED_SOURCE}\n"
            f"labour,{year},{members + 1},{INVENTED_SOURCE}\nlabour,{year - 1},c. 300k,x\n")
    rendered = render_text(preview_of(dataset, text))
    assert "up.csv (long): 1 new, 1 changed, 0 unchanged, 1 problem" in rendered
    assert f"+ labour {year + 1} year-end: 123,456" in rendered
    assert f"~ labour {year} year-end: {members:,} -> {members + 1:,}" in rendered
    assert "'c. 300k' is not a number" in rendered


def test_a_new_figure_without_a_basis_is_named_in_the_preview_not_guessed(dataset):
    year = first_free_year_end(dataset)
    preview = preview_of(dataset, f"Year,Labour\n{year},123456\n", source=INVENTED_SOURCE)
    assert preview.added[0].new["basis"] == "" and not preview.problems
    [notice] = preview.notices
    assert f"labour {year} year-end" in notice and "basis not given" in notice and "--basis" in notice
    assert "Note: 1 figure would be saved with no basis" in render_text(preview)


def test_a_basis_from_the_panel_or_the_file_is_used_and_no_notice_is_given(dataset):
    year = first_free_year_end(dataset)
    preview = preview_of(dataset, f"Year,Labour\n{year},123456\n", source=INVENTED_SOURCE, basis="accounts")
    assert preview.added[0].new["basis"] == "accounts" and preview.notices == ()
    text = f"party,year,members,basis\nlabour,{year},123456,Party claim\n"
    assert preview_of(dataset, text, source=INVENTED_SOURCE).added[0].new["basis"] == "party_claim"


def test_a_basis_given_for_an_existing_figure_is_a_change_of_basis(dataset):
    year, members = real_year_end(dataset)
    old = dataset.year_ends().query("party == 'labour' and year == @year").iloc[0]["basis"]
    other = "press" if old != "press" else "accounts"
    preview = preview_of(dataset, f"party,year,members,basis\nlabour,{year},{members},{other}\n")
    (change,) = preview.changed
    assert change.fields == ("basis",) and (change.old["basis"], change.new["basis"]) == (old, other)


def test_every_row_after_an_unchanged_one_is_still_previewed(dataset):
    """An unchanged figure is noted and the reading goes on: the rows after it are new or changed all the same."""
    year, members = real_year_end(dataset)
    new_year = first_free_year_end(dataset)
    preview = preview_of(dataset, f"Year,Labour\n{year},{members}\n{new_year},123456\n{year - 1},1\n",
                         source=INVENTED_SOURCE)
    assert [(c.kind, c.key[1]) for c in preview.changes] == [("unchanged", year), ("added", new_year),
                                                              ("changed", year - 1)]


def test_a_changed_count_without_a_source_is_a_problem_naming_both_counts(dataset):
    year, members = real_year_end(dataset)
    preview = preview_of(dataset, f"Year,Labour\n{year},{members + 1}\n")
    [problem] = preview.problems
    assert (problem.column, problem.row) == ("source", 2)
    assert f"no source for the new value of labour {year} year-end ({members:,} -> {members + 1:,})" in problem.message
    assert "source" in problem.message.split(": ", 1)[1]  # and says how to give one
    assert [c.kind for c in preview.changes] == ["changed"]  # still shown, but the problem blocks the apply


def test_a_key_the_data_holds_twice_refuses_the_figure_instead_of_choosing_one(dataset):
    """The loader refuses such data; were a dataset to hold it anyway, an upload must not pick one of the two."""
    import dataclasses

    import pandas as pd

    year, members = real_year_end(dataset)
    row = dataset.counts[(dataset.counts["party"] == "labour") & (dataset.counts["year"] == year)
                         & (dataset.counts["as_of"] == "")]
    twice = dataclasses.replace(dataset, counts=pd.concat([dataset.counts, row], ignore_index=True))
    upload = read_upload(f"Year,Labour\n{year},{members + 1}\n{year + 1},5\n".encode(), "up.csv", twice.parties,
                         Defaults(source=INVENTED_SOURCE))
    preview = diff(twice, upload)
    [problem] = preview.problems
    assert (problem.column, problem.row) == ("as_of", 2)
    assert problem.message == f"the data already has 2 figures for labour {year} year-end; fix the data file by hand first"
    assert [(c.kind, c.key[1]) for c in preview.changes] == [("added", year + 1)]  # the next row is still read


def sheet_preview(dataset, rows: list[list], **defaults):
    """An .xlsx whose sheet 'membership' holds `rows` under a long heading with a remove column."""
    heading = ["party", "year", "members", "source", "remove"]
    upload = read_upload(xlsx_bytes({"membership": [heading, *rows]}), "up.xlsx", dataset.parties, Defaults(**defaults))
    return diff(dataset, upload)


def data_record(dataset, year: int) -> dict:
    """Labour's year-end figure of `year` as the data holds it, every column."""
    rows = dataset.counts[(dataset.counts["party"] == "labour") & (dataset.counts["year"] == year)
                          & (dataset.counts["as_of"] == "")]
    [record] = rows.to_dict("records")
    return {c: int(v) if c in ("year", "members") else v for c, v in record.items()}


def test_each_kind_of_change_carries_the_datas_record_and_where_the_row_is(dataset):
    year, members = real_year_end(dataset)
    old, gone = data_record(dataset, year), data_record(dataset, year - 1)
    new_year = first_free_year_end(dataset)
    preview = sheet_preview(dataset, [["labour", year, members, "", ""], ["labour", year - 1, gone["members"], "", "yes"],
                                      ["labour", new_year, 5, INVENTED_SOURCE, ""]])
    added = {"party": "labour", "year": new_year, "members": 5, "as_of": "", "source": INVENTED_SOURCE, "url": "",
             "note": "", "basis": "", "bound": "", "date_precision": ""}
    assert preview.changes == (
        Change("unchanged", ("labour", year, ""), old, old, (), 2, "membership"),
        Change("removed", ("labour", year - 1, ""), gone, gone, tuple(COLUMNS), 3, "membership"),
        Change("added", ("labour", new_year, ""), added, None, tuple(COLUMNS), 4, "membership"))
    assert not preview.problems


def test_a_changed_figure_keeps_the_datas_other_columns(dataset):
    year, members = real_year_end(dataset)
    old = data_record(dataset, year)
    [change] = sheet_preview(dataset, [["labour", year, members + 1, old["source"], ""]]).changes
    assert change == Change("changed", ("labour", year, ""), {**old, "members": members + 1, "url": "", "note": "",
                                                              "basis": ""},
                            old, tuple(f for f in ("members", "url", "note", "basis") if old[f]), 2, "membership")


def test_removing_a_figure_the_data_does_not_hold_is_located_at_the_remove_cell(dataset):
    new_year = first_free_year_end(dataset)
    preview = sheet_preview(dataset, [["labour", new_year, 5, INVENTED_SOURCE, "yes"]])
    assert preview.problems == (Problem("up.xlsx", f"there is no figure for labour {new_year} year-end in the data to "
                                                   "remove", row=2, column="remove", sheet="membership"),)
    assert preview.changes == ()


def test_removing_a_figure_by_a_count_that_is_not_the_datas_says_both_counts(dataset):
    year, members = real_year_end(dataset)
    preview = sheet_preview(dataset, [["labour", year, members + 1, "", "yes"]])
    assert preview.problems == (Problem("up.xlsx", f"the data has {members:,} for labour {year} year-end, not "
                                                   f"{members + 1:,}: give the count of the figure to remove", row=2,
                                        column="remove", sheet="membership"),)
    assert preview.changes == ()


def test_a_new_figure_without_a_source_is_located_in_its_sheet(dataset):
    new_year = first_free_year_end(dataset)
    preview = sheet_preview(dataset, [["labour", new_year, 5, "", ""]])
    assert preview.problems == (Problem("up.xlsx", f"no source for the new figure labour {new_year} year-end: add a "
                                                   "source column or give --source", row=2, column="source",
                                        sheet="membership"),)


def test_the_form_asks_for_its_own_source_field_not_a_column(dataset):
    from dashboard.updates.voice import PAGE

    year, members = real_year_end(dataset)
    new_year = first_free_year_end(dataset)
    [new] = diff(dataset, read_form({"party": "labour", "year": new_year, "members": 5}, dataset.parties)).problems
    assert (new.column, new.message) == ("source", f"no source for the new figure labour {new_year} year-end: give --source")
    [changed] = diff(dataset, read_form({"party": "labour", "year": year, "members": members + 1}, dataset.parties)).problems
    assert changed.message == (f"no source for the new value of labour {year} year-end ({members:,} -> {members + 1:,}): "
                               "give --source")
    [page] = diff(dataset, read_form({"party": "labour", "year": new_year, "members": 5}, dataset.parties, PAGE)).problems
    assert page.message == f"no source for the new figure Labour {new_year} year-end: fill in Source"


def test_problems_read_from_the_file_stay_when_the_parties_it_names_are_compared(dataset):
    year = first_free_year_end(dataset)
    upload = read_upload(f"party,year,members,source\nTEST Newcomers,{year},1,{INVENTED_SOURCE}\nlabour,{year},abc,x\n"
                         .encode(), "up.csv", dataset.parties, Defaults(add_parties=True))
    preview = diff(dataset, upload)
    assert [(p.row, p.column) for p in preview.problems] == [(3, "members")]
    assert [c.table for c in preview.writes] == ["parties", "membership"]


def test_problems_read_from_the_file_stay_when_its_events_are_compared(dataset):
    upload = read_upload(b"kind,party,name,start,end,source\n"
                         b"general_election,,TEST election,1901-01-02,1901-01-02,TEST source\n"
                         b"general_election,,TEST election two,not a date,,TEST source\n",
                         "ev.csv", dataset.parties)
    assert upload.problems
    preview = diff(dataset, upload)
    assert preview.problems == tuple(upload.problems) and [c.kind for c in preview.changes] == ["added"]


def test_the_page_names_a_party_it_adds_by_its_name_in_the_notices(dataset):
    from dashboard.updates.voice import PAGE

    year = first_free_year_end(dataset)
    upload = read_upload(f"party,year,members,source\nTEST Newcomers,{year},1,{INVENTED_SOURCE}\n".encode(), "up.csv",
                         dataset.parties, Defaults(add_parties=True), voice=PAGE)
    notices = diff(dataset, upload).notices
    assert any(f"(TEST Newcomers {year} year-end)" in n for n in notices), notices


def test_the_page_names_parties_in_the_date_precision_notice(dataset):
    from dashboard.updates.voice import PAGE

    year = first_free_year_end(dataset)
    upload = read_upload(f"party,year,members,as_of,source,basis\nlabour,{year},1,{year}-03-04,{INVENTED_SOURCE},press\n"
                         .encode(), "up.csv", dataset.parties, voice=PAGE)
    [notice] = diff(dataset, upload).notices
    assert f"Labour {year}" in notice and "labour" not in notice


def test_parties_added_together_get_the_next_markers_in_turn(dataset):
    from dashboard.core.party_style import symbol_at

    upload = read_upload(f"name,source\nTEST One,{INVENTED_SOURCE}\nTEST Two,{INVENTED_SOURCE}\n".encode(), "up.csv",
                         dataset.parties)
    n = len(dataset.parties)
    assert diff(dataset, upload).symbols == (("testone", symbol_at(n)), ("testtwo", symbol_at(n + 1)))


def test_a_problem_with_a_party_names_the_file_it_is_in(dataset):
    upload = read_upload(f"slug,name,source\ntestparty,TEST Party,{INVENTED_SOURCE}\ntestparty,TEST Party Again,"
                         f"{INVENTED_SOURCE}\n".encode(), "parties-up.csv", dataset.parties)
    preview = diff(dataset, upload)
    assert preview.problems and {p.file for p in preview.problems} == {"parties-up.csv"}


def test_an_unchanged_figure_without_a_basis_is_not_named_in_the_basis_notice(dataset):
    """The notice is about what an apply would write: a figure already in the data, as it is, is not rewritten."""
    import dataclasses

    year, members = real_year_end(dataset)
    counts = dataset.counts.copy()
    counts.loc[(counts["party"] == "labour") & (counts["year"] == year) & (counts["as_of"] == ""), "basis"] = ""
    no_basis = dataclasses.replace(dataset, counts=counts)
    upload = read_upload(f"Year,Labour\n{year},{members}\n".encode(), "up.csv", no_basis.parties, Defaults())
    preview = diff(no_basis, upload)
    assert [c.kind for c in preview.changes] == ["unchanged"] and preview.notices == ()


def test_a_workbook_of_figures_and_related_figures_previews_both(dataset):
    new_year = first_free_year_end(dataset)
    book = xlsx_bytes({"membership": [["party", "year", "members", "source", "basis"],
                                      ["labour", new_year, 5, INVENTED_SOURCE, "press"]],
                       "related": [["party", "year", "members", "measure", "source"],
                                   ["labour", new_year, 6, "TEST measure", INVENTED_SOURCE]]})
    preview = diff(dataset, read_upload(book, "up.xlsx", dataset.parties))
    assert [(c.table, c.kind) for c in preview.changes] == [("membership", "added"), ("related", "added")]


def test_an_event_may_name_a_party_the_same_workbook_adds(dataset):
    book = xlsx_bytes({"parties": [["name", "source"], ["TEST Party", INVENTED_SOURCE]],
                       "events": [["kind", "party", "name", "start", "source"],
                                  ["leader", "TEST Party", "TEST leader", "1901-01-02", INVENTED_SOURCE]]})
    preview = diff(dataset, read_upload(book, "up.xlsx", dataset.parties))
    assert not preview.problems, preview.problems
    assert [(c.table, c.kind) for c in preview.changes] == [("parties", "added"), ("events", "added")]
