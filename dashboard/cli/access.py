"""`membership sign-in-code | sign-out-all`: the server's console answers a lock-out and ends every
editor's session, through the store all server processes share (updates/sessions.py)."""
from __future__ import annotations

import argparse
import sqlite3
import time

from dashboard.cli.common import EXIT_OK, EXIT_REFUSED, add_data_flag, fail
from dashboard.config import Settings
from dashboard.updates.sessions import CODE_MINUTES, NoPrivateFolder, SessionStore, state_folder


def clock() -> float:
    """Wall-clock time, as the server processes read it (tests replace it)."""
    return time.time()


def _store(args: argparse.Namespace) -> SessionStore | str:
    """The store the server processes share, or why it cannot be opened."""
    try:
        folder = state_folder(Settings.from_env(data_path=args.data).data_path)
        return SessionStore(folder)
    except NoPrivateFolder as exc:
        return str(exc)
    except (OSError, sqlite3.Error) as exc:
        return f"cannot open the editors' sessions: {exc}"


def cmd_sign_in_code(args: argparse.Namespace) -> int:
    settings = Settings.from_env(data_path=args.data)
    if not settings.admin_password:
        return fail(["no admin password is set (MEMBERSHIP_ADMIN_PASSWORD), so nobody signs in: no code made"],
                    EXIT_REFUSED)
    store = _store(args)
    if isinstance(store, str):
        return fail([store], EXIT_REFUSED)
    code = store.new_code(clock())
    print(f"Sign-in code: {code}")
    print(f"Type it in the password box of the sign-in page within {CODE_MINUTES} minutes. It works once, "
          "from any address, even while failed sign-ins are refused.")
    return EXIT_OK


def cmd_sign_out_all(args: argparse.Namespace) -> int:
    store = _store(args)
    if isinstance(store, str):
        return fail([store], EXIT_REFUSED)
    ended = store.end_all()
    print(f"Ended {ended} session{'s' if ended != 1 else ''}: every editor must sign in again.")
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    code = subparsers.add_parser("sign-in-code", help="print a one-time code that signs in to the page once")
    add_data_flag(code)
    code.set_defaults(func=cmd_sign_in_code)
    out = subparsers.add_parser("sign-out-all", help="end every editor's session, in every server process")
    add_data_flag(out)
    out.set_defaults(func=cmd_sign_out_all)
