"""What the reader chose to see, as one small validated object.

The page's controls, the shareable URL, the CLI flags and the export all produce or take a View,
so they cannot drift apart.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any
from urllib.parse import parse_qs, urlencode

from dashboard.core.dataset import Dataset
from dashboard.core.memo import remembered

DEFAULT_PARTIES = ("labour",)
DEFAULT_START = 1989
MAX_TEXT = 300


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


def default_range(dataset: Dataset, parties: tuple[str, ...]) -> tuple[int, int]:
    """From 1989 (or the first figure of the parties chosen, if later) to their latest year-end
    figure (or their latest figure of any date, for a party that publishes no year-end series)."""
    return remembered("default_range", dataset, tuple(parties), lambda: _default_range(dataset, parties))


def _default_range(dataset: Dataset, parties: tuple[str, ...]) -> tuple[int, int]:
    first, last = dataset.year_bounds()
    chosen = dataset.counts[dataset.counts["party"].isin(parties)]
    if chosen.empty:
        return max(DEFAULT_START, first), last
    year_ends = chosen[chosen["as_of"] == ""]
    end = int((year_ends if not year_ends.empty else chosen)["year"].max())
    start = min(max(DEFAULT_START, int(chosen["year"].min())), end)
    return start, end


def resolve(view: View, dataset: Dataset) -> View:
    """The same view with unknown parties dropped, defaults filled in and the range put in order."""
    parties = tuple(dict.fromkeys(p for p in view.parties if p in dataset.parties)) or DEFAULT_PARTIES
    first, last = dataset.year_bounds()
    default_start, default_end = default_range(dataset, parties)
    start = default_start if view.start is None else min(max(view.start, first), last)
    end = default_end if view.end is None else min(max(view.end, first), last)
    if start > end:
        start, end = end, start
    return replace(view, parties=parties, start=start, end=end,
                   title=view.title[:MAX_TEXT], subtitle=view.subtitle[:MAX_TEXT], note=view.note[:MAX_TEXT])


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
            values[key] = params[key][:MAX_TEXT]
    return View(**values)


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
    return ("?" + urlencode(params)) if params else ""


def view_to_dict(view: View) -> dict[str, Any]:
    """A JSON-ready view, for the page's store and for callbacks of other panels."""
    return {**asdict(view), "parties": list(view.parties)}


def view_from_dict(data: dict[str, Any] | None) -> View:
    known = {f.name for f in fields(View)}
    values = {k: v for k, v in (data or {}).items() if k in known}
    if "parties" in values:
        values["parties"] = tuple(values["parties"] or ())
    return View(**values)
