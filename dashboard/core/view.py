"""What the reader chose to see, as one small validated object.

The page's controls, the shareable URL, the CLI flags and the export all produce or take a View,
so they cannot drift apart.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any
from urllib.parse import parse_qs, urlencode

from dashboard.core.dataset import BASES, Dataset
from dashboard.core.memo import remembered

DEFAULT_PARTIES = ("labour",)
DEFAULT_START = 1989
MAX_TEXT = 300
MAX_NOTE = 700  # a note may carry the latest-figures sentence of five parties


@dataclass(frozen=True)
class View:
    """`start`/`end` None mean "the default for these parties"; `resolve` fills them in."""

    parties: tuple[str, ...] = DEFAULT_PARTIES
    start: int | None = None
    end: int | None = None
    elections: bool = True
    leaders: bool = True
    other_dates: bool = True
    title: str = ""
    subtitle: str = ""
    note: str = ""
    bases: tuple[str, ...] = ()   # keys of BASES to show; empty shows every figure


def default_range(dataset: Dataset, parties: tuple[str, ...], bases: tuple[str, ...] = ()) -> tuple[int, int]:
    """From 1989 (or the first figure of the parties chosen, if later) to their latest figure of any
    date: a view opens on the newest figures, not only on the latest year end."""
    return remembered("default_range", dataset, (tuple(parties), tuple(bases)),
                      lambda: _default_range(dataset, parties, bases))


def _default_range(dataset: Dataset, parties: tuple[str, ...], bases: tuple[str, ...]) -> tuple[int, int]:
    first, last = dataset.year_bounds()
    counts = dataset.counts
    wanted = counts["party"].isin(parties)
    if bases:
        wanted &= counts["basis"].isin(bases)
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


def resolve(view: View, dataset: Dataset) -> View:
    """The same view with unknown parties dropped, defaults filled in and the range put in order."""
    parties = tuple(dict.fromkeys(p for p in view.parties if p in dataset.parties)) or DEFAULT_PARTIES
    bases = known_bases(view.bases)
    first, last = dataset.year_bounds()
    default_start, default_end = default_range(dataset, parties, bases)
    start = default_start if view.start is None else min(max(view.start, first), last)
    end = default_end if view.end is None else min(max(view.end, first), last)
    if start > end:
        start, end = end, start
    return replace(view, parties=parties, start=start, end=end, bases=bases,
                   title=view.title[:MAX_TEXT], subtitle=view.subtitle[:MAX_TEXT], note=view.note[:MAX_NOTE])


def _flag(value: str) -> bool:
    return value.strip().lower() not in ("0", "false", "no", "off")


def view_from_query(query: str) -> View:
    """A view from a URL query string (?parties=labour,reform&start=1989&end=2024&elections=0).

    Anything unreadable falls back to the default: a shared link never breaks the page.
    """
    params = {k: v[-1] for k, v in parse_qs(query.lstrip("?"), keep_blank_values=True).items()}
    values: dict[str, Any] = {}
    if params.get("parties"):
        values["parties"] = tuple(p.strip().lower() for p in params["parties"].split(",") if p.strip())
    for key in ("start", "end"):
        if params.get(key, "").strip().isdigit():
            values[key] = int(params[key])
    for key in ("elections", "leaders", "other_dates"):
        if key in params:
            values[key] = _flag(params[key])
    for key in ("title", "subtitle", "note"):
        if key in params:
            values[key] = params[key][:MAX_NOTE if key == "note" else MAX_TEXT]
    bases = _query_bases(params)
    if bases and not unknown_bases(bases):
        values["bases"] = known_bases(bases)
    return View(**values)


def _query_bases(params: dict[str, str]) -> tuple[str, ...]:
    return tuple(b.strip().lower() for b in params.get("bases", "").split(",") if b.strip())


def unknown_bases(bases: tuple[str, ...]) -> list[str]:
    return [b for b in bases if b not in BASES]


def query_notices(query: str) -> list[str]:
    """Short notices for what a shared link asked for and the page could not show (the view falls
    back to its default for that part, so the link still opens)."""
    params = {k: v[-1] for k, v in parse_qs(query.lstrip("?"), keep_blank_values=True).items()}
    unknown = unknown_bases(_query_bases(params))
    if not unknown:
        return []
    names = ", ".join(f"'{b[:40]}'" for b in unknown[:3])
    return [f"This link asks for {'an unknown basis' if len(unknown) == 1 else 'unknown bases'} {names}, "
            f"so figures of every basis are shown (the bases are {', '.join(BASES)})."]


def view_to_query(view: View) -> str:
    """The shortest query string that gives this view back (defaults are left out)."""
    default = View()
    params: dict[str, str] = {}
    if view.parties != default.parties:
        params["parties"] = ",".join(view.parties)
    for key in ("start", "end"):
        if getattr(view, key) is not None:
            params[key] = str(getattr(view, key))
    for key in ("elections", "leaders", "other_dates"):
        if getattr(view, key) != getattr(default, key):
            params[key] = "1" if getattr(view, key) else "0"
    for key in ("title", "subtitle", "note"):
        if getattr(view, key):
            params[key] = getattr(view, key)
    if view.bases:
        params["bases"] = ",".join(view.bases)
    return ("?" + urlencode(params)) if params else ""


def view_to_dict(view: View) -> dict[str, Any]:
    """A JSON-ready view, for the page's store and for callbacks of other panels."""
    return {**asdict(view), "parties": list(view.parties), "bases": list(view.bases)}


def view_from_dict(data: dict[str, Any] | None) -> View:
    known = {f.name for f in fields(View)}
    values = {k: v for k, v in (data or {}).items() if k in known}
    for key in ("parties", "bases"):
        if key in values:
            values[key] = tuple(values[key] or ())
    return View(**values)
