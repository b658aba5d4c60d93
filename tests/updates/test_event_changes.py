"""Events checked as figures are: a source for every date; overlapping terms, an end before the start, a date
in the future, an unknown party or kind, a general election given a party are located problems; ending the
current leader's term and starting the next is one change. Leaders and dates are invented (TEST) or taken
from the data; `today` is fixed so the checks do not move with the calendar."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from updates_helpers import INVENTED_SOURCE

from dashboard.core.dataset import load_dataset
from dashboard.updates import preview_apply
from dashboard.updates.changes import render_text
from dashboard.updates.event_changes import event_changes
from dashboard.updates.forms import current_term
from dashboard.updates.ingest import read_upload
from dashboard.updates.preview_apply import Proposal
from dashboard.updates.store import Store
from dashboard.updates.voice import PAGE

HEADER = "kind,party,name,start,end,source\n"


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def checked(dataset, rows: str, today: dt.date | None = None):
    upload = read_upload((HEADER + rows).encode(), "ev.csv", dataset.parties)
    assert not upload.problems, upload.problems
    return event_changes(dataset, upload.records, (), "ev.csv", today=today)


def located(problems) -> list[tuple[int | None, str | None]]:
    return [(p.row, p.column) for p in problems]


def current(dataset, party: str = "labour") -> dict:
    term = current_term(dataset, party)
    assert term is not None, f"{party} has no current term in the data"
    return term


def after(date_text: str, days: int) -> str:
    return (dt.date.fromisoformat(date_text) + dt.timedelta(days=days)).isoformat()


def test_an_event_without_a_source_is_refused(dataset):
    upload = read_upload(b"kind,party,name,start\ngeneral_election,,TEST election,2001-01-02\n", "ev.csv", dataset.parties)
    _, problems = event_changes(dataset, upload.records, (), "ev.csv")
    assert located(problems) == [(2, "source")] and "every date needs its source" in problems[0].message


def test_a_term_that_overlaps_the_current_one_is_located_naming_both(dataset):
    term = current(dataset)
    start = after(term["start"], 10)
    changes, problems = checked(dataset, f"leader,labour,TEST leader,{start},,{INVENTED_SOURCE}\n")
    [problem] = problems
    assert located(problems) == [(2, "start")]
    assert f"TEST leader's term ({start} to now) overlaps {term['name']}'s term ({term['start']} to now)" in problem.message
    assert "end that term in the same file" in problem.message


def test_ending_the_current_term_in_the_same_upload_makes_the_next_one_allowed_and_one_change(dataset):
    term = current(dataset)
    start = after(term["start"], 10)
    changes, problems = checked(dataset, f"leader,labour,TEST leader,{start},,{INVENTED_SOURCE}\n"
                                         f"leader,labour,{term['name']},{term['start']},{start},\n")
    assert problems == []
    added, ended = changes
    assert (added.kind, added.key) == ("added", ("leader", "labour", start))
    assert (ended.kind, ended.fields, ended.new["end"]) == ("changed", ("end",), start)
    assert ended.new["source"] == term["source"]          # the term keeps its own source
    assert not ended.overwrites                           # giving an open term its end overwrites nothing


def test_an_end_before_the_start_is_located(dataset):
    _, problems = checked(dataset, f"general_election,,TEST election,2001-01-02,2001-01-01,{INVENTED_SOURCE}\n")
    assert located(problems) == [(2, "end")] and "2001-01-01 is before the start, 2001-01-02" in problems[0].message


def test_a_date_in_the_future_is_located(dataset):
    _, problems = checked(dataset, f"general_election,,TEST election,2001-01-02,,{INVENTED_SOURCE}\n",
                          today=dt.date(2001, 1, 1))
    assert located(problems) == [(2, "start")] and "is in the future" in problems[0].message


def test_a_general_election_given_a_party_is_located(dataset):
    _, problems = checked(dataset, f"general_election,labour,TEST election,2001-01-02,,{INVENTED_SOURCE}\n")
    assert located(problems) == [(2, "party")] and "belongs to no party" in problems[0].message


def test_a_leaders_term_without_its_party_is_located(dataset):
    _, problems = checked(dataset, f"leader,,TEST leader,2001-01-02,2001-02-02,{INVENTED_SOURCE}\n")
    assert located(problems) == [(2, "party")] and "needs the party" in problems[0].message


@pytest.mark.parametrize("row, column, message", [
    (f"coronation,,TEST,2001-01-02,,{INVENTED_SOURCE}", "kind", "unknown kind 'coronation' (accepted: leader"),
    (f"leader,whigs,TEST,2001-01-02,,{INVENTED_SOURCE}", "party", "unknown party 'whigs'"),
])
def test_an_unknown_kind_or_party_is_located_when_read(dataset, row, column, message):
    upload = read_upload((HEADER + row + "\n").encode(), "ev.csv", dataset.parties)
    [problem] = upload.problems
    assert (problem.row, problem.column) == (2, column) and message in problem.message


def test_the_event_form_ends_the_current_term_and_starts_the_next_as_one_change(data_dir: Path):
    path = data_dir / "membership.csv"
    dataset = load_dataset(path)
    term = current(dataset)
    start = after(term["start"], 10)
    fields = {"kind": "leader", "party": "labour", "name": "TEST leader", "start": start, "source": INVENTED_SOURCE,
              "ends_current": True}
    preview = preview_apply.preview(dataset, Proposal("form", fields=fields, form="event", voice=PAGE))
    assert not preview.problems and not preview.needs_overwrite
    assert [(c.kind, c.new["name"]) for c in preview.writes] == [("added", "TEST leader"), ("changed", term["name"])]
    before = (data_dir / "events.csv").read_bytes()
    entry = Store(path).apply(preview)
    assert set(entry.versions) == {"events"} and len(entry.changes) == 2
    lines = (data_dir / "events.csv").read_text().splitlines()
    ended = next(i for i, line in enumerate(lines) if line.startswith(f"leader,labour,{term['name']},{term['start']},{start},"))
    assert lines[ended + 1].startswith(f"leader,labour,TEST leader,{start},")   # the next term follows it
    Store(path).undo()
    assert (data_dir / "events.csv").read_bytes() == before


def test_the_event_form_written_in_british_dates_previews_iso(dataset):
    term = current(dataset)
    start = dt.date.fromisoformat(after(term["start"], 10))
    fields = {"kind": "leader", "party": "Labour", "name": "TEST leader", "start": start.strftime("%d/%m/%Y"),
              "source": INVENTED_SOURCE, "ends_current": True}
    preview = preview_apply.preview(dataset, Proposal("form", fields=fields, form="event", voice=PAGE))
    assert not preview.problems and preview.added[0].new["start"] == start.isoformat()
    assert f"from {start.isoformat()}" in render_text(preview)
