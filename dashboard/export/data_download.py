"""Data as CSV and XLSX files for download, safe to open in a spreadsheet."""
from __future__ import annotations

import io

import pandas as pd

from dashboard.core.dataset import Dataset
from dashboard.core.selection import shown_counts
from dashboard.core.view import View

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (CSV injection)."""
    if isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES):
        return "'" + cell
    return cell


def safe_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV of `frame` with every text cell neutralised; numbers are left as numbers."""
    text_columns = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    safe = frame.copy()
    for column in text_columns:
        safe[column] = safe[column].map(neutralise)
    return safe.to_csv(index=False, lineterminator="\n").encode("utf-8")


FIGURE_COLUMNS = ("party", "party_name", "year", "members", "as_of", "source", "url", "note")


def shown_figures(dataset: Dataset, view: View) -> pd.DataFrame:
    """The figures the chart of a resolved view shows, each with its party's name and source."""
    shown = shown_counts(dataset, view).copy()
    shown["party_name"] = [dataset.party_name(slug) for slug in shown["party"]]
    columns = [c for c in FIGURE_COLUMNS if c in shown.columns]
    columns += [c for c in shown.columns if c not in columns]  # any column the data gains (e.g. basis)
    return shown[columns].reset_index(drop=True)


def figures_csv(dataset: Dataset, view: View) -> bytes:
    """The figures shown, as CSV safe to open in a spreadsheet (the chart's "Get the data")."""
    return safe_csv(shown_figures(dataset, view))


def figures_xlsx(dataset: Dataset, view: View, about: dict[str, str]) -> bytes:
    """The figures shown as an .xlsx: a sheet of figures and a sheet saying what they are (`about`:
    title, view, data version, ...). Every text cell is written as text, never as a formula."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "figures"
    frame = shown_figures(dataset, view)
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([_text_cell(value) for value in row])
    about_sheet = book.create_sheet("about")
    for key, value in about.items():
        about_sheet.append([_text_cell(key), _text_cell(value)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text_cell(value: object) -> object:
    """A cell value for openpyxl: numbers stay numbers; text is neutralised (openpyxl would store
    '=...' as a live formula)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return neutralise("" if value is None else str(value))
