"""`membership serve | check`: run the dashboard, or validate the data files."""
from __future__ import annotations

import argparse
import gc
import sys

from dashboard.cli.common import EXIT_OK, EXIT_PROBLEMS, add_data_flag, folder_line, load_or_report, print_problems
from dashboard.config import DEFAULT_HOST, DEFAULT_PORT, Settings
from dashboard.core.collector import cyclic_gc_paused
from dashboard.core.problems import DataError


def cmd_check(args: argparse.Namespace) -> int:
    settings = Settings.from_env(data_path=args.data)
    print(folder_line(settings))
    dataset = load_or_report(settings.read_path)
    damaged = settings.store().history_problems()
    if damaged:
        print_problems(damaged)
    if dataset is None or damaged:
        return EXIT_PROBLEMS
    n_parties = dataset.counts["party"].nunique()
    first, last = dataset.year_bounds()
    print(f"{settings.read_path}: OK, {len(dataset.counts)} figures for {n_parties} parties, {first}-{last}.")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    settings = Settings.from_env(data_path=args.data, host=args.host, port=args.port)
    broken = load_or_report(settings.read_path) is None

    # Making the app allocates some 40,000 objects that live as long as the process (Dash's modules,
    # the callbacks, the data) and next to no garbage, yet set off a full collection that scanned all
    # 90,000 objects of the process for nothing. The collector waits, then leaves them out of its
    # scans for good (gc.freeze), which also keeps later full collections short.
    with cyclic_gc_paused():
        from dashboard.web.app import create_app  # Dash is imported only by the command that serves

        app = create_app(settings)
        gc.freeze()
    from dashboard.web.first_paint import start

    start(app)  # the chart's images for the first paint, made in the background
    if broken:
        try:
            app.server.extensions["membership_data"].get()
            print("Serving the last good version of the data, with a banner, until the file is fixed.")
        except DataError:
            print("No good version of the data is kept: readers see that it is being corrected, and an editor "
                  "can upload a corrected file in the page (or fix the file; it is read again as soon as it changes).")
    if settings.public_url_warning:
        print(f"membership: warning: {settings.public_url_warning}", file=sys.stderr)
    print(folder_line(settings))
    print(f"Serving {settings.read_path} on http://{settings.host}:{settings.port}/ (Ctrl+C to stop)", flush=True)
    app.run(host=settings.host, port=settings.port, debug=False)
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser("serve", help="run the dashboard")
    serve.add_argument("--host", default=None, help=f"address to listen on (default {DEFAULT_HOST})")
    serve.add_argument("--port", type=int, default=None, help=f"port (default {DEFAULT_PORT})")
    add_data_flag(serve)
    serve.set_defaults(func=cmd_serve)

    check = subparsers.add_parser("check", help="validate the data files and list every problem")
    add_data_flag(check)
    check.set_defaults(func=cmd_check)
