"""The table of the figures a view shows, as Dash components drawn from chart/table_rows.py.

Every cell is plain text (Dash escapes it); a link is made only from an http(s) URL.
"""
from __future__ import annotations

import pandas as pd
from dash import html

from dashboard.chart.table_rows import RELATED_HEADINGS, TableRow, count_headings, count_rows, number_columns, related_rows
from dashboard.core.dataset import Dataset
from dashboard.core.measures import YEAR_END_ONLY
from dashboard.core.view import View
from dashboard.web import ids

# More rows than a reader scrolls through, and few enough for the browser to lay out at once.
MAX_TABLE_ROWS = 1000


def _cells(row: TableRow, headings: tuple[str, ...]) -> list[html.Td]:
    cells = []
    numbers = number_columns(headings)
    for i, (heading, text) in enumerate(zip(headings, row.cells())):
        content: object = text
        if heading == "Source" and row.link:
            content = html.A(text, href=row.link, target="_blank", rel="noopener noreferrer")
        class_name = "num" if i in numbers else "note" if heading == "Note" else None
        cells.append(html.Td(content, className=class_name, **{"data-label": heading}))
    return cells


def table_data(dataset: Dataset, shown: pd.DataFrame, view: View | None = None) -> dict:
    """One row per figure shown (party, year, exact count, the view's measure when it is not the
    count, the date it refers to, source, note), as plain values that assets/figures_table.js
    draws: the same cells, classes and links as `related_table`, without a Dash component for every
    cell. The chart's accessible fallback: every value the chart draws is here."""
    headings = count_headings(view)
    rows = [{"cells": list(row.cells()), "link": row.link, "year_end": row.year_end}
            for row in count_rows(dataset, shown.iloc[:MAX_TABLE_ROWS], view)]
    caption = f"{len(shown)} figures shown, with the source of each"
    if len(shown) > MAX_TABLE_ROWS:
        caption = (f"The first {MAX_TABLE_ROWS:,} of {len(shown):,} figures shown, with the source of each; "
                   "the data download below has every figure with its source")
    if view is not None and view.measure in YEAR_END_ONLY:
        caption += "; year-end figures only (figures at other dates are not used in this measure)"
    return {"caption": caption, "headings": list(headings), "number_columns": sorted(number_columns(headings)),
            "rows": rows}


def figures_table(table: dict) -> html.Table:
    """The table of figures as assets/figures_table.js draws it from `table_data`'s rows (the same
    elements, classes and links), for the page's first response, before any script has run."""
    headings, numbers = table["headings"], set(table["number_columns"])
    rows = []
    for row in table["rows"]:
        cells = []
        for i, (heading, text) in enumerate(zip(headings, row["cells"])):
            content: object = text
            if heading == "Source" and row["link"]:
                content = html.A(text, href=row["link"], target="_blank", rel="noopener noreferrer")
            class_name = "note" if heading == "Note" else "num" if i in numbers else None
            cells.append(html.Td(content, className=class_name, **{"data-label": heading}))
        rows.append(html.Tr(cells, className="year-end" if row["year_end"] else "other-date"))
    return html.Table([
        html.Caption(table["caption"]),
        html.Thead(html.Tr([html.Th(heading, scope="col") for heading in headings])),
        html.Tbody(rows),
    ], id=ids.FIGURES_TABLE, className="figures")


def related_table(dataset: Dataset) -> html.Table:
    """Counts that are not members (supporters, leadership votes): kept apart from every member line."""
    return html.Table([
        html.Thead(html.Tr([html.Th(c, scope="col") for c in RELATED_HEADINGS])),
        html.Tbody([html.Tr(_cells(row, RELATED_HEADINGS)) for row in related_rows(dataset)]),
    ], id=ids.RELATED_TABLE, className="figures")
