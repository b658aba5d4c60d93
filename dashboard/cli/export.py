"""`membership export` and `membership build-site`: flags -> View and ExportSpec -> core calls.

The View is built from the flags through the same query-string parser the page's shareable URL
uses, so a CLI export and a page download of the same view cannot differ.
"""
from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from dashboard.chart.alt_text import alt_text
from dashboard.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_REFUSED, add_data_flag, fail, load_or_report
from dashboard.config import Settings
from dashboard.core.addresses import base_url
from dashboard.core.dataset import BASES, Dataset
from dashboard.core.marks import (
    MAX_MARK_TEXT,
    MAX_MARKS,
    MAX_PERIODS,
    Mark,
    MarkError,
    Period,
    read_mark,
    read_period,
)
from dashboard.core.measures import MEASURES
from dashboard.core.party_names import party_lookup, resolve_party
from dashboard.core.view import View, view_from_link
from dashboard.export.image import FORMATS, PRESETS, BrowserMissing, RenderFailed, SpecError, export_image, make_spec

EXIT_NO_IMAGE = EXIT_REFUSED  # no browser, or it could not draw: nothing written


def view_from_flags(args: argparse.Namespace, dataset: Dataset) -> View:
    """The resolved View the flags describe: a page's link (--view) if given, then each flag over
    it. Unknown parties, measures, bases or settings are an error, not silently dropped."""
    unknown = [p for p in (args.parties or "").split(",") if p.strip() and p.strip().lower() not in dataset.parties]
    if unknown:
        raise SpecError([f"unknown part{'ies' if len(unknown) > 1 else 'y'} {', '.join(repr(p) for p in unknown)} "
                         f"(known: {', '.join(dataset.parties)})"])
    link = getattr(args, "view", None) or ""
    lists = parse_qs(urlsplit(link).query if "?" in link else link, keep_blank_values=True)
    params: dict[str, str | list[str]] = {k: v if k in REPEATED else v[-1] for k, v in lists.items()}
    for key, name in (("parties", "parties"), ("start", "start"), ("end", "end"), ("title", "title"),
                      ("subtitle", "subtitle"), ("note", "note"), ("measure", "measure"), ("base_year", "base"),
                      ("bases", "bases")):
        value = getattr(args, key, None)
        if value not in (None, ""):
            params[name] = str(value)
    if args.no_events:
        params["elections"] = params["leaders"] = "0"
    if args.no_other_dates:
        params["other_dates"] = "0"
    if getattr(args, "log_scale", False):
        params["scale"] = "log"
    for key, flag, read in (("mark", "--mark", read_mark), ("highlight", "--highlight", read_period)):
        written = getattr(args, key, None) or []
        problems = marks_problems(written, flag, read, dataset)
        if problems:
            raise SpecError(problems)
        given = [*params.get(key, []), *written]
        limit = MAX_MARKS if key == "mark" else MAX_PERIODS
        if len(given) > limit:
            raise SpecError([f"{flag}: at most {limit} on a chart ({len(given)} given, with the link's)"])
        if given:
            params[key] = given
    view, notices = view_from_link(urlencode(params, doseq=True), dataset)
    if notices:
        raise SpecError([("--view: " if link else "") + notice.text for notice in notices])
    return view


REPEATED = ("mark", "highlight")  # link parameters given more than once: every one counts


def marks_problems(written: list[str], flag: str, read: Callable[[str], Mark | Period], dataset: Dataset) -> list[str]:
    """What is wrong with each --mark or --highlight, naming it (a note pinned to an unknown party too)."""
    problems = []
    lookup = party_lookup(dataset.parties)
    for text in written:
        try:
            mark = read(text)
        except MarkError as error:
            problems.append(f"{flag} {text!r}: {error}")
            continue
        if isinstance(mark, Mark) and mark.party and resolve_party(mark.party, lookup) is None \
                and mark.party not in dataset.parties:
            problems.append(f"{flag} {text!r}: unknown party {mark.party!r} (known: {', '.join(dataset.parties)})")
    return problems


def _load(args: argparse.Namespace) -> Dataset | None:
    return load_or_report(Settings.from_env(data_path=args.data).read_path)


def cmd_export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    suffix = out.suffix.lower().lstrip(".")
    if args.format and suffix in FORMATS and suffix != args.format:
        return fail([f"--out {out.name} ends in .{suffix} but --format is {args.format}"], EXIT_PROBLEMS)
    if not args.format and suffix not in FORMATS:
        return fail([f"--out must end in .png or .svg (or give --format), not '{out.name}'"], EXIT_PROBLEMS)
    fmt = args.format or suffix
    dataset = _load(args)
    if dataset is None:
        return EXIT_PROBLEMS
    try:
        spec = make_spec(args.width, args.height, args.scale, fmt, args.preset)
        view = view_from_flags(args, dataset)
        data = export_image(dataset, view, spec, args.credit or "")
    except SpecError as exc:
        return fail(exc.messages, EXIT_PROBLEMS)
    except (BrowserMissing, RenderFailed) as exc:
        return fail([str(exc)], EXIT_NO_IMAGE)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    alt_path = out.with_suffix(".txt")
    alt_path.write_text(alt_text(dataset, view) + "\n", encoding="utf-8")
    width, height = spec.pixel_size if spec.format == "png" else (spec.width, spec.height)
    print(f"Wrote {out} ({width}×{height} {spec.format.upper()}) and its alt text {alt_path}")
    return EXIT_OK


