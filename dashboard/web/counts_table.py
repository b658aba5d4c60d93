"""The table of the figures a view shows, as Dash components drawn from chart/table_rows.py.

Every cell is plain text (Dash escapes it); a link is made only from an http(s) URL.
"""
from __future__ import annotations

import pandas as pd
from dash import html

from dashboard.chart.table_rows import COUNT_HEADINGS, RELATED_HEADINGS, TableRow, count_rows, related_rows
from dashboard.core.dataset import Dataset
from dashboard.web import ids

NUMBER_COLUMN = 2
# More rows than a reader scrolls through, and few enough for the browser to lay out at once.
MAX_TABLE_ROWS = 1000


def _cells(row: TableRow, headings: tuple[str, ...]) -> list[html.Td]:
    cells = []
    for i, (heading, text) in enumerate(zip(headings, row.cells())):
        content: object = text
        if heading == "Source" and row.link:
            content = html.A(text, href=row.link, target="_blank", rel="noopener noreferrer")
        class_name = "num" if i == NUMBER_COLUMN else "note" if heading == "Note" else None
        cells.append(html.Td(content, className=class_name, **{"data-label": heading}))
    return cells


def table_data(dataset: Dataset, shown: pd.DataFrame) -> dict:
    """One row per figure shown (party, year, exact count, the date it refers to, source, note), as
    plain values that assets/figures_table.js draws: the same cells, classes and links as
    `related_table`, without a Dash component for every cell."""
    rows = [{"cells": list(row.cells()), "link": row.link, "year_end": row.year_end}
            for row in count_rows(dataset, shown.iloc[:MAX_TABLE_ROWS])]
    caption = f"{len(shown)} figures shown, with the source of each"
    if len(shown) > MAX_TABLE_ROWS:
        caption = (f"The first {MAX_TABLE_ROWS:,} of {len(shown):,} figures shown, with the source of each; "
                   "the data download below has every figure with its source")
    return {"caption": caption, "headings": list(COUNT_HEADINGS), "number_column": NUMBER_COLUMN, "rows": rows}


def related_table(dataset: Dataset) -> html.Table:
    """Counts that are not members (supporters, leadership votes): kept apart from every member line."""
    return html.Table([
        html.Thead(html.Tr([html.Th(c, scope="col") for c in RELATED_HEADINGS])),
        html.Tbody([html.Tr(_cells(row, RELATED_HEADINGS)) for row in related_rows(dataset)]),
    ], id=ids.RELATED_TABLE, className="figures")
