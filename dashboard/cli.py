"""`membership` on the command line: each subcommand only translates flags into core calls.

Commands live in small modules, each with `register(subparsers)`; this file only gathers them.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import cli_export, cli_updates
from .config import DEFAULT_HOST, DEFAULT_PORT, Settings
from .dataset import inspect
from .problems import Problem

EXIT_OK = 0
EXIT_PROBLEMS = 2


def print_problems(problems: list[Problem], stream=sys.stderr) -> None:
    for problem in problems:
        print(str(problem), file=stream)
    print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found.", file=stream)


def add_data_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=None,
                        help="membership data file, .csv or .xlsx (default: data/membership.csv)")


def cmd_check(args: argparse.Namespace) -> int:
    settings = Settings.from_env(data_path=args.data)
    dataset, problems = inspect(settings.data_path)
    if problems:
        print_problems(problems)
        return EXIT_PROBLEMS
    n_parties = dataset.figures["party"].nunique()
    first, last = dataset.year_bounds()
    print(f"{settings.data_path}: OK, {len(dataset.figures)} figures for {n_parties} parties, {first}-{last}.")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    settings = Settings.from_env(data_path=args.data, host=args.host, port=args.port)
    dataset, problems = inspect(settings.data_path)
    if problems:
        print_problems(problems)
        return EXIT_PROBLEMS
    from .app import create_app  # Dash is imported only by the commands that serve

    app = create_app(settings)
    print(f"Serving {settings.data_path} on http://{settings.host}:{settings.port}/ (Ctrl+C to stop)", flush=True)
    app.run(host=settings.host, port=settings.port, debug=False)
    return EXIT_OK


def register(subparsers) -> None:
    serve = subparsers.add_parser("serve", help="run the dashboard")
    serve.add_argument("--host", default=None, help=f"address to listen on (default {DEFAULT_HOST})")
    serve.add_argument("--port", type=int, default=None, help=f"port (default {DEFAULT_PORT})")
    add_data_flag(serve)
    serve.set_defaults(func=cmd_serve)

    check = subparsers.add_parser("check", help="validate the data files and list every problem")
    add_data_flag(check)
    check.set_defaults(func=cmd_check)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="membership", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module_register in COMMAND_MODULES:
        module_register(subparsers)
    return parser


COMMAND_MODULES = [register, cli_export.register, cli_updates.register]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
