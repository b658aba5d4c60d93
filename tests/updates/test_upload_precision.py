"""An upload may give a figure's bound and date precision; given none, a dated figure is taken as known to the
day and drawn exact, and the preview says so, naming the figures; a word the columns cannot mean is a located
problem. The one-off derivation from the notes is one change in the history, undone byte for byte."""
from __future__ import annotations

import pytest
from updates_helpers import INVENTED_SOURCE, dataset_at

from dashboard.core.dataset import load_dataset
from dashboard.updates import preview_apply
from dashboard.updates.changes import diff
from dashboard.updates.derived import SOURCE as DERIVED
from dashboard.updates.ingest import read_upload
from dashboard.updates.preview_apply import Proposal
from dashboard.updates.store import Store

FREE_DATE = "2026-11-17"  # no figure of Labour's is dated this day


@pytest.fixture
def dataset(data_dir):
    return dataset_at(data_dir)


def preview_of(dataset, text: str):
    return diff(dataset, read_upload(text.encode(), "up.csv", dataset.parties))


def test_a_dated_figure_given_no_precision_is_taken_as_known_to_the_day_and_the_preview_says_so(dataset):
    preview = preview_of(dataset, f"party,year,members,as_of,source,basis\n"
                                  f"labour,2026,240000,{FREE_DATE},{INVENTED_SOURCE},press\n")
    [added] = preview.added
    assert added.new["date_precision"] == "" and added.new["bound"] == ""
    [notice] = preview.notices
    assert "no date precision given" in notice and "known to the day" in notice and "labour 2026" in notice
    assert "date_precision column" in notice


def test_a_figure_whose_note_bounds_it_but_no_bound_is_given_is_named_as_drawn_exact(dataset):
    preview = preview_of(dataset, f"party,year,members,as_of,source,basis,note,date_precision\n"
                                  f'labour,2026,240000,{FREE_DATE},{INVENTED_SOURCE},press,"fallen below 240,000",day\n')
    [notice] = preview.notices
    assert "bounds its figure" in notice and "drawn as exact" in notice and "bound column" in notice


def test_the_bound_and_date_precision_an_upload_gives_are_kept_and_no_notice_is_given(dataset):
    preview = preview_of(dataset, f"party,year,members,as_of,source,basis,bound,date precision\n"
                                  f"labour,2026,240000,{FREE_DATE},{INVENTED_SOURCE},press,Below,month\n")
    [added] = preview.added
    assert (added.new["bound"], added.new["date_precision"]) == ("below", "month")
    assert preview.notices == () and not preview.problems


def test_a_bound_or_precision_the_columns_cannot_mean_is_a_problem_at_its_row_and_column(dataset):
    preview = preview_of(dataset, f"party,year,members,as_of,source,basis,bound,date_precision\n"
                                  f"labour,2026,240000,{FREE_DATE},{INVENTED_SOURCE},press,beneath,day\n"
                                  f"labour,2026,241000,2026-11-18,{INVENTED_SOURCE},press,,fortnight\n")
    found = {(p.row, p.column): p.message for p in preview.problems}
    assert "'beneath' is not a bound" in found[(2, "bound")]
    assert "'fortnight' is not a date precision" in found[(3, "date_precision")]
    assert not preview.added


def test_deriving_from_the_notes_is_one_change_in_the_history_and_undo_puts_the_bytes_back(data_dir):
    path = data_dir / "membership.csv"
    text = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = text[0].rstrip("\n").split(",")
    cut = [",".join(line.rstrip("\n").split(",")[:-2] if i else header[:-2]) + "\n" for i, line in enumerate(text)]
    path.write_text("".join(cut), encoding="utf-8")   # the file as it was before the columns
    before = path.read_bytes()
    dataset = load_dataset(path)
    preview = preview_apply.preview(dataset, Proposal(DERIVED, derive_precision=True))
    assert preview.changes and all(c.kind == "changed" for c in preview.changes)
    store = Store(path)
    store.apply(preview, overwrite=True, who="tester")
    after = load_dataset(path).counts
    labour = after.query("party == 'labour' and as_of == '2025-12-01'").iloc[0]
    assert (labour["bound"], labour["date_precision"]) == ("below", "month")
    assert preview_apply.preview(load_dataset(path), Proposal(DERIVED, derive_precision=True)).changes == ()
    store.undo(who="tester")
    assert path.read_bytes() == before
