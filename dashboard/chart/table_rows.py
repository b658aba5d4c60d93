"""The rows of the table of figures shown, as plain values: the page (Dash components) and the
static site (HTML text) both draw these, so the two tables cannot drift apart."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.chart.measure_labels import measure_heading, measure_value_text
from dashboard.chart.wording import value_text
from dashboard.core.dataset import Dataset, basis_of
from dashboard.core.measures import INDEX, MEMBERS
from dashboard.core.selection import date_label, records, shown_measures
from dashboard.core.view import View

COUNT_HEADINGS = ("Party", "Year", "Members", "Date", "Basis", "Source", "Note")
RELATED_HEADINGS = ("Party", "What was counted", "Count", "Date", "Source", "Note")


def safe_link(url: str) -> str | None:
    """The URL when it may be a link (http or https, in any case), else None: never javascript: etc."""
    return url if url.strip().lower().startswith(("https://", "http://")) else None


@dataclass(frozen=True)
class TableRow:
    """One row: every value is text to be escaped by whoever draws it; `link` is already safe."""

    party: str
    measure: str  # the year for a member count; what was counted for a related figure
    count: str
    date: str
    source: str
    link: str | None
    note: str
    year_end: bool
    basis: str | None = None   # what kind of figure it is, in words ("audited accounts"); None for related counts
    value: str | None = None   # the view's measure (change, index), when it is not the member count

    def cells(self) -> tuple[str, ...]:
        """The cells in heading order (the source cell is linked by the drawer when `link` is set)."""
        measured = () if self.value is None else (self.value,)
        basis = () if self.basis is None else (self.basis,)
        return (self.party, self.measure, self.count, *measured, self.date, *basis, self.source, self.note)


def count_headings(view: View | None = None) -> tuple[str, ...]:
    """The headings of the table of figures: the measure's own column follows Members."""
    heading = measure_heading(view) if view is not None else ""
    return (*COUNT_HEADINGS[:3], heading, *COUNT_HEADINGS[3:]) if heading else COUNT_HEADINGS


def number_columns(headings: tuple[str, ...]) -> set[int]:
    """The columns drawn right-aligned as numbers: counts and the measure."""
    return {i for i, h in enumerate(headings) if h in ("Members", "Count") or h.startswith(("Change", "Index"))}


def measure_cells(dataset: Dataset, view: View) -> dict[tuple[str, int], str]:
    """{(party, year): the measure's value as text, or why there is none}, for the table."""
    if view.measure == MEMBERS:
        return {}
    cells: dict[tuple[str, int], str] = {}
    assert view.start is not None and view.end is not None
    for measured in shown_measures(dataset, view):
        for year in range(view.start, view.end + 1):
            if year in measured.values:
                about = "about " if year in measured.approximate else ""
                cells[(measured.party, year)] = about + measure_value_text(view.measure, measured.values[year])
            elif year in measured.set_aside:  # a bound is never used as if it were the count
                cells[(measured.party, year)] = f"none: {measured.set_aside[year]}"
            elif measured.not_indexed:
                cells[(measured.party, year)] = f"not indexed: no {view.base_year} figure"
            else:
                cells[(measured.party, year)] = "no figure for " + str(year - 1 if view.measure != INDEX else year)
    return cells


def count_rows(dataset: Dataset, shown: pd.DataFrame, view: View | None = None) -> list[TableRow]:
    """One row per membership figure shown: party, year, exact count, the view's measure (when it
    is not the count), the date it refers to, source, note."""
    values = measure_cells(dataset, view) if view is not None else {}
    return [TableRow(dataset.party_name(r["party"]), str(r["year"]), value_text(int(r["members"]), str(r.get("bound") or "")),
                     date_label(r["as_of"], r["year"], str(r.get("date_precision") or "day"))
                     + ("" if r["as_of"] else " (year end)"),
                     r["source"], safe_link(r["url"]), r["note"], not r["as_of"], basis_of(r["basis"]).label,
                     values.get((r["party"], r["year"])) if values else None)
            for r in records(shown)]


def related_rows(dataset: Dataset) -> list[TableRow]:
    """Counts that are not members (supporters, leadership votes): kept apart from every member line."""
    return [TableRow(dataset.party_name(r.party) if r.party in dataset.parties else r.party.title(), r.measure,
                     f"{r.members:,}", date_label(r.as_of, r.year), r.source, safe_link(r.url), r.note, not r.as_of)
            for r in dataset.related.itertuples(index=False)]
