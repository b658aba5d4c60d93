"""`membership import | history | undo`: exit codes, the printed preview, nothing written on errors."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import HANG_SECONDS
from updates_helpers import INVENTED_SOURCE, first_free_year_end, real_year_end, xlsx_bytes

from dashboard.cli.main import main
from dashboard.core.dataset import load_dataset

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def path(data_dir: Path) -> Path:
    return data_dir / "membership.csv"


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    target = tmp_path / name
    target.write_bytes(content.encode() if isinstance(content, str) else content)
    return target


def run(*argv) -> int:
    return main([str(a) for a in argv])


def test_import_applies_and_exits_0(path, tmp_path, capsys):
    year = first_free_year_end(load_dataset(path))
    upload = write(tmp_path, "new.csv", f"Year,Members\n{year},123456\n")
    assert run("import", upload, "--party", "labour", "--source", INVENTED_SOURCE, "--data", path) == 0
    out = capsys.readouterr().out
    assert f"+ labour {year} year-end: 123,456" in out and "Applied as change #1" in out
    assert real_year_end(load_dataset(path)) == (year, 123456)


def test_clean_dry_run_exits_0_and_writes_nothing(path, tmp_path, capsys):
    before = path.read_bytes()
    upload = write(tmp_path, "new.csv", f"party,year,members,source\nreform,2026,1,{INVENTED_SOURCE}\n")
    assert run("import", upload, "--dry-run", "--data", path) == 0
    assert "Dry run: nothing was written." in capsys.readouterr().out
    assert path.read_bytes() == before and not (path.parent / ".history").exists()


def test_input_problems_exit_2_and_write_nothing(path, tmp_path, capsys):
    before = path.read_bytes()
    upload = write(tmp_path, "bad.csv", "Year,Labour\n2025,c. 300k\n")
    assert run("import", upload, "--source", INVENTED_SOURCE, "--data", path) == 2
    captured = capsys.readouterr()
    assert "bad.csv, row 2, column 'Labour': 'c. 300k' is not a number" in captured.out
    assert "Nothing was written" in captured.err
    assert path.read_bytes() == before


def test_changing_existing_figures_exits_3_without_overwrite(path, tmp_path, capsys):
    year, members = real_year_end(load_dataset(path))
    before = path.read_bytes()
    upload = write(tmp_path, "fix.csv", f"Year,Labour\n{year},{members + 1}\n")
    assert run("import", upload, "--source", INVENTED_SOURCE, "--data", path) == 3
    assert run("import", upload, "--source", INVENTED_SOURCE, "--data", path, "--dry-run") == 3
    assert path.read_bytes() == before
    assert f"{members:,} -> {members + 1:,}" in capsys.readouterr().out
    assert run("import", upload, "--source", INVENTED_SOURCE, "--data", path, "--overwrite") == 0
    assert real_year_end(load_dataset(path)) == (year, members + 1)


def test_import_reads_a_chosen_sheet(path, tmp_path):
    book = xlsx_bytes({"A": [["Year", "SNP"], [2026, 1]], "B": [["Year", "SNP"], [2027, 2]]})
    upload = write(tmp_path, "book.xlsx", book)
    assert run("import", upload, "--sheet", "B", "--source", INVENTED_SOURCE, "--data", path) == 0
    assert load_dataset(path).year_ends().query("party == 'snp'")["year"].max() == 2027


def test_history_and_undo(path, tmp_path, capsys):
    original = path.read_bytes()
    upload = write(tmp_path, "new.csv", f"party,year,members,source\nreform,2026,1,{INVENTED_SOURCE}\n")
    run("import", upload, "--data", path)
    capsys.readouterr()
    assert run("history", "--data", path) == 0
    out = capsys.readouterr().out
    assert "#1 " in out and "new.csv" in out and "+ reform 2026 year-end: 1" in out and "would undo #1" in out
    assert run("undo", "--data", path) == 0
    assert path.read_bytes() == original
    assert run("undo", "--data", path) == 1
    assert "nothing to undo" in capsys.readouterr().err


@pytest.mark.parametrize("argv, message", [
    (["import", "/nonexistent/figures.csv"], "file not found"),
    (["import", "{tmp}", ], "is a directory"),
    (["import", "{tmp}/x.csv", "--party", "whigs"], "--party: unknown party 'whigs'"),
    (["undo", "--data", "/nonexistent/membership.csv"], "file not found"),
])
@pytest.mark.process
def test_user_mistakes_get_a_message_not_a_traceback(path, tmp_path, argv, message):
    write(tmp_path, "x.csv", "Year,Members\n2025,1\n")
    argv = [a.format(tmp=tmp_path) for a in argv]
    if "--data" not in argv:
        argv += ["--data", str(path)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "dashboard.cli.main", *argv], capture_output=True, text=True,
                            env=env, timeout=HANG_SECONDS)
    assert result.returncode in (1, 2)
    assert message in result.stderr
    assert "Traceback" not in result.stderr
