"""The table of the figures a view shows, as Dash components drawn from chart/table_rows.py.

Every cell is plain text (Dash escapes it); a link is made only from an http(s) URL.
"""
from __future__ import annotations

import functools

import pandas as pd
from dash import html

from dashboard.chart.table_rows import COUNT_HEADINGS, RELATED_HEADINGS, TableRow, count_rows, related_rows
from dashboard.core.dataset import Dataset
from dashboard.web import ids

NUMBER_COLUMN = 2


def _cells(row: TableRow, headings: tuple[str, ...]) -> list[html.Td]:
    cells = []
    for i, (heading, text) in enumerate(zip(headings, row.cells())):
        content: object = text
        if heading == "Source" and row.link:
            content = html.A(text, href=row.link, target="_blank", rel="noopener noreferrer")
        class_name = "num" if i == NUMBER_COLUMN else "note" if heading == "Note" else None
        cells.append(html.Td(content, className=class_name, **{"data-label": heading}))
    return cells


@functools.lru_cache(maxsize=16384)
def _count_row(row: TableRow) -> html.Tr:
    """One row's components, remembered: views share rows, and making Dash components is slow. The
    same component is sent in many answers and never changed after it is made."""
    return html.Tr(_cells(row, COUNT_HEADINGS), className="year-end" if row.year_end else "other-date")


def counts_table(dataset: Dataset, shown: pd.DataFrame, table_id: str = ids.FIGURES_TABLE) -> html.Table:
    """One row per figure shown: party, year, exact count, the date it refers to, source and note."""
    rows = [_count_row(row) for row in count_rows(dataset, shown)]
    return html.Table([
        html.Caption(f"{len(rows)} figures shown, with the source of each"),
        html.Thead(html.Tr([html.Th(c, scope="col") for c in COUNT_HEADINGS])),
        html.Tbody(rows),
    ], id=table_id, className="figures")


def related_table(dataset: Dataset) -> html.Table:
    """Counts that are not members (supporters, leadership votes): kept apart from every member line."""
    return html.Table([
        html.Thead(html.Tr([html.Th(c, scope="col") for c in RELATED_HEADINGS])),
        html.Tbody([html.Tr(_cells(row, RELATED_HEADINGS)) for row in related_rows(dataset)]),
    ], id=ids.RELATED_TABLE, className="figures")
