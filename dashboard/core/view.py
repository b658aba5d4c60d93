"""What the reader chose to see, as one small validated object.

The page's controls, the shareable URL, the CLI flags and the export all produce or take a View,
so they cannot drift apart. The URL holds the whole view; a link that asks for something the data
does not have (an unknown party, a year out of range, a garbled setting, a note it cannot read)
opens the nearest valid view, and `view_from_link` says in words what was set aside. The writer's
own marks (core/marks.py) are part of the view: `mark=` and `highlight=`, each repeatable.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any
from urllib.parse import parse_qs, urlencode

from dashboard.core.dataset import BASES, Dataset
from dashboard.core.marks import (
    MAX_MARKS,
    MAX_PERIODS,
    Mark,
    Period,
    mark_text,
    period_text,
    read_marks,
    read_periods,
    short,
)
from dashboard.core.measures import INDEX, MEASURES, MEMBERS, YEAR_END_ONLY, default_base_year, year_end_series
from dashboard.core.memo import remembered
from dashboard.core.party_names import party_lookup, resolve_party
from dashboard.core.problems import control_character

DEFAULT_PARTIES = ("labour",)
DEFAULT_START = 1989
MAX_TEXT = 300
MAX_NOTE = 700  # a note may carry the latest-figures sentence of five parties
FLAGS = ("elections", "leaders", "other_dates")
TEXTS = ("title", "subtitle", "note")
SCALES = ("linear", "log")


@dataclass(frozen=True)
class View:
    """`start`/`end` None mean "the default for these parties"; `resolve` fills them in.

    `measure` is one of core.measures.MEASURES; `base_year` is the year an index is 100 at (None:
    chosen from the data); `log_scale` applies to the members measure only; `bases` are the keys of
    BASES shown (empty shows every figure). `marks` and `highlights` are the writer's notes and
    highlighted periods, in the order written.
    """

    parties: tuple[str, ...] = DEFAULT_PARTIES
    start: int | None = None
    end: int | None = None
    elections: bool = True
    leaders: bool = True
    other_dates: bool = True
    title: str = ""
    subtitle: str = ""
    note: str = ""
    measure: str = MEMBERS
    base_year: int | None = None
    log_scale: bool = False
    bases: tuple[str, ...] = ()
    marks: tuple[Mark, ...] = ()
    highlights: tuple[Period, ...] = ()


@dataclass(frozen=True)
class Notice:
    """Something a link or a control asked for that the view could not give, in words for the reader.

    `field` is the setting it is about (`parties`, `start`, `end`, `measure`, ..., or the unknown
    parameter's name), so the page can show a year's message beside the year boxes."""

    field: str
    text: str


def default_range(dataset: Dataset, parties: tuple[str, ...], bases: tuple[str, ...] = (),
                  year_ends_only: bool = False) -> tuple[int, int]:
    """From 1989 (or the first figure of the parties chosen, if later) to their latest figure of any
    date: a view opens on the newest figures, not only on the latest year end. A measure made of
    year-end figures only (a change, an index) runs to the latest year end instead: a year it
    cannot have a value for is not in its default range."""
    return remembered("default_range", dataset, (tuple(parties), tuple(bases), year_ends_only),
                      lambda: _default_range(dataset, parties, bases, year_ends_only))


def _default_range(dataset: Dataset, parties: tuple[str, ...], bases: tuple[str, ...],
                   year_ends_only: bool) -> tuple[int, int]:
    first, last = dataset.year_bounds()
    counts = dataset.counts
    wanted = counts["party"].isin(parties)
    if bases:
        wanted &= counts["basis"].isin(bases)
    if year_ends_only:
        wanted &= counts["as_of"] == ""
    chosen = counts[wanted]
    if chosen.empty:
        return max(DEFAULT_START, first), last
    end = int(chosen["year"].max())
    start = min(max(DEFAULT_START, int(chosen["year"].min())), end)
    return start, end


def known_bases(bases: tuple[str, ...]) -> tuple[str, ...]:
    """The bases in the order of BASES, unknown ones dropped; all of them is the same as none."""
    chosen = tuple(b for b in BASES if b in bases)
    return () if len(chosen) == len(BASES) else chosen


def unknown_bases(bases: tuple[str, ...]) -> list[str]:
    return [b for b in bases if b not in BASES]


# ---------------------------------------------------------------- resolving against the data

def _resolve_parties(view: View, dataset: Dataset, notices: list[Notice]) -> tuple[str, ...]:
    """Slugs for the parties as written ('Lib Dems' -> libdem), unknown ones set aside."""
    lookup = party_lookup(dataset.parties)
    slugs: list[str] = []
    unknown: list[str] = []
    for written in view.parties:
        slug = written if written in dataset.parties else resolve_party(written, lookup)
        if slug is None:
            unknown.append(written)
        elif slug not in slugs:
            slugs.append(slug)
    if unknown:
        names = ", ".join(f"'{name[:40]}'" for name in unknown[:5]) + (" and more" if len(unknown) > 5 else "")
        outcome = "left out" if slugs else f"showing {dataset.party_name(DEFAULT_PARTIES[0])}"
        notices.append(Notice("parties", f"Unknown part{'ies' if len(unknown) > 1 else 'y'} {names}: {outcome}."))
    return tuple(slugs) or DEFAULT_PARTIES


def _resolve_years(view: View, dataset: Dataset, parties: tuple[str, ...], bases: tuple[str, ...],
                   notices: list[Notice]) -> tuple[int, int]:
    first, last = dataset.year_bounds()
    default_start, default_end = default_range(dataset, parties, bases, view.measure in YEAR_END_ONLY)

    def clamp(name: str, year: int | None, default: int) -> int:
        if year is None:
            return default
        if year < first:
            notices.append(Notice(name, f"There are no figures before {first}: {year} became {first}."))
            return first
        if year > last:
            notices.append(Notice(name, f"There are no figures after {last}: {year} became {last}."))
            return last
        return year

    start = clamp("start", view.start, default_start)
    end = clamp("end", view.end, default_end)
    if start > end:
        notices.append(Notice("end", f"The first year was after the last: showing {end}–{start}."))
        start, end = end, start
    return start, end


def _resolve_measure(view: View, dataset: Dataset, parties: tuple[str, ...], start: int, end: int,
                     notices: list[Notice]) -> tuple[str, int | None, bool]:
    """The measure, its base year (index only) and the log scale (members only)."""
    measure = view.measure if view.measure in MEASURES else MEMBERS
    if measure != view.measure:
        notices.append(Notice("measure", f"Unknown measure '{view.measure[:40]}': showing members."))
    if measure != INDEX:
        return measure, None, view.log_scale and measure == MEMBERS
    first, last = dataset.year_bounds()
    base = view.base_year
    if base is not None and not first <= base <= last:
        notices.append(Notice("base_year", f"{base} is outside the data ({first}–{last}): "
                                           "the base year was chosen from the figures."))
        base = None
    if base is None:
        year_ends = dataset.year_ends()
        if view.bases:
            year_ends = year_ends[year_ends["basis"].isin(view.bases)]
        base = default_base_year({p: year_end_series(year_ends, p) for p in parties}, start, end)
    return measure, base, False


def _resolve_marks(view: View, dataset: Dataset, notices: list[Notice]) -> tuple[Mark, ...]:
    """The notes with their parties as slugs; a note pinned to an unknown party keeps its date only."""
    lookup = party_lookup(dataset.parties)
    marks = []
    for mark in view.marks[:MAX_MARKS]:
        if mark.party and mark.party not in dataset.parties:
            slug = resolve_party(mark.party, lookup)
            if slug is None:
                notices.append(Notice("mark", f"The note '{short(mark.text)}' is pinned to '{mark.party[:40]}', "
                                              "an unknown party: drawn at its date."))
            mark = replace(mark, party=slug or "")
        marks.append(mark)
    return tuple(marks)


def _chart_text(key: str, text: str, notices: list[Notice]) -> str:
    """A title, subtitle or note as the chart may draw it: cut to its limit, and set aside when it
    holds a control character or a bidirectional override (refused in uploads for the same reason:
    text that displays in another order than it reads)."""
    problem = control_character(text)
    if problem:
        notices.append(Notice(key, f"The {key} was set aside: it {problem}."))
        return ""
    return text[:MAX_NOTE if key == "note" else MAX_TEXT]


def resolve_explained(view: View, dataset: Dataset) -> tuple[View, list[Notice]]:
    """The nearest view the data can show, and a notice for everything that had to be changed:
    parties as people write them become slugs, unknown ones are left out, years are brought into
    the data's range and put in order, defaults are filled in."""
    notices: list[Notice] = []
    parties = _resolve_parties(view, dataset, notices)
    bases = known_bases(view.bases)
    start, end = _resolve_years(view, dataset, parties, bases, notices)
    measure, base_year, log_scale = _resolve_measure(replace(view, bases=bases), dataset, parties, start, end, notices)
    texts: dict[str, Any] = {key: _chart_text(key, getattr(view, key), notices) for key in TEXTS}
    marks = _resolve_marks(view, dataset, notices)
    resolved = replace(view, parties=parties, start=start, end=end, measure=measure, base_year=base_year,
                       log_scale=log_scale, bases=bases, marks=marks, highlights=view.highlights[:MAX_PERIODS],
                       **texts)
    return resolved, notices


def resolve(view: View, dataset: Dataset) -> View:
    """The same view with unknown parties dropped, defaults filled in and the range put in order."""
    return resolve_explained(view, dataset)[0]


# ---------------------------------------------------------------- the query string

def _read_year(params: dict[str, str], key: str, label: str, values: dict[str, Any], notices: list[Notice],
               field: str | None = None) -> None:
    if key not in params:
        return
    text = params[key].strip()
    if text.isascii() and text.isdigit() and len(text) <= 4:
        values[field or key] = int(text)
    else:
        notices.append(Notice(field or key, f"'{text[:20]}' is not a year ({label}): ignored."))


def _read_flag(params: dict[str, str], key: str, values: dict[str, Any], notices: list[Notice]) -> None:
    if key not in params:
        return
    text = params[key].strip().lower()
    if text in ("1", "true", "yes", "on"):
        values[key] = True
    elif text in ("0", "false", "no", "off"):
        values[key] = False
    else:
        notices.append(Notice(key, f"'{params[key][:20]}' is not on or off ({key.replace('_', ' ')}): ignored."))


def _read_measure(params: dict[str, str], values: dict[str, Any], notices: list[Notice]) -> None:
    """measure=members|change|change-percent|index, base=YEAR, scale=linear|log."""
    if "measure" in params:
        text = params["measure"].strip().lower()
        if text in MEASURES:
            values["measure"] = text
        else:
            notices.append(Notice("measure", f"Unknown measure '{params['measure'][:40]}' ignored "
                                             f"(known: {', '.join(MEASURES)})."))
    _read_year(params, "base", "base year", values, notices, field="base_year")
    if "scale" in params:
        text = params["scale"].strip().lower()
        if text in SCALES:
            values["log_scale"] = text == "log"
        else:
            notices.append(Notice("scale", f"Unknown scale '{params['scale'][:20]}' ignored (known: linear, log)."))


def _read_bases(params: dict[str, str], values: dict[str, Any], notices: list[Notice]) -> None:
    """bases=accounts,party_report: the bases of figure shown. An unknown one shows every basis."""
    bases = tuple(b.strip().lower() for b in params.get("bases", "").split(",") if b.strip())
    unknown = unknown_bases(bases)
    if unknown:
        names = ", ".join(f"'{b[:40]}'" for b in unknown[:3])
        notices.append(Notice("bases", f"This link asks for {'an unknown basis' if len(unknown) == 1 else 'unknown bases'} "
                                       f"{names}, so figures of every basis are shown (the bases are {', '.join(BASES)})."))
    elif bases:
        values["bases"] = known_bases(bases)


def _write_measure(view: View, params: dict[str, str]) -> None:
    if view.measure != MEMBERS:
        params["measure"] = view.measure
    if view.base_year is not None:
        params["base"] = str(view.base_year)
    if view.log_scale:
        params["scale"] = "log"


def _read_marks(lists: dict[str, list[str]], values: dict[str, Any], notices: list[Notice]) -> None:
    """mark=DATE[@PARTY|@VALUE]:TEXT and highlight=START:END:LABEL, each repeatable: what cannot be
    read is set aside with a notice naming it."""
    for key, field, read in (("mark", "marks", read_marks), ("highlight", "highlights", read_periods)):
        if key in lists:
            found, problems = read(lists[key])
            values[field] = found
            notices.extend(Notice(key, problem) for problem in problems)


KNOWN_KEYS = ("parties", "start", "end", *FLAGS, *TEXTS, "measure", "base", "scale", "bases", "mark", "highlight")


def read_query(query: str) -> tuple[View, list[Notice]]:
    """The view a URL query string asks for (?parties=labour,reform&start=1989&measure=index&base=2010),
    with a notice for every parameter that could not be read. Parties are left as written:
    `resolve_explained` matches them to the data."""
    lists = parse_qs(query.lstrip("?"), keep_blank_values=True)
    params = {k: v[-1] for k, v in lists.items()}
    values: dict[str, Any] = {}
    notices: list[Notice] = []
    unknown = [key for key in params if key not in KNOWN_KEYS]
    if unknown:
        names = ", ".join(f"'{key[:30]}'" for key in unknown[:5])
        notices.append(Notice(unknown[0], f"Unknown setting{'s' if len(unknown) > 1 else ''} {names} ignored."))
    if params.get("parties", "").strip():
        values["parties"] = tuple(p.strip() for p in params["parties"].split(",") if p.strip())
    _read_year(params, "start", "first year", values, notices)
    _read_year(params, "end", "last year", values, notices)
    for key in FLAGS:
        _read_flag(params, key, values, notices)
    for key in TEXTS:
        if key in params:
            limit = MAX_NOTE if key == "note" else MAX_TEXT
            values[key] = params[key][:limit]
            if len(params[key]) > limit:
                notices.append(Notice(key, f"The {key} was cut to {limit} characters."))
    _read_measure(params, values, notices)
    _read_bases(params, values, notices)
    _read_marks(lists, values, notices)
    return View(**values), notices


def view_from_query(query: str) -> View:
    """A view from a URL query string; anything unreadable falls back to the default, so a shared
    link never breaks the page."""
    return read_query(query)[0]


def query_notices(query: str) -> list[str]:
    """Short notices for what a shared link asked for and the page could not read (the view falls
    back to its default for that part, so the link still opens)."""
    return [notice.text for notice in read_query(query)[1]]


def view_from_link(query: str, dataset: Dataset) -> tuple[View, list[Notice]]:
    """The resolved view a shared link opens, and what of the link was set aside or changed."""
    view, read_notices = read_query(query)
    resolved, resolve_notices = resolve_explained(view, dataset)
    return resolved, read_notices + resolve_notices


def view_to_query(view: View) -> str:
    """The shortest query string that gives this view back (defaults are left out)."""
    default = View()
    params: dict[str, str] = {}
    if view.parties != default.parties:
        params["parties"] = ",".join(view.parties)
    for key in ("start", "end"):
        if getattr(view, key) is not None:
            params[key] = str(getattr(view, key))
    for key in FLAGS:
        if getattr(view, key) != getattr(default, key):
            params[key] = "1" if getattr(view, key) else "0"
    _write_measure(view, params)
    for key in TEXTS:
        if getattr(view, key):
            params[key] = getattr(view, key)
    if view.bases:
        params["bases"] = ",".join(view.bases)
    query = urlencode(params, safe=",")
    # the marks keep their ':' and '@' legible (both are allowed in a query)
    marks = urlencode([*(("mark", mark_text(m)) for m in view.marks),
                       *(("highlight", period_text(p)) for p in view.highlights)], safe=",:@")
    query = "&".join(part for part in (query, marks) if part)
    return ("?" + query) if query else ""


def view_to_dict(view: View) -> dict[str, Any]:
    """A JSON-ready view, for the page's store and for callbacks of other panels; the marks in the
    words of a link."""
    return {**asdict(view), "parties": list(view.parties), "bases": list(view.bases),
            "marks": [mark_text(m) for m in view.marks], "highlights": [period_text(p) for p in view.highlights]}


def view_from_dict(data: dict[str, Any] | None) -> View:
    known = {f.name for f in fields(View)}
    values = {k: v for k, v in (data or {}).items() if k in known}
    for key in ("parties", "bases"):
        if key in values:
            values[key] = tuple(values[key] or ())
    # marks as a link writes them; one that cannot be read is left out, as a link's would be
    if "marks" in values:
        values["marks"] = read_marks(list(values["marks"] or ()))[0]
    if "highlights" in values:
        values["highlights"] = read_periods(list(values["highlights"] or ()))[0]
    return View(**values)
