"""`membership import | history | undo | redo`: the same ingest -> diff -> store path as the page's panel.

Exit codes: 0 applied (or a clean dry run, or nothing to change), 1 refused (data changed
meanwhile, busy, nothing to undo or redo, the folder cannot be written), 2 input problems,
3 would change existing figures without --overwrite. In every non-zero case nothing was written.
"""
from __future__ import annotations

import argparse
import getpass
import socket
import sys
from pathlib import Path

from dashboard.cli.common import (
    EXIT_NEEDS_OVERWRITE,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_REFUSED,
    add_data_flag,
    print_problems,
)
from dashboard.config import Settings
from dashboard.core.dataset import file_version, inspect
from dashboard.updates import preview_apply
from dashboard.updates.cells import accepted_bases, known_parties, read_basis
from dashboard.updates.changes import render_text
from dashboard.updates.ingest import Defaults
from dashboard.updates.preview_apply import Proposal
from dashboard.updates.store import Refused, Store, describe_entry


def store_for(settings: Settings) -> Store:
    return Store(settings.data_path, keep=settings.history_keep)


def cli_user() -> str:
    """Who made a change from the command line, for the history."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "unknown"
    return f"{user}@{socket.gethostname()} (command line)"


def read_limited(path: Path, limit: int) -> bytes:
    """At most limit + 1 bytes: enough to tell the file is too big without reading all of it."""
    with open(path, "rb") as handle:
        return handle.read(limit + 1)


def cmd_import(args: argparse.Namespace) -> int:
    settings = Settings.from_env(data_path=args.data)
    dataset, problems = inspect(settings.data_path)
    if dataset is None:
        print_problems(problems)
        return EXIT_PROBLEMS
    if args.party is not None and args.party.lower() not in dataset.parties:
        print(f"--party: unknown party '{args.party}' (known: {known_parties(dataset.parties)})", file=sys.stderr)
        return EXIT_PROBLEMS
    try:
        data = read_limited(args.file, settings.max_upload_bytes)
    except FileNotFoundError:
        print(f"{args.file}: file not found", file=sys.stderr)
        return EXIT_PROBLEMS
    except IsADirectoryError:
        print(f"{args.file}: is a directory, not a file", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as exc:
        print(f"{args.file}: cannot be read ({exc.strerror or exc})", file=sys.stderr)
        return EXIT_PROBLEMS
    basis, error = read_basis(args.basis or "")
    if error:
        print(f"--basis: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    defaults = Defaults(party=args.party.lower() if args.party else None,
                        source=args.source or "", url=args.url or "", note=args.note or "", basis=basis)
    proposal = Proposal(args.file.name, data=data, defaults=defaults, sheet=args.sheet)
    result = preview_apply.preview(dataset, proposal, max_bytes=settings.max_upload_bytes)
    print(render_text(result))
    decided = preview_apply.verdict(result, args.overwrite)
    if decided == "problems":
        print("Nothing was written: fix the problems above and import again.", file=sys.stderr)
        return EXIT_PROBLEMS
    if decided == "nothing":
        print("Nothing to change: every figure is already in the data.")
        return EXIT_OK
    if decided == "needs_overwrite":
        print(f"Nothing was written: {len(result.changed)} existing figure(s) would change. "
              "Check them above, then run again with --overwrite.", file=sys.stderr)
        return EXIT_NEEDS_OVERWRITE
    if args.dry_run:
        print("Dry run: nothing was written.")
        return EXIT_OK
    outcome = preview_apply.apply(store_for(settings), result, overwrite=args.overwrite, who=cli_user())
    if outcome.status == "problems":
        print(outcome.message, file=sys.stderr)
        print_problems(list(outcome.problems))
        return EXIT_PROBLEMS
    if outcome.status == "needs_overwrite":
        print(outcome.message, file=sys.stderr)
        return EXIT_NEEDS_OVERWRITE
    if outcome.status == "refused":
        print(f"Refused: {outcome.message}", file=sys.stderr)
        return EXIT_REFUSED
    if outcome.entry is None:
        print("Nothing to change: every figure in the file is already in the data.")
        return EXIT_OK
    print(f"Applied as change #{outcome.entry.id} to {settings.data_path}. Undo it with: membership undo")
    return EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    settings = Settings.from_env(data_path=args.data)
    store = store_for(settings)
    entries = store.entries()
    damaged = store.history_problems()
    if damaged:
        print_problems(damaged)
    if not entries:
        print(f"No changes recorded for {settings.data_path}.")
        return EXIT_OK
    for entry in reversed(entries[-args.limit:]):
        print(describe_entry(entry))
    latest = entries[-1]
    if settings.data_path.exists() and file_version(settings.data_path.read_bytes()) != latest.after:
        print(f"Note: {settings.data_path.name} has been edited outside this tool since change #{latest.id}.")
    target = store.undoable(entries)
    print(f"`membership undo` would undo #{target.id}." if target else "Nothing left to undo.")
    redo = store.redoable(entries)
    if redo:
        print(f"`membership redo` would redo #{redo.undoes}.")
    return EXIT_OK


def _undo_or_redo(args: argparse.Namespace, action: str) -> int:
    settings = Settings.from_env(data_path=args.data)
    if not settings.data_path.is_file():
        print(f"{settings.data_path}: file not found", file=sys.stderr)
        return EXIT_REFUSED
    store = store_for(settings)
    try:
        if action == "undo":
            entry = store.undo(who=cli_user(), expected=args.change)
        else:
            entry = store.redo(who=cli_user(), expected=args.change)
    except Refused as exc:
        print(f"Refused: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    if action == "undo":
        print(f"Undid change #{entry.undoes}; {settings.data_path} is back to how it was before it.")
    else:
        print(f"Redid change #{entry.source.rsplit('#', 1)[-1]}; {settings.data_path} is as it was after it.")
    print(describe_entry(entry))
    return EXIT_OK


def cmd_undo(args: argparse.Namespace) -> int:
    return _undo_or_redo(args, "undo")


def cmd_redo(args: argparse.Namespace) -> int:
    return _undo_or_redo(args, "redo")


def register(subparsers) -> None:
    imp = subparsers.add_parser("import", help="preview and apply figures from a CSV or .xlsx file")
    imp.add_argument("file", type=Path, help="the file to import (.csv or .xlsx)")
    imp.add_argument("--party", help="party slug for a two-column (year, members) file, e.g. labour")
    imp.add_argument("--sheet", help="the sheet to read from an .xlsx with several")
    imp.add_argument("--source", help="source for rows that have none")
    imp.add_argument("--url", help="url for rows that have none")
    imp.add_argument("--note", help="note for rows that have none")
    imp.add_argument("--basis", help=f"basis for rows that have none: {accepted_bases()}")
    imp.add_argument("--dry-run", action="store_true", help="show the preview, write nothing")
    imp.add_argument("--overwrite", action="store_true", help="allow changing figures already in the data")
    add_data_flag(imp)
    imp.set_defaults(func=cmd_import)

    history = subparsers.add_parser("history", help="list the recorded changes, newest first")
    history.add_argument("--limit", type=int, default=20, help="how many changes to list (default 20)")
    add_data_flag(history)
    history.set_defaults(func=cmd_history)

    undo = subparsers.add_parser("undo", help="restore the data as it was before the latest change")
    undo.add_argument("--change", type=int, default=None, metavar="N",
                      help="refuse unless the latest change is #N (what `membership history` showed you)")
    add_data_flag(undo)
    undo.set_defaults(func=cmd_undo)

    redo = subparsers.add_parser("redo", help="put back exactly what the latest undo took away")
    redo.add_argument("--change", type=int, default=None, metavar="N",
                      help="refuse unless the latest undo is #N")
    add_data_flag(redo)
    redo.set_defaults(func=cmd_redo)
