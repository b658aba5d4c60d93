"""`membership export` and `membership build-site` on the command line."""
from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from helpers import HANG_SECONDS
from PIL import Image

from dashboard.cli.export import add_view_flags, view_from_flags
from dashboard.cli.main import main
from dashboard.core.dataset import load_dataset
from dashboard.core.view import View, resolve, view_from_link
from dashboard.export.image import export_image, make_spec

ROOT = Path(__file__).resolve().parents[2]
needs_browser = pytest.mark.kaleido


@needs_browser
def test_export_writes_png_of_the_asked_size_and_alt_text_beside(tmp_path, capsys):
    out = tmp_path / "chart.png"
    assert main(["export", "--out", str(out), "--width", "800", "--height", "450", "--scale", "2"]) == 0
    assert Image.open(io.BytesIO(out.read_bytes())).size == (1600, 900)
    alt = (tmp_path / "chart.txt").read_text()
    assert alt.startswith("Line chart: Labour membership")
    assert "1600×900 PNG" in capsys.readouterr().out


@needs_browser
def test_cli_file_is_the_core_export_of_the_same_view(tmp_path):
    out = tmp_path / "lr.svg"
    argv = ["export", "--out", str(out), "--parties", "labour,reform", "--start", "2015", "--end", "2024",
            "--title", "Labour and Reform", "--no-events", "--credit", "Chart: test"]
    assert main(argv) == 0
    dataset = load_dataset()
    view = resolve(View(parties=("labour", "reform"), start=2015, end=2024, title="Labour and Reform",
                        elections=False, leaders=False), dataset)
    assert out.read_bytes() == export_image(dataset, view, make_spec(1200, 675, 2, "svg"), "Chart: test")


def test_bad_size_and_unknown_party_are_messages(tmp_path, capsys):
    assert main(["export", "--out", str(tmp_path / "x.png"), "--width", "50", "--scale", "5"]) == 2
    err = capsys.readouterr().err
    assert "width must be between 200 and 4000 pixels, not 50" in err and "scale must be between 1 and 4" in err
    assert main(["export", "--out", str(tmp_path / "x.gif")]) == 2
    assert "--out must end in .png or .svg" in capsys.readouterr().err
    assert main(["export", "--out", str(tmp_path / "x.png"), "--parties", "labour,whigs"]) == 2
    assert "unknown party 'whigs'" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def view_of(argv: list[str]) -> View:
    parser = argparse.ArgumentParser()
    add_view_flags(parser)
    return view_from_flags(parser.parse_args(argv), load_dataset())


def test_measure_flags_give_the_view_the_page_link_gives():
    dataset = load_dataset()
    query = "parties=labour,snp&start=2000&measure=index&base=2010&bases=accounts,party_report"
    from_link = view_from_link(query, dataset)[0]
    assert view_of(["--view", f"https://charts.example/?{query}"]) == from_link
    assert view_of(["--parties", "labour,snp", "--start", "2000", "--measure", "index", "--base-year", "2010",
                    "--bases", "accounts,party_report"]) == from_link
    # a flag changes the linked view; a link's query string alone is enough
    assert view_of(["--view", query, "--measure", "change"]).measure == "change"
    assert view_of(["--log-scale"]).log_scale


def test_a_link_or_flag_the_data_cannot_show_is_an_error_naming_it(tmp_path, capsys):
    out = tmp_path / "x.png"
    assert main(["export", "--out", str(out), "--view", "https://charts.example/?parties=labour,foo&start=1800"]) == 2
    err = capsys.readouterr().err
    assert "--view: Unknown party 'foo'" in err and "--view: There are no figures before" in err
    assert main(["export", "--out", str(out), "--bases", "hearsay"]) == 2
    assert "unknown basis 'hearsay'" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


@needs_browser
def test_a_page_link_exports_the_chart_it_shows(tmp_path):
    out = tmp_path / "change.png"
    query = "parties=labour,reform&measure=change-percent&start=2000"
    assert main(["export", "--out", str(out), "--view", f"http://127.0.0.1:8050/?{query}", "--scale", "1"]) == 0
    dataset = load_dataset()
    expected = export_image(dataset, view_from_link(query, dataset)[0], make_spec(1200, 675, 1, "png"))
    # compared as pixels: a hatched bar's SVG pattern gets a random id in each drawing
    with Image.open(out) as got, Image.open(io.BytesIO(expected)) as want:
        assert got.tobytes() == want.tobytes()
    assert (tmp_path / "change.txt").read_text().startswith("Bar chart: Change in party membership")


@pytest.mark.process
def test_missing_browser_is_the_install_hint_not_a_traceback(tmp_path):
    env = {**os.environ, "BROWSER_PATH": str(tmp_path / "no-such-chromium"), "PATH": str(tmp_path),
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "dashboard.cli.main", "export", "--out", str(tmp_path / "x.png")],
                          env=env, capture_output=True, text=True, timeout=HANG_SECONDS, cwd=ROOT)
    assert done.returncode == 1
    assert "apt-get install chromium" in done.stderr and "BROWSER_PATH" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "x.png").exists()


@needs_browser
def test_build_site_writes_the_page_and_says_how_to_embed(tmp_path, capsys):
    out = tmp_path / "site"
    assert main(["build-site", str(out), "--width", "600", "--height", "400", "--scale", "1"]) == 0
    assert (out / "index.html").exists() and (out / "labour-membership-1989-2025.png").exists()
    assert "embed.html" in capsys.readouterr().out


@pytest.mark.kaleido
@pytest.mark.process
def test_export_prints_no_traceback_and_leaves_nothing_in_the_temporary_folder(tmp_path: Path):
    # A short TMPDIR of its own: Chromium puts a Unix socket there, and pytest's tmp_path is too long for one.
    with tempfile.TemporaryDirectory(prefix="mx") as scratch:
        env = {**os.environ, "TMPDIR": scratch}
        for run in range(3):  # the clean-up race showed in most runs, not all
            out = tmp_path / f"chart{run}.png"
            done = subprocess.run([sys.executable, "-m", "dashboard.cli.main", "export", "--out", str(out)],
                                  env=env, capture_output=True, text=True, timeout=HANG_SECONDS, cwd=tmp_path)
            assert done.returncode == 0, done.stderr
            assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
            assert out.stat().st_size > 0
        assert list(Path(scratch).iterdir()) == []
