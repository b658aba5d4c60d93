"""`membership import` of every shape (parties, events, related figures, a workbook of several kinds, figures
naming a new party), `remove-party`, and the history and undo of each, on a copy of data/. Everything added is
invented (TEST); real rows come from the data."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from updates_helpers import INVENTED_SOURCE, first_free_year_end, xlsx_bytes

from dashboard.cli.main import main
from dashboard.core.dataset import load_dataset
from dashboard.core.selection import records
from dashboard.updates.forms import current_term
from dashboard.updates.store import Store

FILES = ("membership.csv", "parties.csv", "events.csv", "other_figures.csv")


@pytest.fixture
def path(data_dir: Path) -> Path:
    return data_dir / "membership.csv"


def run(*argv) -> int:
    return main([str(a) for a in argv])


def state(path: Path) -> dict[str, bytes]:
    return {name: (path.parent / name).read_bytes() for name in FILES}


def later(date_text: str) -> str:
    """A day within a term that began on `date_text` (ten days on): invented, for a term of a TEST leader."""
    return (dt.date.fromisoformat(date_text) + dt.timedelta(days=10)).isoformat()


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    target = tmp_path / name
    target.write_bytes(content.encode() if isinstance(content, str) else content)
    return target


def test_a_parties_file_is_imported_shown_in_the_history_and_undone(path, tmp_path, capsys):
    before = state(path)
    upload = write(tmp_path, "parties.csv", f"slug,name,aliases,short,source\n,TEST Party,TP,TEST,{INVENTED_SOURCE}\n")
    assert run("import", upload, "--data", path) == 0
    out = capsys.readouterr().out
    assert "parties.csv (parties): 1 new" in out and "+ party testparty (TEST Party): colour #" in out
    assert "testparty" in load_dataset(path).parties and state(path)["membership.csv"] == before["membership.csv"]
    assert run("history", "--data", path) == 0
    assert "+ party testparty (TEST Party): colour #" in capsys.readouterr().out
    assert run("undo", "--data", path) == 0 and state(path) == before


def test_figures_naming_a_new_party_stop_with_its_name_unless_add_parties(path, tmp_path, capsys):
    year = first_free_year_end(load_dataset(path))
    upload = write(tmp_path, "f.csv", f"party,year,members,source\nTEST Newcomers,{year},1234,{INVENTED_SOURCE}\n")
    before = state(path)
    assert run("import", upload, "--data", path) == 2
    captured = capsys.readouterr()
    assert "unknown party 'TEST Newcomers'" in captured.out and "--add-parties" in captured.out
    assert state(path) == before
    assert run("import", upload, "--add-parties", "--data", path) == 0
    entry = Store(path).entries()[-1]
    assert set(entry.versions) == {"parties", "membership"}
    dataset = load_dataset(path)
    assert dataset.parties["testnewcomers"].name == "TEST Newcomers"
    assert (dataset.counts["party"] == "testnewcomers").sum() == 1
    assert run("undo", "--data", path) == 0 and state(path) == before


def test_an_events_file_ends_the_current_term_and_starts_the_next_as_one_change(path, tmp_path, capsys):
    term = current_term(load_dataset(path), "labour")
    assert term is not None
    start = later(term["start"])
    upload = write(tmp_path, "ev.csv", "kind,party,name,start,end,source\n"
                                       f"leader,labour,TEST leader,{start},,{INVENTED_SOURCE}\n"
                                       f"leader,labour,{term['name']},{term['start']},{start},\n")
    before = state(path)
    assert run("import", upload, "--data", path) == 0
    out = capsys.readouterr().out
    assert f"+ labour leader TEST leader from {start} (current)" in out
    assert f"~ labour leader {term['name']} from {term['start']}: end '' -> '{start}'" in out
    assert len(Store(path).entries()[-1].changes) == 2
    assert run("undo", "--data", path) == 0 and state(path) == before


def test_an_overlapping_term_exits_2_and_writes_nothing(path, tmp_path, capsys):
    term = current_term(load_dataset(path), "labour")
    assert term is not None
    upload = write(tmp_path, "ev.csv", f"kind,party,name,start,source\nleader,labour,TEST leader,{later(term['start'])},"
                                       f"{INVENTED_SOURCE}\n")
    before = state(path)
    assert run("import", upload, "--data", path) == 2
    assert "overlaps" in capsys.readouterr().out and state(path) == before


def test_a_related_figures_file_is_imported_and_undone(path, tmp_path, capsys):
    row = records(load_dataset(path).related)[0]
    upload = write(tmp_path, "rel.csv", f"party,year,members,as_of,measure,source\n{row['party']},{row['year']},4321,,"
                                        f"TEST measure,{INVENTED_SOURCE}\n")
    before = state(path)
    assert run("import", upload, "--data", path) == 0
    assert "rel.csv (related figures): 1 new" in capsys.readouterr().out
    assert "TEST measure" in (path.parent / "other_figures.csv").read_text()
    assert run("undo", "--data", path) == 0 and state(path) == before


def test_a_workbook_of_several_kinds_is_one_change_across_files(path, tmp_path, capsys):
    year = first_free_year_end(load_dataset(path))
    book = xlsx_bytes({
        "parties": [["name", "source"], ["TEST Party", INVENTED_SOURCE]],
        "membership": [["party", "year", "members", "source"], ["TEST Party", year, 1234, INVENTED_SOURCE]],
        "events": [["kind", "party", "name", "start", "source"], ["leader", "TEST Party", "TEST leader",
                                                                  f"{year - 1}-01-02", INVENTED_SOURCE]],
    })
    before = state(path)
    assert run("import", write(tmp_path, "kinds.xlsx", book), "--data", path) == 0
    assert set(Store(path).entries()[-1].versions) == {"parties", "membership", "events"}
    assert run("undo", "--data", path) == 0 and state(path) == before


def test_a_workbook_with_an_unknown_sheet_exits_2_naming_the_sheets(path, tmp_path, capsys):
    book = xlsx_bytes({"parties": [["name"], ["TEST Party"]], "Notes": [["anything"]]})
    assert run("import", write(tmp_path, "kinds.xlsx", book), "--data", path) == 2
    assert "sheets the product does not know: 'Notes' (sheets found: parties, Notes" in capsys.readouterr().out


def test_remove_party_refuses_a_party_with_figures_and_removes_one_without(path, tmp_path, capsys):
    before = state(path)
    assert run("remove-party", "Labour", "--data", path) == 2
    assert "Labour still has" in capsys.readouterr().out and state(path) == before
    run("import", write(tmp_path, "p.csv", f"name,source\nTEST Party,{INVENTED_SOURCE}\n"), "--data", path)
    assert run("remove-party", "TEST Party", "--data", path) == 0
    assert "- party testparty (TEST Party)" in capsys.readouterr().out
    assert "testparty" not in load_dataset(path).parties
