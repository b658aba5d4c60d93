"""The table of the figures a view shows, as Dash HTML components.

Every cell is plain text (Dash escapes it); a link is made only from an http(s) URL.
"""
from __future__ import annotations

import pandas as pd
from dash import html

from dashboard.core.dataset import Dataset
from dashboard.core.selection import date_label

COLUMNS = ("Party", "Year", "Members", "Date", "Source", "Note")


def safe_link(url: str) -> str | None:
    return url if url.lower().startswith(("https://", "http://")) else None


def source_cell(source: str, url: str):
    href = safe_link(url)
    return html.A(source, href=href, target="_blank", rel="noopener noreferrer") if href else source


def figures_table(dataset: Dataset, shown: pd.DataFrame, table_id: str = "figures-table") -> html.Table:
    """One row per figure shown: party, year, exact count, the date it refers to, source and note."""
    rows = [
        html.Tr([
            html.Td(dataset.party_name(r.party), **{"data-label": "Party"}),
            html.Td(str(r.year), **{"data-label": "Year"}),
            html.Td(f"{r.members:,}", className="num", **{"data-label": "Members"}),
            html.Td(date_label(r.as_of, r.year) + ("" if r.as_of else " (year end)"), **{"data-label": "Date"}),
            html.Td(source_cell(r.source, r.url), **{"data-label": "Source"}),
            html.Td(r.note, className="note", **{"data-label": "Note"}),
        ], className="year-end" if not r.as_of else "other-date")
        for r in shown.itertuples(index=False)
    ]
    return html.Table([
        html.Caption(f"{len(shown)} figures shown, with the source of each"),
        html.Thead(html.Tr([html.Th(c, scope="col") for c in COLUMNS])),
        html.Tbody(rows),
    ], id=table_id, className="figures")


def related_table(dataset: Dataset) -> html.Table:
    """Counts that are not members (supporters, leadership votes): kept apart from every member line."""
    rows = [
        html.Tr([
            html.Td(dataset.party_name(r.party) if r.party in dataset.parties else r.party.title(), **{"data-label": "Party"}),
            html.Td(r.measure, **{"data-label": "What was counted"}),
            html.Td(f"{r.members:,}", className="num", **{"data-label": "Count"}),
            html.Td(date_label(r.as_of, r.year), **{"data-label": "Date"}),
            html.Td(source_cell(r.source, r.url), **{"data-label": "Source"}),
            html.Td(r.note, className="note", **{"data-label": "Note"}),
        ])
        for r in dataset.related.itertuples(index=False)
    ]
    header = ("Party", "What was counted", "Count", "Date", "Source", "Note")
    return html.Table([
        html.Thead(html.Tr([html.Th(c, scope="col") for c in header])),
        html.Tbody(rows),
    ], id="related-table", className="figures")
