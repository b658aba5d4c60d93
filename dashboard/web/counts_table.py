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


def counts_table(dataset: Dataset, shown: pd.DataFrame, view: View | None = None,
                 table_id: str = ids.FIGURES_TABLE) -> html.Table:
    """One row per figure shown: party, year, exact count, the view's measure, the date it refers
    to, source and note. The chart's accessible fallback: every value the chart draws is here."""
    headings = count_headings(view)
    rows = [html.Tr(_cells(row, headings), className="year-end" if row.year_end else "other-date")
            for row in count_rows(dataset, shown, view)]
    caption = f"{len(rows)} figures shown, with the source of each"
    if view is not None and view.measure in YEAR_END_ONLY:
        caption += "; year-end figures only (figures at other dates are not used in this measure)"
    return html.Table([
        html.Caption(caption),
        html.Thead(html.Tr([html.Th(c, scope="col") for c in headings])),
        html.Tbody(rows),
    ], id=table_id, className="figures")


def related_table(dataset: Dataset) -> html.Table:
    """Counts that are not members (supporters, leadership votes): kept apart from every member line."""
    return html.Table([
        html.Thead(html.Tr([html.Th(c, scope="col") for c in RELATED_HEADINGS])),
        html.Tbody([html.Tr(_cells(row, RELATED_HEADINGS)) for row in related_rows(dataset)]),
    ], id=ids.RELATED_TABLE, className="figures")
