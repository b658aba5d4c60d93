"""Which figures a view shows: the one answer the chart, the table, the source line and the
alt text all use."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dashboard.core.dataset import Dataset
from dashboard.core.measures import INDEX, YEAR_END_ONLY, Measured, measure_series, year_end_bounds, year_end_series
from dashboard.core.memo import remembered
from dashboard.core.view import View


def shown_counts(dataset: Dataset, view: View) -> pd.DataFrame:
    """Year-end figures of the chosen parties within the range, plus (if on, and the measure is the
    member count) figures reported at other dates within the same years, of the chosen bases (all
    when none is chosen); in party order, then by date."""
    key = counts_key(view)
    return remembered("shown_counts", dataset, key, lambda: _shown_counts(dataset, view, key[3]))


def counts_key(view: View) -> tuple[tuple[str, ...], int | None, int | None, bool, tuple[str, ...]]:
    """What of a view decides which figures it shows: the parties, years, whether figures at other
    dates are in (asked for, and the measure is the member count) and the bases."""
    return (view.parties, view.start, view.end, view.other_dates and view.measure not in YEAR_END_ONLY, view.bases)


@dataclass(frozen=True)
class DateOrder:
    """The membership figures in the order of the day each counts from (a year-end figure on 31
    December), with their columns as numpy arrays: made once per dataset, so that a view only
    picks rows out of it (a few hundred rows: array masks, not a dozen pandas operations)."""
    figures: pd.DataFrame
    party: np.ndarray
    year: np.ndarray
    year_end: np.ndarray
    basis: np.ndarray


def by_date(dataset: Dataset) -> DateOrder:
    def sort() -> DateOrder:
        figures = dataset.counts
        dates = figures["as_of"].where(figures["as_of"] != "", figures["year"].astype(str) + "-12-31")
        figures = figures.iloc[np.argsort(dates.to_numpy(dtype=str), kind="stable")]
        return DateOrder(figures, figures["party"].to_numpy(dtype=str), figures["year"].to_numpy(),
                         figures["as_of"].to_numpy(dtype=str) == "", figures["basis"].to_numpy(dtype=str))
    return remembered("by_date", dataset, None, sort)


def _shown_counts(dataset: Dataset, view: View, other_dates: bool) -> pd.DataFrame:
    order = by_date(dataset)
    assert view.start is not None and view.end is not None, "resolve() the view before choosing its figures"
    chosen = np.isin(order.party, view.parties) & (order.year >= view.start) & (order.year <= view.end)
    if not other_dates:
        chosen &= order.year_end
    if view.bases:
        chosen &= np.isin(order.basis, view.bases)
    rows = np.flatnonzero(chosen)
    rank = {slug: i for i, slug in enumerate(view.parties)}
    rows = rows[np.argsort([rank[slug] for slug in order.party[rows]], kind="stable")]
    return order.figures.iloc[rows]


Rows = list[dict[str, Any]]


def shown_by_party(dataset: Dataset, view: View) -> dict[str, tuple[Rows, Rows]]:
    """shown_counts per party chosen, as plain rows: (its year-end figures, its figures at other
    dates), in the same order. Remembered per view, as the chart and the alt text both go through
    it; plain rows, as a handful of figures a party costs far less to walk than to slice in pandas."""
    def split() -> dict[str, tuple[Rows, Rows]]:
        parts: dict[str, tuple[Rows, Rows]] = {slug: ([], []) for slug in view.parties}
        for row in records(shown_counts(dataset, view)):
            parts[row["party"]][0 if row["as_of"] == "" else 1].append(row)
        return parts
    return remembered("shown_by_party", dataset, counts_key(view), split)


def shown_measures(dataset: Dataset, view: View) -> list[Measured]:
    """The view's measure for each party chosen, in party order, computed from the party's whole
    year-end series (a change in the first year shown is against the year before it)."""
    assert view.start is not None and view.end is not None, "resolve() the view before measuring it"
    base_year = view.base_year if view.measure == INDEX else None
    key = (view.parties, view.start, view.end, view.bases, view.measure, base_year)
    return remembered("shown_measures", dataset, key, lambda: _shown_measures(dataset, view, base_year))


def _shown_measures(dataset: Dataset, view: View, base_year: int | None) -> list[Measured]:
    assert view.start is not None and view.end is not None
    year_ends = dataset.year_ends()
    if view.bases:  # a figure of a basis not shown is not in a change or an index either
        year_ends = year_ends[year_ends["basis"].isin(view.bases)]
    return [measure_series(slug, year_end_series(year_ends, slug), view.measure, view.start, view.end, base_year,
                           year_end_bounds(year_ends, slug))
            for slug in view.parties]


def shown_events(dataset: Dataset, view: View) -> pd.DataFrame:
    """Elections within the range, and the leaders of the first party chosen whose terms overlap it."""
    key = (view.parties[:1], view.start, view.end, view.elections, view.leaders, dt.date.today())
    return remembered("shown_events", dataset, key, lambda: _shown_events(dataset, view))


def _shown_events(dataset: Dataset, view: View) -> pd.DataFrame:
    events = dataset.events
    assert view.start is not None and view.end is not None, "resolve() the view before drawing it"
    first_day, last_day = f"{view.start}-01-01", f"{view.end}-12-31"
    today = dt.date.today().isoformat()
    rows = remembered("event_rows", dataset, None, lambda: records(events))  # a few dozen: plain Python

    def wanted(event: dict[str, Any]) -> bool:
        if not (event["start"] <= last_day and (event["end"] or today) >= first_day):
            return False
        return ((view.elections and event["kind"] == "general_election")
                or (view.leaders and event["kind"] == "leader" and event["party"] == view.parties[0]))
    return events[[wanted(event) for event in rows]]


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows as dicts of plain Python values: what `to_dict("records")` gives, many times faster
    (pandas builds every row through its own machinery; this takes each column out once)."""
    columns = list(frame.columns)
    return [dict(zip(columns, values)) for values in zip(*(frame[c].tolist() for c in columns))]


def date_label(as_of: str, year: int, precision: str = "day") -> str:
    """'31 Dec 2024' for a year-end figure, '12 Aug 2015' for a dated one, as precisely as it is known
    (core/precision.py): 'Dec 2025 (month only)', '2018 (year only)', 'about 27 Oct 2025 (approximate
    date)'."""
    date = dt.date.fromisoformat(as_of) if as_of else dt.date(year, 12, 31)
    if precision == "month" and as_of:
        return f"{date:%b %Y} (month only)"
    if precision == "year":
        return f"{date:%Y} (year only)" if as_of else f"31 Dec {date:%Y} (year only)"
    if precision == "approximate" and as_of:
        return f"about {date.day} {date:%b %Y} (approximate date)"
    return f"{date.day} {date:%b %Y}"


def position(date: dt.date) -> float:
    """Where a date sits on the chart's x axis, on which year Y spans [Y, Y + 1): 1 January is at
    its left edge and each day at its middle.

    The axis labels each year in the middle of its span, so a reader places every point in the year
    it belongs to: the July 2024 election reads as 2024, and a 31 December 2024 figure sits at the
    right end of 2024, not on a tick that could be read as 2025.
    """
    start = dt.date(date.year, 1, 1)
    days = (dt.date(date.year + 1, 1, 1) - start).days
    return date.year + ((date - start).days + 0.5) / days


def figure_date(as_of: str, year: int) -> dt.date:
    """The day a figure counts from: its as_of date, or 31 December for a year-end figure."""
    return dt.date.fromisoformat(as_of) if as_of else dt.date(year, 12, 31)
