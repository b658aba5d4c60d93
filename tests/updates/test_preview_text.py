"""The preview as the command line prints it (changes.render_text), line for line: how the file was read, the
counts, a line per new, changed and removed row of every kind, what is unchanged, the notes and the problems.
Real figures are taken from the data; invented ones are marked TEST."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from updates_helpers import INVENTED_SOURCE, xlsx_bytes

from dashboard.core.dataset import load_dataset
from dashboard.core.party_style import SYMBOL_GLYPHS
from dashboard.core.selection import records
from dashboard.updates import preview_apply
from dashboard.updates.changes import render_text, summary, what_was_read
from dashboard.updates.ingest import Defaults
from dashboard.updates.preview_apply import Proposal
from dashboard.updates.store import Store

BASES_LINE = "(accounts, party_report, compiled, press, party_claim)"


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def labour_year_ends(dataset) -> list[dict]:
    """Labour's year-end figures in the data, oldest first."""
    frame = dataset.year_ends()
    return frame[frame["party"] == "labour"].sort_values("year").to_dict("records")


def csv_text(rows: list[list]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def preview_of(dataset, data: str | bytes, name: str = "up.csv", **defaults):
    raw = data.encode() if isinstance(data, str) else data
    return preview_apply.preview(dataset, Proposal(name, data=raw, defaults=Defaults(**defaults)))


def test_a_figures_preview_shows_each_new_changed_removed_and_unchanged_figure_with_its_notes_and_problems(dataset):
    *_, same, removed, recounted, renoted = labour_year_ends(dataset)
    end = renoted["year"]
    head = ["party", "year", "members", "source", "url", "note", "basis", "remove"]

    def kept(rec: dict, **changed) -> list:
        rec = {**rec, **changed}
        return [rec["party"], rec["year"], rec["members"], rec["source"], rec["url"], rec["note"], rec["basis"], ""]

    rows = [head,
            ["labour", end + 1, 5, INVENTED_SOURCE, "", "", "accounts", ""],
            ["labour", end + 2, 6, "", "", "", "", ""],
            kept(renoted, note="TEST note"),
            kept(recounted, members=recounted["members"] + 1, source=INVENTED_SOURCE),
            ["labour", removed["year"], removed["members"], "", "", "", "", "yes"],
            kept(same)]
    preview = preview_of(dataset, csv_text(rows))
    assert render_text(preview) == "\n".join([
        "up.csv (long): 2 new, 2 changed, 1 unchanged, 1 removed, 1 problem",
        "New:",
        f"  + labour {end + 1} year-end: 5  ({INVENTED_SOURCE}; audited accounts)",
        f"  + labour {end + 2} year-end: 6  (no source; basis not given)",
        "Changed:",
        f"  ~ labour {end} year-end: {renoted['members']:,} (same); note: '{renoted['note']}' -> 'TEST note'",
        f"  ~ labour {recounted['year']} year-end: {recounted['members']:,} -> {recounted['members'] + 1:,}; "
        f"source: '{recounted['source']}' -> '{INVENTED_SOURCE}'",
        "Removed:",
        f"  - labour {removed['year']} year-end: {removed['members']:,}  ({removed['source']})",
        "Unchanged: 1 figure already in the data.",
        f"Note: 1 figure would be saved with no basis and shown as 'basis not given' (labour {end + 2} year-end). "
        f"To say what kind of figure it is, add a basis column {BASES_LINE} or give --basis.",
        "Problems:",
        f"  up.csv, row 3, column 'source': no source for the new figure labour {end + 2} year-end: add a source "
        "column or give --source",
    ])
    assert summary(preview) == "2 new, 2 changed, 1 unchanged, 1 removed, 1 problem"
    assert preview.overwritten_words() == "3 existing figures"  # the two changed and the one removed


def test_counts_and_notes_say_one_or_many_in_words(dataset):
    *_, older, latest = labour_year_ends(dataset)
    end = latest["year"]
    text = csv_text([["party", "year", "members"], ["labour", older["year"], older["members"]],
                     ["labour", end, latest["members"]], ["labour", end + 1, 1], ["labour", end + 2, 2]])
    preview = preview_of(dataset, text)
    assert render_text(preview).splitlines()[0] == "up.csv (long): 2 new, 0 changed, 2 unchanged, 2 problems"
    assert "Unchanged: 2 figures already in the data." in render_text(preview)
    [notice] = preview.notices
    assert notice == (f"2 figures would be saved with no basis and shown as 'basis not given' (labour {end + 1} "
                      f"year-end, labour {end + 2} year-end). To say what kind of figure they are, add a basis column "
                      f"{BASES_LINE} or give --basis.")
    assert summary(preview_of(dataset, csv_text([["party", "year", "members"], ["labour", end, latest["members"]]]))) \
        == "0 new, 0 changed, 1 unchanged, 0 problems"


def test_the_basis_notice_names_three_figures_and_says_when_there_are_more(dataset):
    end = labour_year_ends(dataset)[-1]["year"]
    three = [["party", "year", "members", "source"], *(["labour", end + i, i, INVENTED_SOURCE] for i in (1, 2, 3))]
    [notice] = preview_of(dataset, csv_text(three), name="three.csv").notices
    assert notice.startswith(f"3 figures would be saved with no basis and shown as 'basis not given' (labour {end + 1} "
                             f"year-end, labour {end + 2} year-end, labour {end + 3} year-end). To say")
    # figures of another party than the first's make the fourth distinct (a later year would be out of range)
    four = [*three, ["conservative", end + 1, 4, INVENTED_SOURCE]]
    [notice] = preview_of(dataset, csv_text(four), name="four.csv").notices
    assert notice.startswith(f"4 figures would be saved with no basis and shown as 'basis not given' (labour {end + 1} "
                             f"year-end, labour {end + 2} year-end, labour {end + 3} year-end, ...). To say")


def test_the_page_names_parties_and_its_own_field_in_the_basis_notice(dataset):
    from dashboard.updates.voice import PAGE

    end = labour_year_ends(dataset)[-1]["year"]
    proposal = Proposal("up.csv", data=f"year,members\n{end + 1},5\n".encode(),
                        defaults=Defaults(party="labour", source=INVENTED_SOURCE), voice=PAGE)
    [notice] = preview_apply.preview(dataset, proposal).notices
    assert notice == (f"1 figure would be saved with no basis and shown as 'basis not given' (Labour {end + 1} "
                      f"year-end). To say what kind of figure it is, add a basis column {BASES_LINE} or fill in Basis.")


def test_rows_beyond_the_limit_are_counted_not_listed(dataset):
    end = labour_year_ends(dataset)[-1]["year"]
    text = csv_text([["party", "year", "members", "source", "basis"],
                     *(["labour", end + 1 + i, i + 1, INVENTED_SOURCE, "press"] for i in range(3))])
    preview = preview_of(dataset, text)
    assert render_text(preview, limit=2).splitlines()[1:] == [
        "New:", f"  + labour {end + 1} year-end: 1  ({INVENTED_SOURCE}; press report)",
        f"  + labour {end + 2} year-end: 2  ({INVENTED_SOURCE}; press report)", "  ... and 1 more"]
    assert render_text(preview, limit=3).splitlines()[-1] == f"  + labour {end + 3} year-end: 3  ({INVENTED_SOURCE}; press report)"


def test_the_command_line_lists_two_hundred_rows_of_a_section(dataset):
    # each of the nine parties' figures for the years 1900 to 1922 that the data does not hold
    held = {(r["party"], r["year"]) for r in dataset.year_ends().to_dict("records")}
    rows = [[slug, year, 1] for year in range(1900, 1923) for slug in dataset.parties if (slug, year) not in held]
    preview = preview_of(dataset, csv_text([["party", "year", "members"], *rows[:201]]), source=INVENTED_SOURCE)
    lines = render_text(preview).splitlines()
    assert len(preview.added) == 201
    assert sum(line.startswith("  + ") for line in lines) == 200 and "  ... and 1 more" in lines


def test_a_workbook_with_several_figure_sheets_names_them_and_how_to_choose(dataset):
    workbook = xlsx_bytes({"A": [["year", "labour"], [1900, 5]], "B": [["year", "labour"], [1901, 6]]})
    preview = preview_of(dataset, workbook, name="up.xlsx", source=INVENTED_SOURCE, basis="press")
    assert render_text(preview).splitlines()[:2] == [
        "up.xlsx (wide, sheet 'A'): 1 new, 0 changed, 0 unchanged, 0 problems",
        "  sheets with a year column: A, B (choose one with --sheet)"]
    assert what_was_read(preview) == "wide, sheet 'A'"


def test_a_workbook_of_two_kinds_says_both_and_no_sheet_choice(dataset):
    workbook = xlsx_bytes({"membership": [["party", "year", "members", "source"], ["labour", 1900, 5, INVENTED_SOURCE]],
                           "parties": [["slug", "name", "source"], ["testparty", "TEST Party", INVENTED_SOURCE]]})
    preview = preview_of(dataset, workbook, name="up.xlsx")
    assert what_was_read(preview) == "parties, membership figures (long)"
    assert "sheets with a year column" not in render_text(preview)


def test_one_sheet_of_figures_is_named_by_its_shape_alone(dataset):
    preview = preview_of(dataset, "Year,Labour\n1900,5\n", source=INVENTED_SOURCE)
    assert what_was_read(preview) == "wide"
    assert what_was_read(preview_of(dataset, "Year,Members\n1900,5\n", source=INVENTED_SOURCE, party="labour")) \
        == "two-column"


def test_a_file_that_could_not_be_read_is_called_unreadable(dataset):
    preview = preview_of(dataset, "nothing,here\n1,2\n")
    assert preview.kinds == () and what_was_read(preview) == "unreadable"
    assert render_text(preview).startswith("up.csv (unreadable): 0 new, 0 changed, 0 unchanged, 1 problem\nProblems:\n")


def test_ignored_columns_are_listed(dataset):
    preview = preview_of(dataset, "party,year,members,Checked,Region\nlabour,1900,5,x,y\n", source=INVENTED_SOURCE)
    assert "  ignored columns: Checked, Region" in render_text(preview).splitlines()


def test_new_parties_show_colour_marker_other_names_and_short_name(dataset):
    preview = preview_of(dataset, f"slug,name,aliases,short,source\ntestparty,TEST Party,TP;TEST P,TESTP,{INVENTED_SOURCE}\n"
                                  "testparty2,TEST Party Two,,,\n")
    first, second = (c.new["colour"] for c in preview.added)
    (_, one), (_, two) = preview.symbols
    assert render_text(preview).splitlines()[:4] == [
        "up.csv (parties): 2 new, 0 changed, 0 unchanged, 0 problems",
        "New:",
        f"  + party testparty (TEST Party): colour {first}, marker {SYMBOL_GLYPHS[one]} ({one}), also written TP, TEST P, "
        f"labelled 'TESTP'  ({INVENTED_SOURCE})",
        f"  + party testparty2 (TEST Party Two): colour {second}, marker {SYMBOL_GLYPHS[two]} ({two})  (no source)"]


def test_a_changed_party_lists_each_field_old_and_new_and_counts_as_a_row(dataset):
    labour = dataset.parties["labour"]
    preview = preview_of(dataset, f"slug,name,short\nlabour,{labour.name},TEST Lab\n")
    assert render_text(preview).splitlines()[1:] == [
        "Changed:", f"  ~ party labour ({labour.name}): short '{labour.short}' -> 'TEST Lab'"]
    assert preview.overwritten_words() == "1 existing row"


def test_unchanged_rows_of_other_tables_are_counted_as_rows(dataset):
    a, b = list(dataset.parties.values())[:2]
    one = preview_of(dataset, f"slug,name\n{a.slug},{a.name}\n")
    assert render_text(one).splitlines()[-1] == "Unchanged: 1 row already in the data."
    two = preview_of(dataset, f"slug,name\n{a.slug},{a.name}\n{b.slug},{b.name}\n")
    assert render_text(two).splitlines()[-1] == "Unchanged: 2 rows already in the data."


def test_new_elections_and_terms_show_their_end_or_that_they_are_current(dataset):
    preview = preview_of(dataset, "kind,party,name,start,end,source\n"
                                  f"general_election,,TEST election,1901-01-02,1901-01-02,{INVENTED_SOURCE}\n"
                                  f"leader,labour,TEST Leader,1902-01-02,1902-03-04,{INVENTED_SOURCE}\n")
    assert render_text(preview).splitlines()[1:] == [
        "New:", f"  + TEST election (1901-01-02) to 1901-01-02  ({INVENTED_SOURCE})",
        f"  + labour leader TEST Leader from 1902-01-02 to 1902-03-04  ({INVENTED_SOURCE})"]
    *_, current = (r for r in records(dataset.events) if r["party"] == "labour" and r["kind"] == "leader")
    assert current["end"] == ""   # the data's current leader: a term with no end
    ended = preview_of(dataset, "kind,party,name,start,end,source\n"
                                f"leader,labour,{current['name']},{current['start']},,{current['source']}\n"
                                f"leader,labour,TEST Leader,1902-01-02,,{INVENTED_SOURCE}\n")
    assert f"  + labour leader TEST Leader from 1902-01-02 (current)  ({INVENTED_SOURCE})" in render_text(ended)


def test_related_figures_new_and_changed_are_shown_with_their_measure(dataset):
    rel = records(dataset.related)[0]
    text = csv_text([["party", "year", "members", "as_of", "measure", "source", "note"],
                     [rel["party"], rel["year"], rel["members"] + 1, rel["as_of"], rel["measure"], rel["source"], "TEST note"],
                     [rel["party"], rel["year"], 1234, "", "TEST measure", INVENTED_SOURCE, ""]])
    preview = preview_of(dataset, text)
    assert render_text(preview).splitlines() == [
        "up.csv (related figures): 1 new, 1 changed, 0 unchanged, 0 problems",
        "New:",
        f"  + {rel['party']} {rel['year']} year-end: TEST measure: 1,234  ({INVENTED_SOURCE})",
        "Changed:",
        f"  ~ {rel['party']} {rel['year']} on {rel['as_of']}: {rel['measure']}: members '{rel['members']}' -> "
        f"'{rel['members'] + 1}'; note '{rel['note']}' -> 'TEST note'"]


def test_removing_a_party_is_one_line_naming_it(data_dir: Path):
    path = data_dir / "membership.csv"
    Store(path).apply(preview_apply.preview(load_dataset(path), Proposal(
        "up.csv", data=f"name,source\nTEST Party,{INVENTED_SOURCE}\n".encode())))
    removal = preview_apply.preview(load_dataset(path), Proposal("remove-party testparty", remove_party="testparty"))
    assert render_text(removal).splitlines() == [
        "remove-party testparty (form): 0 new, 0 changed, 0 unchanged, 1 removed, 0 problems",
        "Removed:", "  - party testparty (TEST Party)"]


def test_a_workbook_with_one_sheet_of_figures_offers_no_choice_of_sheet(dataset):
    preview = preview_of(dataset, xlsx_bytes({"Figures": [["year", "labour"], [1900, 5]]}), name="up.xlsx",
                         source=INVENTED_SOURCE, basis="press")
    assert render_text(preview).splitlines()[:2] == [
        "up.xlsx (wide, sheet 'Figures'): 1 new, 0 changed, 0 unchanged, 0 problems", "New:"]


def test_the_stamp_names_the_version_of_each_file_an_apply_would_write_and_no_other(dataset):
    versions = dataset.file_versions
    workbook = xlsx_bytes({"membership": [["party", "year", "members", "source"], ["labour", 1900, 5, INVENTED_SOURCE]],
                           "parties": [["slug", "name", "source"], ["testparty", "TEST Party", INVENTED_SOURCE]]})
    both = preview_of(dataset, workbook, name="up.xlsx")
    assert both.stamp() == f"membership={versions['membership']};parties={versions['parties']}"
    figures = preview_of(dataset, "Year,Labour\n1900,5\n", source=INVENTED_SOURCE)
    assert figures.stamp() == f"membership={versions['membership']}"
