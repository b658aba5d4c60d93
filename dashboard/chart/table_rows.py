"""The rows of the table of figures shown, as plain values: the page (Dash components) and the
static site (HTML text) both draw these, so the two tables cannot drift apart."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.core.dataset import Dataset, basis_of
from dashboard.core.selection import date_label, records

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

    def cells(self) -> tuple[str, ...]:
        """The cells in heading order (the source cell is linked by the drawer when `link` is set)."""
        basis = () if self.basis is None else (self.basis,)
        return (self.party, self.measure, self.count, self.date, *basis, self.source, self.note)


def count_rows(dataset: Dataset, shown: pd.DataFrame) -> list[TableRow]:
    """One row per membership figure shown: party, year, exact count, the date it refers to, source, note."""
    return [TableRow(dataset.party_name(r["party"]), str(r["year"]), f"{r['members']:,}",
                     date_label(r["as_of"], r["year"]) + ("" if r["as_of"] else " (year end)"),
                     r["source"], safe_link(r["url"]), r["note"], not r["as_of"], basis_of(r["basis"]).label)
            for r in records(shown)]


def related_rows(dataset: Dataset) -> list[TableRow]:
    """Counts that are not members (supporters, leadership votes): kept apart from every member line."""
    return [TableRow(dataset.party_name(r.party) if r.party in dataset.parties else r.party.title(), r.measure,
                     f"{r.members:,}", date_label(r.as_of, r.year), r.source, safe_link(r.url), r.note, not r.as_of)
            for r in dataset.related.itertuples(index=False)]
