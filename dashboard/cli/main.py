"""`membership` on the command line: each subcommand only translates flags into core calls.

The commands live in one module per group (serve, updates, export), each with
`register(subparsers)`; this module only gathers them and turns settings errors into a message.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys

from dashboard.core.collector import cyclic_gc_paused


def build_parser() -> argparse.ArgumentParser:
    from dashboard.cli import access, export, serve, updates  # imported here: main() loads them with the collector paused
    from dashboard.config import ENVIRONMENT

    width = max(map(len, ENVIRONMENT))
    parser = argparse.ArgumentParser(
        prog="membership", description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="environment variables (flags override them):\n" + "\n".join(
            f"  {name.ljust(width)}  {meaning}" for name, meaning in ENVIRONMENT.items()))
    subparsers = parser.add_subparsers(dest="command", required=True)
    for group in (serve, updates, access, export):
        group.register(subparsers)
    return parser


def quiet_browser_driver_logs() -> None:
    """Kaleido's browser driver logs its own recovered hiccups with tracebacks (e.g. "JSONError decoding
    message. Ignoring"); on a terminal they read as a crash of the command, so only its failures show."""
    for name in ("choreographer", "kaleido", "logistro"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def main(argv: list[str] | None = None) -> int:
    # The commands' modules (pandas, the chart, the export) make some 50,000 objects that live as long
    # as the process, and no garbage: the collector waits while they load rather than scan them all.
    with cyclic_gc_paused():
        args = build_parser().parse_args(argv)
    from dashboard.cli.common import EXIT_PROBLEMS, EXIT_REFUSED, SettingsError, fail  # loaded by build_parser
    from dashboard.export import warm_browser

    quiet_browser_driver_logs()
    try:
        return int(args.func(args))
    except SettingsError as exc:
        return fail([str(exc)], EXIT_PROBLEMS)
    except BrokenPipeError:  # the reader of the output went away (`| head`): what was done is done, say nothing
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # and no second error at exit
        return 141
    except OSError as exc:  # read-only folder, disk full, permission denied: one line, no traceback
        where = f"{exc.filename}: " if exc.filename else ""
        return fail([f"{where}{exc.strerror or exc}; nothing was written"], EXIT_REFUSED)
    except KeyboardInterrupt:
        return 130
    finally:
        # A command that made images closes its browser now, while the interpreter is whole, so
        # Chromium's temporary profile is deleted after Chromium has stopped writing to it.
        warm_browser.shutdown()


if __name__ == "__main__":
    sys.exit(main())
