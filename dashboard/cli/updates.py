"""`membership import | remove-party | derive-precision | history | undo | redo`: one preview-then-apply path, as the page.

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
    seeded_line,
)
from dashboard.config import Settings
from dashboard.core.dataset import Dataset, inspect
from dashboard.updates import preview_apply
from dashboard.updates.cells import accepted_bases, known_parties, party_lookup, read_basis, resolve_party
from dashboard.updates.changes import render_text
from dashboard.updates.derived import SOURCE as DERIVED_SOURCE
from dashboard.updates.ingest import Defaults
from dashboard.updates.preview_apply import Proposal
from dashboard.updates.store import Refused, Store
from dashboard.updates.wording import describe_entry


def store_for(settings: Settings) -> Store:
    return settings.store()


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


def open_data(args: argparse.Namespace) -> tuple[Settings, Dataset | None]:
    """The settings of `--data` and the data they read, or None after printing why it cannot be read."""
    settings = Settings.from_env(data_path=args.data)
    dataset, problems = inspect(settings.read_path)
    if dataset is None:
        print_problems(problems)
    return settings, dataset


def cmd_import(args: argparse.Namespace) -> int:
    settings, dataset = open_data(args)
    if dataset is None:
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
    defaults = Defaults(party=args.party.lower() if args.party else None, source=args.source or "",
                        url=args.url or "", note=args.note or "", basis=basis, add_parties=args.add_parties)
    proposal = Proposal(args.file.name, data=data, defaults=defaults, sheet=args.sheet)
    return preview_then_apply(settings, dataset, proposal, args.overwrite, args.dry_run)


def cmd_remove_party(args: argparse.Namespace) -> int:
    settings, dataset = open_data(args)
    if dataset is None:
        return EXIT_PROBLEMS
    slug = resolve_party(args.party, party_lookup(dataset.parties))
    if slug is None:
        print(f"unknown party '{args.party}' (known: {known_parties(dataset.parties)})", file=sys.stderr)
        return EXIT_PROBLEMS
    proposal = Proposal(f"remove-party {slug}", remove_party=slug)
    return preview_then_apply(settings, dataset, proposal, overwrite=False, dry_run=args.dry_run)


def cmd_derive_precision(args: argparse.Namespace) -> int:
    settings, dataset = open_data(args)
    if dataset is None:
        return EXIT_PROBLEMS
    return preview_then_apply(settings, dataset, Proposal(DERIVED_SOURCE, derive_precision=True), args.overwrite,
                              args.dry_run)


def preview_then_apply(settings: Settings, dataset: Dataset, proposal: Proposal, overwrite: bool, dry_run: bool) -> int:
    """Print the preview, then apply it unless something stops it; the exit code says how it ended."""
    result = preview_apply.preview(dataset, proposal, max_bytes=settings.max_upload_bytes)
    print(render_text(result))
    decided = preview_apply.verdict(result, overwrite)
    if decided == "problems":
        print("Nothing was written: fix the problems above and try again.", file=sys.stderr)
        return EXIT_PROBLEMS
    if decided == "nothing":
        print("Nothing to change: everything in it is already in the data.")
        return EXIT_OK
    if decided == "needs_overwrite":
        print(f"Nothing was written: {result.overwritten_words()} would change. "
              "Check them above, then run again with --overwrite.", file=sys.stderr)
        return EXIT_NEEDS_OVERWRITE
    if dry_run:
        print("Dry run: nothing was written.")
        return EXIT_OK
    store = store_for(settings)
    outcome = preview_apply.apply(store, result, overwrite=overwrite, who=cli_user())
    if outcome.status in ("problems", "needs_overwrite", "refused"):
        print(outcome.message if outcome.status != "refused" else f"Refused: {outcome.message}", file=sys.stderr)
        if outcome.problems:
            print_problems(list(outcome.problems))
        return {"problems": EXIT_PROBLEMS, "needs_overwrite": EXIT_NEEDS_OVERWRITE}.get(outcome.status, EXIT_REFUSED)
    if outcome.entry is None:
        print("Nothing to change: everything in it is already in the data.")
        return EXIT_OK
    if (seeded := seeded_line(settings, store.seeded_from)) is not None:
        print(seeded)
    print(f"Applied as change #{outcome.entry.id} to {settings.data_folder}. Undo it with: membership undo")
    return EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    settings = Settings.from_env(data_path=args.data)
    store = store_for(settings)
    entries = store.entries()
    damaged = store.history_problems()
    if damaged:
        print_problems(damaged)
    if not entries:
        print(f"No changes recorded for {settings.data_folder}.")
        return EXIT_OK
    for entry in reversed(entries[-args.limit:]):
        print(describe_entry(entry))
    latest = entries[-1]
    edited = [store.file_path(table).name for table, (_, after) in latest.versions.items()
              if store.current_version(table) not in (None, after)]
    if edited:
        print(f"Note: {', '.join(edited)} {'has' if len(edited) == 1 else 'have'} been edited outside this tool "
              f"since change #{latest.id}.")
    target = store.undoable(entries)
    print(f"`membership undo` would undo #{target.id}." if target else "Nothing left to undo.")
    redo = store.redoable(entries)
    if redo:
        print(f"`membership redo` would redo #{redo.undoes}.")
    return EXIT_OK


def _undo_or_redo(args: argparse.Namespace, action: str) -> int:
    settings = Settings.from_env(data_path=args.data)
    if not settings.read_path.is_file():
        print(f"{settings.read_path}: file not found", file=sys.stderr)
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
        print(f"Undid change #{entry.undoes}; {settings.data_folder} is back to how it was before it.")
    else:
        print(f"Redid change #{entry.source.rsplit('#', 1)[-1]}; {settings.data_folder} is as it was after it.")
    if (seeded := seeded_line(settings, store.seeded_from)) is not None:
        print(seeded)
    print(describe_entry(entry))
    return EXIT_OK


def cmd_undo(args: argparse.Namespace) -> int:
    return _undo_or_redo(args, "undo")


def cmd_redo(args: argparse.Namespace) -> int:
    return _undo_or_redo(args, "redo")


def register(subparsers) -> None:
    imp = subparsers.add_parser("import", help="preview and apply a CSV or .xlsx file of figures, parties, events "
                                               "or related figures")
    imp.add_argument("file", type=Path, help="the file to import (.csv or .xlsx; the kind is read from its columns, "
                                             "an .xlsx may hold sheets named membership, parties, events, related)")
    imp.add_argument("--party", help="party slug for a two-column (year, members) file, e.g. labour")
    imp.add_argument("--sheet", help="the sheet to read from an .xlsx with several")
    imp.add_argument("--source", help="source for rows that have none")
    imp.add_argument("--url", help="url for rows that have none")
    imp.add_argument("--note", help="note for rows that have none")
    imp.add_argument("--basis", help=f"basis for rows that have none: {accepted_bases()}")
    imp.add_argument("--dry-run", action="store_true", help="show the preview, write nothing")
    imp.add_argument("--overwrite", action="store_true", help="allow changing figures (or rows) already in the data")
    imp.add_argument("--add-parties", action="store_true",
                     help="add the parties the figures name but the data does not know, with the figures, as one change")
    add_data_flag(imp)
    imp.set_defaults(func=cmd_import)

    remove = subparsers.add_parser("remove-party", help="remove a party that has no figures (preview, then apply)")
    remove.add_argument("party", help="the party's slug or name")
    remove.add_argument("--dry-run", action="store_true", help="show the preview, write nothing")
    add_data_flag(remove)
    remove.set_defaults(func=cmd_remove_party)

    derive = subparsers.add_parser("derive-precision", help="give each figure the bound ('below', 'above', 'about') "
                                   "and date precision its note's words say, as one change (preview, then apply); "
                                   "figures that have them already are left as they are")
    derive.add_argument("--dry-run", action="store_true", help="show the preview, write nothing")
    derive.add_argument("--overwrite", action="store_true", help="apply it (it changes figures already in the data)")
    add_data_flag(derive)
    derive.set_defaults(func=cmd_derive_precision)

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
