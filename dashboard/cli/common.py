"""What every `membership` command shares: exit codes, the --data flag, printing problems and
loading the data. The command modules import this; nothing here imports them."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from dashboard.config import Settings, SettingsError
from dashboard.core.dataset import Dataset, inspect
from dashboard.core.problems import Problem

EXIT_OK = 0
EXIT_REFUSED = 1  # refused or could not be done (data changed meanwhile, nothing to undo, no browser)
EXIT_PROBLEMS = 2  # bad input: nothing written
EXIT_NEEDS_OVERWRITE = 3  # would change figures already in the data without --overwrite


def print_problems(problems: list[Problem], stream: TextIO | None = None) -> None:
    stream = stream or sys.stderr
    for problem in problems:
        print(str(problem), file=stream)
    print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found.", file=stream)


def fail(messages: list[str], code: int) -> int:
    """Print each message as `membership: ...` on stderr and return the exit code."""
    for message in messages:
        print(f"membership: {message}", file=sys.stderr)
    return code


def add_data_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=None,
                        help="membership data file, .csv or .xlsx (default: $MEMBERSHIP_DATA, "
                             "else the data bundled with the package)")


def folder_line(settings: Settings) -> str:
    """Which data folder is in use, and, before an installed copy's first change, where its data comes from."""
    if settings.seed_dir is not None and not settings.data_path.exists():
        return (f"Data folder: {settings.data_folder} (not created yet: the bundled data in {settings.seed_dir} is "
                "read until the first change copies it there)")
    return f"Data folder: {settings.data_folder}"


def seeded_line(settings: Settings, seeded_from: Path | None) -> str | None:
    """What a first change did besides itself: the bundled data copied into the user's folder."""
    if seeded_from is None:
        return None
    return (f"Your data is now kept in {settings.data_folder}: this first change copied the bundled data there "
            "(with its history), and it is read from there from now on.")


def load_or_report(data_path: Path) -> Dataset | None:
    """The dataset, or None after printing every problem."""
    dataset, problems = inspect(data_path)
    if problems:
        print_problems(problems)
    return dataset


__all__ = ["EXIT_NEEDS_OVERWRITE", "EXIT_OK", "EXIT_PROBLEMS", "EXIT_REFUSED", "SettingsError", "add_data_flag",
           "fail", "folder_line", "load_or_report", "print_problems", "seeded_line"]
