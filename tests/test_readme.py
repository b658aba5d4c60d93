"""The README's reference tables say what the code does: its environment variables are config.ENVIRONMENT
(and every variable the app reads), its command synopses are the argparse parser's commands and flags, and
the benchmarks' time estimate is the one bench/run_all.py states. Each drifted before it was checked."""
from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from bench import run_all
from dashboard.cli.main import build_parser
from dashboard.config import ENVIRONMENT

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
# Read by others than the app, listed in the same table: Kaleido (and the tests) and the test suite.
NOT_THE_APPS = {"BROWSER_PATH": "dashboard/export/warm_browser.py", "CI": "tests/conftest.py",
                "UPDATE_DOCS_SCREENSHOTS": "tests/helpers.py"}


def section(text: str, heading: str) -> str:
    """The text under a markdown heading, up to the next heading of any level."""
    start = text.index(heading + "\n") + len(heading) + 1
    end = re.search(r"^#{1,6} ", text[start:], re.M)
    return text[start:start + end.start()] if end else text[start:]


def table(text: str) -> dict[str, str]:
    """{first cell: second cell} of the markdown table rows in `text`, backticks removed."""
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 2 and not set(cells[0]) <= set("-: "):
            rows[cells[0].replace("`", "")] = cells[1].replace("`", "")
    rows.pop("variable", None)  # the heading row
    return rows


# ---------------------------------------------------------------- environment variables

def env_table() -> dict[str, str]:
    return table(section(README, "### Environment variables"))


def test_the_readme_lists_every_variable_of_config_environment_with_its_meaning():
    listed = {name: meaning for name, meaning in env_table().items() if name not in NOT_THE_APPS}
    assert listed == ENVIRONMENT


def test_every_variable_the_app_names_is_in_config_environment():
    """A MEMBERSHIP_ variable read (or named in a message) anywhere in dashboard/ is one the README lists."""
    named = {name for path in (ROOT / "dashboard").rglob("*.py")
             for name in re.findall(r"\bMEMBERSHIP_[A-Z_]+\b", path.read_text(encoding="utf-8"))}
    assert named == set(ENVIRONMENT)


def test_membership_help_lists_the_environment(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    shown = capsys.readouterr().out
    assert all(f"{name}  " in shown and meaning in " ".join(shown.split()) for name, meaning in ENVIRONMENT.items())


@pytest.mark.parametrize("name, reader", NOT_THE_APPS.items())
def test_the_other_variables_in_the_table_are_read_where_it_says(name, reader):
    assert name in env_table()
    assert re.search(rf"environ(\.get)?[\[(]\s*\"{name}\"", (ROOT / reader).read_text(encoding="utf-8")), reader


# ---------------------------------------------------------------- command-line synopses

def synopses() -> dict[str, str]:
    """{command: its synopsis} from the README's shell blocks: lines `membership COMMAND ...`, continued
    by an indented line (after a trailing backslash or not), comments dropped."""
    found: dict[str, str] = {}
    for block in re.findall(r"```sh\n(.*?)```", README, re.S):
        command = None
        for line in block.splitlines():
            text = line.split("  #")[0].rstrip().removesuffix("\\").strip()
            if line.startswith("membership "):
                command = line.split()[1]
                assert command not in found, f"two synopses of `membership {command}`"
                found[command] = text
            elif command and line.startswith((" ", "\t")):
                found[command] += " " + text
            else:
                command = None
    return found


def commands() -> dict[str, argparse.ArgumentParser]:
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {s: a for a in parser._actions for s in a.option_strings if s.startswith("--") and s != "--help"}


def flags(line: str) -> set[str]:
    return set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", line))


def outside_brackets(line: str) -> str:
    while re.search(r"\[[^\[\]]*\]", line):
        line = re.sub(r"\[[^\[\]]*\]", "", line)
    return line


def export_only() -> set[str]:
    """The flags of `export` that are not view flags (`build-site` takes the view flags, "same view flags")."""
    parsers = commands()
    return set(options(parsers["export"])) - set(options(parsers["build-site"]))


def shown_flags(command: str) -> set[str]:
    line = synopses()[command]
    shown = flags(line)
    if "[same view flags]" in line:
        shown |= flags(synopses()["export"]) - export_only()
    return shown


def test_every_command_has_a_synopsis_in_the_readme():
    assert sorted(synopses()) == sorted(commands())


@pytest.mark.parametrize("command", sorted(commands()))
def test_a_synopsis_shows_every_flag_of_its_command_and_no_other(command):
    assert shown_flags(command) == set(options(commands()[command]))


@pytest.mark.parametrize("command", sorted(commands()))
def test_a_synopsis_shows_the_arguments_and_required_flags_outside_brackets(command):
    parser = commands()[command]
    bare = outside_brackets(synopses()[command])
    positionals = [a.metavar or a.dest.upper() for a in parser._actions if not a.option_strings]
    assert re.findall(r"\b[A-Z][A-Z_]+\b", bare) == positionals
    required = {s for s, a in options(parser).items() if a.required}
    assert flags(bare) == required


@pytest.mark.parametrize("command", sorted(commands()))
def test_choices_shown_as_a_list_are_the_flags_choices(command):
    """`--measure members|change|...` lists what argparse accepts: no more, no fewer."""
    listed = dict(re.findall(r"(--[a-z-]+) ([a-z-]+(?:\|[a-z-]+)+)", synopses()[command]))
    for flag, choices in listed.items():
        assert set(choices.split("|")) == set(options(commands()[command])[flag].choices), flag
    with_choices = {s for s, a in options(commands()[command]).items() if a.choices}
    assert with_choices <= set(listed) | (with_choices - flags(synopses()[command])), with_choices - set(listed)


def test_the_synopsis_reader_sees_a_missing_flag_and_a_missing_choice():
    """The checks above can fail: a synopsis written without a flag or a choice is told apart."""
    line = "membership history [--data PATH]"
    assert flags(line) != set(options(commands()["history"]))  # --limit is not shown
    assert dict(re.findall(r"(--[a-z-]+) ([a-z-]+(?:\|[a-z-]+)+)", "--preset blog|square|wide")) == {
        "--preset": "blog|square|wide"}
    assert set(options(commands()["export"])["--preset"].choices) != {"blog", "square", "wide"}


# ---------------------------------------------------------------- the benchmarks' time estimate

def test_the_readme_gives_the_benchmarks_time_as_bench_run_all_estimates_it():
    said = re.findall(r"about (\d+) minutes\) and rewrites", README)
    assert said == [str(run_all.ESTIMATED_MINUTES)]
    bench_block = re.search(r"^  bench\)\n(.*?)\n    ;;", (ROOT / "manage.sh").read_text(encoding="utf-8"), re.M | re.S)
    assert bench_block and "minutes" not in bench_block.group(1)  # one place: run_all.py prints it


def test_the_estimate_is_near_the_last_full_run_recorded():
    summary = section((ROOT / "bench" / "RESULTS.md").read_text(encoding="utf-8"), run_all.SUMMARY)
    took = re.search(r"^Run .*? in ([\d.]+) min", summary, re.M)
    assert took and "(only" not in took.group(0), "no full run recorded in bench/RESULTS.md"
    minutes = float(took.group(1))
    assert minutes / 2 <= run_all.ESTIMATED_MINUTES <= minutes * 2, (minutes, run_all.ESTIMATED_MINUTES)
