"""The writer's marks on the command line: `--mark` and `--highlight` give the view the page's link
gives, the image URL names it, and a flag that cannot be read is an error naming it (nothing written)."""
from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from dashboard.cli.export import add_view_flags, view_from_flags
from dashboard.cli.main import main
from dashboard.core.dataset import load_dataset
from dashboard.core.marks import MAX_MARKS
from dashboard.core.view import View, view_from_link
from dashboard.export.image import make_spec
from dashboard.export.image_url import image_query, image_request

LINK = ("parties=labour,reform&start=2015&mark=2015-09-12@labour:Corbyn%20elected"
        "&mark=2024-07-04:Election&highlight=2015-09-12:2020-04-04:Corbyn%20years")
FLAGS = ["--parties", "labour,reform", "--start", "2015", "--mark", "2015-09-12@labour:Corbyn elected",
         "--mark", "2024-07-04:Election", "--highlight", "2015-09-12:2020-04-04:Corbyn years"]


def view_of(argv: list[str]) -> View:
    parser = argparse.ArgumentParser()
    add_view_flags(parser)
    return view_from_flags(parser.parse_args(argv), load_dataset())


def test_marks_round_trip_through_the_link_the_cli_flags_and_the_image_url():
    dataset = load_dataset()
    from_link, notices = view_from_link(LINK, dataset)
    assert notices == [] and len(from_link.marks) == 2 and len(from_link.highlights) == 1
    assert view_of(FLAGS) == from_link
    assert view_of(["--view", f"https://charts.example/?{LINK}"]) == from_link
    # flags add to a link's marks
    more = view_of(["--view", LINK, "--mark", "2020-04-04:Starmer"])
    assert [m.text for m in more.marks] == ["Corbyn elected", "Election", "Starmer"]
    for fmt in ("png", "svg"):
        spec = make_spec(format=fmt)
        query = image_query(from_link, spec)
        assert "mark=2015-09-12@labour:Corbyn+elected" in query
        asked = image_request(query, fmt, dataset)
        assert asked.view == from_link and asked.key == query


def test_a_bad_mark_in_an_image_url_is_refused_with_what_is_wrong():
    dataset = load_dataset()
    with pytest.raises(Exception, match="is not a day of the calendar") as error:
        image_request("parties=labour&mark=2015-02-30:Nope", "png", dataset)
    assert type(error.value).__name__ == "SpecError"


@pytest.mark.parametrize("flags, words", [
    (["--mark", "2015-13-01:Nope"], "--mark '2015-13-01:Nope': the note's date '2015-13-01' is not a day of the calendar"),
    (["--mark", "Corbyn elected"], "--mark 'Corbyn elected': the note 'Corbyn elected' has no ':'"),
    (["--mark", "2015-09-12@whigs:Nope"], "--mark '2015-09-12@whigs:Nope': unknown party 'whigs'"),
    (["--mark", "2015-09-12:" + "x" * 121], "at most 120"),
    (["--mark", "2015-09-12:\u202eevil"], "control character U+202E"),
    (["--highlight", "2015-09-12:Corbyn years"], "--highlight '2015-09-12:Corbyn years': the highlight's end"),
    (sum((["--mark", f"2015-01-{d:02d}:n"] for d in range(1, MAX_MARKS + 2)), []), f"--mark: at most {MAX_MARKS}"),
])
def test_a_mark_flag_that_cannot_be_read_is_an_error_naming_it_and_nothing_is_written(tmp_path: Path, capsys,
                                                                                       flags, words):
    assert main(["export", "--out", str(tmp_path / "x.png"), *flags]) == 2
    assert words in capsys.readouterr().err
    assert main(["build-site", str(tmp_path / "site"), *flags]) == 2
    assert words in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


@pytest.mark.kaleido
def test_an_svg_export_carries_the_notes_and_the_period_and_the_alt_text_lists_them(tmp_path: Path):
    out = tmp_path / "marked.svg"
    assert main(["export", "--out", str(out), *FLAGS, "--end", "2025"]) == 0
    svg = out.read_text()
    text = re.sub(r"\s+", " ", " ".join(re.findall(r">([^<>]+)<", svg)))
    assert "Corbyn elected" in text and "Election" in text and "Corbyn years" in text
    alt = (tmp_path / "marked.txt").read_text()
    assert "Notes on the chart: 12 Sep 2015 on Labour's line, “Corbyn elected”; 4 Jul 2024, “Election”." in alt
    assert "Highlighted period: 12 Sep 2015 to 4 Apr 2020, “Corbyn years”." in alt


@pytest.mark.kaleido
def test_build_site_draws_the_marks_in_its_page_and_images(tmp_path: Path, capsys):
    site = tmp_path / "site"
    assert main(["build-site", str(site), *FLAGS, "--end", "2025"]) == 0
    page = (site / "index.html").read_text()
    assert "Corbyn elected" in page and "Corbyn years" in page
    svg = next(site.glob("*.svg")).read_text()
    assert "Corbyn elected" in svg and "Corbyn years" in svg
