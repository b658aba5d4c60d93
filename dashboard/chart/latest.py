"""The latest figures side by side: for each party shown, its latest figure with date and basis, its
latest audited figure if that is another one, the change on the year end before, and its peak; and
one sentence comparing the parties, saying plainly when their figures differ in date or basis.

Everything is computed from the figures a view shows, so a new figure changes the words. The page's
panel (web/latest_panel.py), the exported image's footer and the alt text all use these.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dashboard.chart.wording import basis_phrase, bounds, order, possessive, value_text, when_text
from dashboard.core.dataset import Dataset, basis_of
from dashboard.core.memo import remembered
from dashboard.core.selection import figure_date, shown_by_party
from dashboard.core.view import View


@dataclass(frozen=True)
class Figure:
    """One membership figure as the panel and the sentence need it."""

    members: int
    year: int
    as_of: str
    basis: str
    note: str
    source: str
    bound: str = ""          # core/precision.py: "", "below", "above" or "about"
    precision: str = "day"   # how precisely its date is known

    @property
    def date(self) -> dt.date:
        return figure_date(self.as_of, self.year)

    @property
    def value(self) -> str:
        return value_text(self.members, self.bound)

    @property
    def when(self) -> str:
        return when_text(self.as_of, self.year, self.precision)

    @property
    def basis_label(self) -> str:
        return basis_of(self.basis).label


@dataclass(frozen=True)
class LatestRow:
    slug: str
    name: str
    latest: Figure
    audited: Figure | None        # the latest audited figure, when the latest one is not it
    has_audited: bool             # whether any audited figure is shown (the latest may be it)
    previous_year_end: Figure | None
    peak: Figure
    label: str = ""               # the party's short name ("Lib Dems"), for tight spaces

    @property
    def change(self) -> str:
        """'down 83,235 on 31 Dec 2024' (the year end before the latest figure), or why there is none."""
        before = self.previous_year_end
        if before is None:
            return "no earlier year-end figure"
        diff = self.latest.members - before.members
        if diff == 0:
            return f"unchanged on {before.when}"
        caveat = "" if not self.latest.bound else " (latest is not exact)"
        return f"{'up' if diff > 0 else 'down'} {abs(diff):,} on {before.when}{caveat}"


def _figure(row: dict) -> Figure:
    return Figure(int(row["members"]), int(row["year"]), str(row["as_of"]), str(row["basis"]), str(row["note"]),
                  str(row["source"]), str(row.get("bound") or ""), str(row.get("date_precision") or "day"))


def latest_rows(dataset: Dataset, view: View) -> list[LatestRow]:
    """One row per party shown that has a figure in the view, in the view's party order (remembered
    per view: the chart, its footer, the panel and the alt text all ask)."""
    return list(remembered("latest_rows", dataset, view, lambda: _latest_rows(dataset, view)))


def _latest_rows(dataset: Dataset, view: View) -> list[LatestRow]:
    rows = []
    for slug, (year_end_rows, other_rows) in shown_by_party(dataset, view).items():
        if not year_end_rows and not other_rows:
            continue
        figures = sorted(map(_figure, year_end_rows + other_rows), key=lambda f: (f.date, f.as_of == ""))
        latest = figures[-1]
        audited = [f for f in figures if f.basis == "accounts"]
        year_ends = [f for f in figures if not f.as_of and f.date < latest.date]
        peak = max(figures, key=lambda f: (f.members, -f.date.toordinal()))
        party = dataset.parties.get(slug)
        rows.append(LatestRow(slug, dataset.party_name(slug), latest,
                              audited[-1] if audited and audited[-1] != latest else None, bool(audited),
                              year_ends[-1] if year_ends else None, peak,
                              party.label if party else slug))
    return rows


def _stated(figure: Figure) -> str:
    """'268,631 (the party's own claim, Dec 2025)'."""
    return f"{figure.value} ({basis_phrase(figure.basis)}, {figure.when})"


def relation(higher: Figure, lower: Figure) -> str:
    """How two figures compare, honest about bounds: 'below 250,000' is not known to be above 240,000,
    but it is above 'more than 90,000' as any reader takes those words (wording.order)."""
    a, b = bounds(higher.members, higher.bound), bounds(lower.members, lower.bound)
    if a.kind == b.kind == "exact" and a.value == b.value:
        return "equals"
    return {1: "is above", -1: "is below"}.get(order(a, b), "cannot be ranked against")


def _names(names: list[str], last: str = "or") -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {last} " + names[-1]


def _audited_clause(rows: list[LatestRow], brief: bool = False) -> str:
    """Where the latest figures are not audited: each party's last audited figure, or that it has none."""
    with_audited = [r for r in rows if r.audited is not None]
    missing = [r.name for r in rows if not r.has_audited]
    if brief:
        parts = []
        if with_audited:
            parts.append("the last audited figures are " + _names(
                [f"{possessive(r.name)} {r.audited.value} ({r.audited.when})" for r in with_audited if r.audited],
                "and"))
        if missing:
            parts.append(f"none is shown for {_names(missing)}")
        return ", and ".join(parts)
    found = [f"{possessive(r.name)} last audited figure is {r.audited.value} ({r.audited.when})"
             for r in with_audited if r.audited]
    if missing:
        found.append(f"no audited figure is shown for {_names(missing)}")
    return " and ".join(found)


def differences(rows: list[LatestRow]) -> str:
    """'date', 'basis', 'date and basis', or '' when the latest figures are alike in both."""
    dates = {r.latest.date for r in rows}
    bases = {r.latest.basis for r in rows}
    return " and ".join(w for w, n in (("date", len(dates)), ("basis", len(bases))) if n > 1)


def comparison_sentence(rows: list[LatestRow]) -> str:
    """One sentence on the parties' latest figures, saying when they differ in date or basis."""
    if not rows:
        return ""
    clause = _audited_clause([r for r in rows if r.latest.basis != "accounts"])
    if len(rows) == 1:
        row = rows[0]
        text = f"{possessive(row.name)} latest figure is {_stated(row.latest)}"
        if row.audited is not None:
            text += f"; its last audited figure is {row.audited.value} ({row.audited.when})"
        elif row.latest.basis != "accounts":
            text += "; no audited figure is shown for it"
        return text + "."
    ranked = sorted(rows, key=lambda r: -r.latest.members)
    differ = differences(ranked)
    if not differ:
        first = ranked[0].latest
        listed = ", ".join(f"{r.name} {r.latest.value}" for r in ranked)
        text = f"The latest figures are of one kind ({basis_of(first.basis).label}) and one date ({first.when}): {listed}"
        return text + (f"; {clause}" if clause else "") + "."
    if len(rows) == 2:
        high, low = ranked
        text = (f"The latest figures differ in {differ}: {possessive(high.name)}, {_stated(high.latest)}, "
                f"{relation(high.latest, low.latest)} {possessive(low.name)}, {_stated(low.latest)}")
        return text + (f", while {clause}" if clause else "") + "."
    # three parties or more: the short basis labels, so that the sentence still fits an image's note
    listed = "; ".join(f"{r.name} {r.latest.value} ({r.latest.basis_label}, {r.latest.when})" for r in ranked)
    brief = _audited_clause([r for r in rows if r.latest.basis != "accounts"], brief=True)
    return f"The latest figures differ in {differ}: {listed}" + (f"; {brief}" if brief else "") + "."