def cmd_build_site(args: argparse.Namespace) -> int:
    from dashboard.export.site import build_site  # plotly.js is read only by this command

    dataset = _load(args)
    if dataset is None:
        return EXIT_PROBLEMS
    try:
        spec = make_spec(args.width, args.height, args.scale, "png", args.preset)
        view = view_from_flags(args, dataset)
        base_url = site_base_url(args.base_url or "")
    except SpecError as exc:
        return fail(exc.messages, EXIT_PROBLEMS)
    result = build_site(dataset, view, Path(args.out_dir), spec, args.credit or "", base_url,
                        args.licence or "")
    for path in result.files:
        print(f"Wrote {path}")
    for note in result.notes:
        print(note)
    print(f"Embed it with the snippet in {Path(args.out_dir) / 'embed.html'}")
    if result.problems:
        return fail(result.problems, EXIT_NO_IMAGE)
    return EXIT_OK


def site_base_url(text: str) -> str:
    """--base-url checked: the links made from it must work."""
    try:
        return base_url(text) if text else ""
    except ValueError as exc:
        raise SpecError([f"--base-url: {exc}"]) from None


def add_view_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--view", help="a link to the page's view (or its query string, parties=...&measure=...): "
                        "the chart it shows; the flags below change it")
    parser.add_argument("--parties", help="comma-separated party slugs, e.g. labour,reform (default labour)")
    parser.add_argument("--start", type=int, help="first year (default 1989)")
    parser.add_argument("--end", type=int, help="last year (default: the latest figure of any date; for a change or an "
                        "index, the latest year end)")
    parser.add_argument("--measure", choices=MEASURES, help="members (default); change or change-percent on the "
                        "previous year-end; index (base year = 100)")
    parser.add_argument("--base-year", type=int, help="the year an index is 100 at (default: chosen from the figures)")
    parser.add_argument("--log-scale", action="store_true", help="members on a log scale")
    parser.add_argument("--bases", help=f"only figures of these bases, comma-separated ({', '.join(BASES)})")
    parser.add_argument("--title", help="title (default from the parties and years)")
    parser.add_argument("--subtitle", help="subtitle")
    parser.add_argument("--note", help="a note printed above the source line")
    parser.add_argument("--credit", help='a credit line under the source, e.g. "Chart: A. Blogger"')
    parser.add_argument("--mark", action="append", metavar="DATE[@PARTY|@VALUE]:TEXT",
                        help=f"a note on the chart at DATE (YYYY-MM-DD), on PARTY's line or at VALUE members, e.g. "
                        f"'2015-09-12@labour:Corbyn elected'; repeat for more (at most {MAX_MARKS}, "
                        f"{MAX_MARK_TEXT} characters each)")
    parser.add_argument("--highlight", action="append", metavar="START:END:LABEL",
                        help=f"a highlighted period, e.g. '2015-09-12:2020-04-04:Corbyn years'; repeat for more "
                        f"(at most {MAX_PERIODS})")
    parser.add_argument("--no-events", action="store_true", help="leave out elections and leaders")
    parser.add_argument("--no-other-dates", action="store_true", help="only year-end figures")
    parser.add_argument("--preset", choices=[*PRESETS, "custom"], help="size preset (" + ", ".join(
                        f"{p.key} {p.width}×{p.height}" for p in PRESETS.values()) + "); --width/--height override it")
    parser.add_argument("--width", type=int, help="layout width in pixels, 200-4000 (default 1200)")
    parser.add_argument("--height", type=int, help="layout height in pixels, 200-4000 (default 675)")
    parser.add_argument("--scale", type=int, default=2, help="pixel density 1-4 (default 2: a 1200×675 "
                        "chart is a 2400×1350 PNG)")
    add_data_flag(parser)


def register(subparsers) -> None:
    export = subparsers.add_parser("export", help="write the chart as PNG or SVG, with its alt text beside it")
    export.add_argument("--out", required=True, help="FILE.png or FILE.svg; the alt text goes to FILE.txt")
    export.add_argument("--format", choices=["png", "svg"], help="default: from the --out suffix")
    add_view_flags(export)
    export.set_defaults(func=cmd_export)

    site = subparsers.add_parser("build-site", help="write a static interactive page of the chart, "
                                 "with PNG, SVG, alt text, CSV and an <iframe> snippet")
    site.add_argument("out_dir", help="directory to write into (created if needed)")
    site.add_argument("--base-url", help="the address OUT_DIR will be served at (https://...), for the embed "
                      "snippet and link previews; without it those links stay relative")
    site.add_argument("--licence", help='the licence readers may reuse the chart and data under, e.g. "CC BY 4.0" '
                      "(written to metadata.json and the XLSX; default: not stated)")
    add_view_flags(site)
    site.set_defaults(func=cmd_build_site)
