"""`membership check` and `membership serve` as a user runs them: real processes, real files."""
from __future__ import annotations

import subprocess
import sys
import urllib.request
from pathlib import Path

import openpyxl
import pytest
from helpers import HANG_SECONDS, get_when_serving

from testkit.ports import free_port

ROOT = Path(__file__).resolve().parents[2]


# Every test here runs the `membership` command in a process of its own.
pytestmark = pytest.mark.process


def membership(*args: str, timeout: float = HANG_SECONDS) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dashboard.cli.main", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


def test_check_passes_on_the_bundled_data():
    result = membership("check")
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout


def test_check_lists_one_line_per_problem_with_file_row_and_column(data_dir: Path):
    path = data_dir / "membership.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("labour,1964,830000", "labour,1964,83O000")
    lines[2] = lines[2].replace("labour,1970,680000", "tories,1970,-680000")
    lines.append(lines[-1])  # a second year-end row for the same party and year, or a duplicate dated one
    lines.append("labour,2024,1,,dup source,,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = membership("check", "--data", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "membership.csv, row 2, column 'members': '83O000' is not a whole number" in result.stderr
    assert "membership.csv, row 3, column 'party': unknown party 'tories'" in result.stderr
    assert "membership.csv, row 3, column 'members': -680000 is negative" in result.stderr
    assert "second year-end figure for labour 2024" in result.stderr


def test_check_reports_a_missing_column(data_dir: Path):
    path = data_dir / "membership.csv"
    text = path.read_text(encoding="utf-8").replace("party,year,members,", "party,year,count,", 1)
    path.write_text(text, encoding="utf-8")
    result = membership("check", "--data", str(path))
    assert result.returncode == 2 and "missing column 'members'" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_reports_an_unreadable_excel_file(tmp_path: Path):
    path = tmp_path / "figures.xlsx"
    path.write_bytes(b"PK\x03\x04 truncated zip")
    result = membership("check", "--data", str(path))
    assert result.returncode == 2 and "figures.xlsx" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_on_broken_data_with_no_good_copy_starts_and_names_the_problems_not_a_traceback(tmp_path: Path):
    """The site stays up while the file is fixed (the page lists the problems to an editor and says
    to readers that the data is being corrected); the console lists them too, as membership check does."""
    path = tmp_path / "membership.csv"
    path.write_text("party,year,members,as_of,source,url,note\nlabour,2001,lots,,s,,\n", encoding="utf-8")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "dashboard.cli.main", "serve", "--data", str(path), "--port",
                                str(port)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and process.stderr is not None
        said = [process.stdout.readline()]
        while not said[-1].startswith("Serving "):  # what it serves, the data folder, then where it listens
            said.append(process.stdout.readline())
            assert said[-1], said
        assert "No good version of the data is kept" in said[0], said
        errors = ""
        while "Running on" not in errors:  # the server's own line, once it listens
            line = process.stderr.readline()
            assert line, f"the server stopped: {errors}"
            errors += line
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_dash-layout", timeout=60) as response:
            layout = response.read().decode()  # this machine, no password: an editor, who sees what to fix
        assert "'lots' is not a whole number" in layout and "repair-upload" in layout
    finally:
        process.terminate()
        process.communicate(timeout=30)
    assert "row 2, column 'members'" in errors and "Traceback" not in errors


def test_serve_runs_the_dashboard_on_an_excel_data_file(data_dir: Path, tmp_path: Path):
    book = openpyxl.Workbook()
    sheet = book.active
    lines = (data_dir / "membership.csv").read_text(encoding="utf-8").splitlines()
    import csv
    for row in csv.reader(lines):
        sheet.append(row)
    path = data_dir / "membership.xlsx"
    book.save(path)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "dashboard.cli.main", "serve", "--data", str(path), "--port", str(port)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        layout = get_when_serving(f"http://127.0.0.1:{port}/_dash-layout", process).decode()
        assert "membership-chart" in layout and "333235" in layout
    finally:
        process.terminate()
        process.communicate(timeout=HANG_SECONDS)  # waits, and closes the pipes
