"""The command line under bad values and faults: one line and an exit code, never a traceback,
nothing written. Each command runs as its own process, as a user runs it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import HANG_SECONDS, read_only_folder
from updates_helpers import INVENTED_SOURCE, first_free_year_end

from dashboard.core.dataset import load_dataset
from dashboard.updates.store import Store

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.process


@pytest.fixture
def path(data_dir: Path) -> Path:
    return data_dir / "membership.csv"


def membership(*argv: object) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "dashboard.cli.main", *map(str, argv)], capture_output=True,
                          env=env, timeout=HANG_SECONDS)


def text(result: subprocess.CompletedProcess) -> str:
    return result.stdout.decode("utf-8", "replace") + result.stderr.decode("utf-8", "replace")


def new_figure_file(path: Path, tmp_path: Path, members: int = 123456) -> Path:
    upload = tmp_path / "new.csv"
    upload.write_text(f"Year,Members\n{first_free_year_end(load_dataset(path))},{members}\n")
    return upload


def test_redo_puts_back_what_undo_took_away(path, tmp_path):
    original = path.read_bytes()
    assert membership("import", new_figure_file(path, tmp_path), "--party", "labour", "--source", INVENTED_SOURCE,
                      "--data", path).returncode == 0
    applied = path.read_bytes()
    assert membership("undo", "--data", path).returncode == 0 and path.read_bytes() == original
    result = membership("redo", "--data", path)
    assert result.returncode == 0 and "Redid change #1" in text(result) and path.read_bytes() == applied
    result = membership("redo", "--data", path)
    assert result.returncode == 1 and "nothing to redo" in text(result)


def test_undo_naming_a_change_that_is_not_the_latest_is_refused(path, tmp_path):
    membership("import", new_figure_file(path, tmp_path), "--party", "labour", "--source", INVENTED_SOURCE, "--data", path)
    before = path.read_bytes()
    result = membership("undo", "--change", "7", "--data", path)
    assert result.returncode == 1 and "latest change is now #1, not #7" in text(result) and path.read_bytes() == before


def test_check_history_and_undo_survive_a_damaged_history_line(path, tmp_path):
    membership("import", new_figure_file(path, tmp_path), "--party", "labour", "--source", INVENTED_SOURCE, "--data", path)
    log = Store(path).log_path
    with open(log, "ab") as handle:
        handle.write(b'{"id": 2, "when": "\xff\xfe broken"}\n')
    check = membership("check", "--data", path)
    assert check.returncode == 2 and "membership.log.jsonl: line 2 is not UTF-8" in text(check)
    history = membership("history", "--data", path)
    assert history.returncode == 0 and "#1" in text(history) and "line 2" in text(history)
    undo = membership("undo", "--data", path)
    assert undo.returncode == 0 and "Undid change #1" in text(undo)
    assert all("Traceback" not in text(r) for r in (check, history, undo))


@pytest.mark.parametrize("members", [str(2 ** 63), str(2 ** 64), "10000000"])
def test_member_counts_far_above_any_party_are_refused_in_the_data_and_uploads(path, tmp_path, members):
    upload = tmp_path / "big.csv"
    upload.write_text(f"Year,Members\n2025,{members}\n")
    result = membership("import", upload, "--party", "labour", "--source", INVENTED_SOURCE, "--data", path)
    assert result.returncode == 2 and "far above any party's membership" in text(result)
    lines = path.read_text().splitlines()
    cells = lines[1].split(",")
    cells[2] = members
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    check = membership("check", "--data", path)
    assert check.returncode == 2 and "row 2, column 'members'" in text(check) and "Traceback" not in text(check)


def test_a_nul_byte_after_the_first_8_kb_is_refused_with_its_place(path, tmp_path):
    year = first_free_year_end(load_dataset(path))
    filler = "".join(f"{1900 + n % 100},{n}\n" for n in range(1200))
    upload = tmp_path / "nul.csv"
    upload.write_bytes(f"Year,Members,Note\n{filler}".replace(f"{1900},0\n", "").encode()[:9000].rsplit(b"\n", 1)[0]
                       + f"\n{year},5,hidden\x00text\n".encode())
    assert upload.read_bytes().index(b"\x00") > 8192
    before = path.read_bytes()
    result = membership("import", upload, "--party", "labour", "--source", INVENTED_SOURCE, "--data", path)
    assert result.returncode == 2 and "column 'Note': contains the control character U+0000" in text(result)
    assert path.read_bytes() == before


def test_terminal_escapes_in_a_source_are_refused_and_never_printed_raw(path, tmp_path):
    upload = tmp_path / "escape.csv"
    upload.write_text(f"Year,Members,Source\n{first_free_year_end(load_dataset(path))},5,\x1b[2J\x1b]0;pwned\x07TEST\n")
    result = membership("import", upload, "--party", "labour", "--data", path)
    assert result.returncode == 2 and b"\x1b" not in result.stdout + result.stderr
    assert "U+001B" in text(result) and "row 2, column 'Source'" in text(result)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://example.org/x"])
def test_a_url_given_with_url_must_be_http_or_https(path, tmp_path, url):
    before = path.read_bytes()
    result = membership("import", new_figure_file(path, tmp_path), "--party", "labour", "--source", INVENTED_SOURCE,
                        "--url", url, "--data", path)
    assert result.returncode == 2 and "--url" in text(result) and "http://" in text(result)
    assert path.read_bytes() == before


def test_a_javascript_link_in_the_data_file_is_a_problem(path):
    lines = path.read_text().splitlines()
    cells = lines[1].split(",")
    cells[5] = "javascript:alert(1)"
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    result = membership("check", "--data", path)
    assert result.returncode == 2 and "row 2, column 'url'" in text(result) and "only http://" in text(result)


def test_check_on_a_cell_over_128_kb_says_where_without_a_traceback(path):
    with open(path, "a") as handle:
        handle.write(f"labour,2030,1,,\"{'x' * 140_000}\",,\n")
    result = membership("check", "--data", path)
    assert result.returncode == 2 and "cell longer than" in text(result) and "Traceback" not in text(result)


def test_import_into_a_read_only_folder_is_one_line_and_writes_nothing(path, tmp_path):
    upload = new_figure_file(path, tmp_path)
    before = {p.name: p.read_bytes() for p in path.parent.iterdir() if p.is_file()}
    with read_only_folder(path.parent):
        result = membership("import", upload, "--party", "labour", "--source", INVENTED_SOURCE, "--data", path)
    assert result.returncode == 1 and "Traceback" not in text(result)
    errors = [line for line in result.stderr.decode().splitlines() if line.strip()]
    assert len(errors) == 1 and "nothing was written" in errors[0]
    assert {p.name: p.read_bytes() for p in path.parent.iterdir() if p.is_file()} == before


def test_export_into_a_read_only_folder_is_one_line(path, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with read_only_folder(out):
        result = membership("export", "--out", out / "chart.svg", "--format", "svg", "--data", path)
    assert result.returncode == 1 and "Traceback" not in text(result)
