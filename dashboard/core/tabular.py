"""Read a CSV or Excel file into plain text cells, so every later check sees the same thing.

Cells come back as strings exactly as a person would read them in a spreadsheet: Excel numbers
without a trailing `.0`, dates as ISO `YYYY-MM-DD`, empty cells as "".
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from dashboard.core.problems import Problem

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
PREFERRED_SHEET = "membership"


@dataclass(frozen=True)
class Table:
    """Rows of text cells; `first_row` is the spreadsheet row number of `rows[0]` (1-based)."""

    file: str
    rows: list[list[str]]
    sheet: str | None = None
    first_row: int = 1


def cell_text(value: object) -> str:
    """One Excel cell value as the text a person sees in the cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


class CsvUnreadable(ValueError):
    """CSV text the csv module cannot parse (a field over its size limit, a stray NUL); `row` locates it."""

    def __init__(self, row: int, message: str):
        super().__init__(message)
        self.row = row


def read_csv_text(text: str, file: str) -> Table:
    """Parse CSV text (delimiter `,` or `;`, sniffed from the header line). Raises CsvUnreadable."""
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append([c.strip() for c in row])
    except csv.Error as exc:
        reason = str(exc)
        if "field larger than field limit" in reason:
            reason = f"has a cell longer than {csv.field_size_limit():,} characters"
        raise CsvUnreadable(len(rows) + 1, f"cannot be read as CSV: {reason}") from None
    return Table(file=file, rows=rows)


def read_xlsx_bytes(data: bytes, file: str, sheet: str | None = None) -> Table:
    """First sheet, or the sheet named `membership`, or the one asked for; cached formula values."""
    import openpyxl  # imported here: only Excel files pay for it

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        names = workbook.sheetnames
        if sheet is None:
            sheet = next((n for n in names if n.strip().lower() == PREFERRED_SHEET), names[0])
        elif sheet not in names:
            raise ValueError(f"has no sheet named '{sheet}' (sheets: {', '.join(names)})")
        rows = [[cell_text(v) for v in row] for row in workbook[sheet].iter_rows(values_only=True)]
    finally:
        workbook.close()
    return Table(file=file, rows=rows, sheet=sheet)


def read_table(path: Path) -> tuple[Table | None, list[Problem]]:
    """Read a data file from disk; on failure, the reason as a located problem instead of a table."""
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem(name, f"file not found: {path}")]
    except OSError as exc:
        return None, [Problem(name, f"cannot be read: {exc.strerror or exc}")]
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        try:
            return read_xlsx_bytes(data, name), []
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
            detail = str(exc) if isinstance(exc, ValueError) else "not a readable Excel .xlsx workbook"
            return None, [Problem(name, f"{detail}")]
    if suffix == ".xls":
        return None, [Problem(name, "legacy Excel .xls is not supported: save it as .xlsx or .csv")]
    if suffix != ".csv":
        return None, [Problem(name, f"unsupported file type '{suffix or '(none)'}': use .csv or .xlsx")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem(name, f"not UTF-8 text (byte {exc.start}): save it as CSV UTF-8")]
    try:
        return read_csv_text(text, name), []
    except CsvUnreadable as exc:
        return None, [Problem(name, str(exc), row=exc.row)]
