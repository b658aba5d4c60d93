"""What the chart can measure besides the member count: the change on the previous year-end (in
members or per cent) and an index to a base year. Plain functions of year-end figures.

Honesty rules, kept here and only here: a change needs year-end figures on both sides (a missing
year is a gap, never a made-up value); figures reported at other dates never enter a change or an
index; a party with no year-end figure for the base year is not indexed, and says why. A figure that
is only a bound ('more than 63,000') is never used as if it were the count: a change or an index
value that needs it is a gap, set aside with the reason; one that needs an 'about' figure is kept
and marked approximate.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

MEMBERS = "members"
CHANGE = "change"
CHANGE_PERCENT = "change-percent"
INDEX = "index"
MEASURES = (MEMBERS, CHANGE, CHANGE_PERCENT, INDEX)
# The measures drawn from year-end figures only: figures at other dates have no place in them.
YEAR_END_ONLY = (CHANGE, CHANGE_PERCENT, INDEX)
INDEX_BASE = 100.0

Series = Mapping[int, int]


def year_end_series(year_ends: pd.DataFrame, party: str) -> dict[int, int]:
    """{year: members} of one party's year-end figures (rows with an `as_of` date are left out)."""
    rows = year_ends[(year_ends["party"] == party) & (year_ends["as_of"] == "")]
    return {int(year): int(members) for year, members in zip(rows["year"], rows["members"])}


def year_end_bounds(year_ends: pd.DataFrame, party: str) -> dict[int, str]:
    """{year: bound} of the party's year-end figures that are not exact (core/precision.py)."""
    if "bound" not in year_ends.columns:
        return {}
    rows = year_ends[(year_ends["party"] == party) & (year_ends["as_of"] == "") & (year_ends["bound"] != "")]
    return {int(year): str(bound) for year, bound in zip(rows["year"], rows["bound"])}


BOUND_WORDS = {"below": "an upper bound", "above": "a lower bound"}


def change_on_previous_year_end(series: Series) -> dict[int, int]:
    """{year: members at its year end minus members at the previous year end}, only for years
    whose previous year has a year-end figure too."""
    return {year: members - series[year - 1] for year, members in series.items() if year - 1 in series}


def percent_change_on_previous_year_end(series: Series) -> dict[int, float]:
    """The change on the previous year end as a percentage of it; none where that figure is 0."""
    return {year: (members - series[year - 1]) / series[year - 1] * 100
            for year, members in series.items() if series.get(year - 1)}


def indexed_to(series: Series, base_year: int) -> dict[int, float] | None:
    """{year: members as a share of the base year's figure, base = 100}, or None when the party
    has no (non-zero) year-end figure for the base year: nothing to index to."""
    base = series.get(base_year)
    if not base:
        return None
    return {year: members / base * INDEX_BASE for year, members in series.items()}


@dataclass(frozen=True)
class Measured:
    """One party's values of a measure within the years shown.

    `values` has only the years that have a value (a missing year is a gap); `against` gives, for
    each, the year whose figure it is measured against (the previous year end, or the base year).
    `not_indexed` is True when an index was asked for and the party has no figure for its base year.
    """

    party: str
    measure: str
    values: dict[int, float] = field(default_factory=dict)
    against: dict[int, int] = field(default_factory=dict)
    not_indexed: bool = False
    set_aside: dict[int, str] = field(default_factory=dict)  # year: why it has no value (a bound it needs)
    approximate: frozenset[int] = frozenset()                 # years whose value rests on an 'about' figure


def measure_series(party: str, series: Series, measure: str, start: int, end: int,
                   base_year: int | None = None, bounds: Mapping[int, str] | None = None) -> Measured:
    """The measure of one party's year-end series, for the years start..end.

    A change in the first year shown is measured against the year before it, when that year has
    a figure: the figure exists, only the range hides it. `bounds` ({year: bound}) are the figures
    that are not exact: a value needing a lower or upper bound is set aside, one needing an 'about'
    figure is marked approximate.
    """
    bounds = bounds or {}

    def within(values: Mapping[int, float]) -> dict[int, float]:
        return {year: value for year, value in sorted(values.items()) if start <= year <= end}

    def honest(measured: Measured) -> Measured:
        """The values that rest on a bound taken out (with why), those on an 'about' figure marked."""
        values, set_aside, approximate = dict(measured.values), {}, set()
        for year in list(values):
            needs = sorted({year, measured.against[year]})
            bounded = [y for y in needs if bounds.get(y) in BOUND_WORDS]
            if bounded:
                del values[year]
                set_aside[year] = "; ".join(f"the {y} figure is {BOUND_WORDS[bounds[y]]}" for y in bounded)
            elif any(bounds.get(y) == "about" for y in needs):
                approximate.add(year)
        return Measured(party, measure, values, {y: measured.against[y] for y in values}, measured.not_indexed,
                        set_aside, frozenset(approximate))

    if measure == MEMBERS:
        values = within({year: float(members) for year, members in series.items()})
        return Measured(party, measure, values, {year: year for year in values})
    if measure in (CHANGE, CHANGE_PERCENT):
        changes = (change_on_previous_year_end(series) if measure == CHANGE
                   else percent_change_on_previous_year_end(series))
        values = within({year: float(value) for year, value in changes.items()})
        return honest(Measured(party, measure, values, {year: year - 1 for year in values}))
    if measure == INDEX:
        if base_year is None:
            raise ValueError("an index needs a base year")
        indexed = indexed_to(series, base_year)
        if indexed is None:
            return Measured(party, measure, not_indexed=True)
        values = within(indexed)
        return honest(Measured(party, measure, values, {year: base_year for year in values}))
    raise ValueError(f"unknown measure {measure!r}")


def default_base_year(series_by_party: Mapping[str, Series], start: int, end: int) -> int:
    """The base year an index starts from when none is chosen: the year in start..end at which
    most of the parties have a year-end figure (the earliest such year), so most can be compared."""
    best, best_count = start, 0
    for year in range(start, end + 1):
        count = sum(1 for series in series_by_party.values() if series.get(year))
        if count > best_count:
            best, best_count = year, count
    return best


def parties_without_base(series_by_party: Mapping[str, Series], base_year: int) -> list[str]:
    """The parties (in order) that cannot be indexed to `base_year`: no year-end figure for it."""
    return [party for party, series in series_by_party.items() if not series.get(base_year)]

