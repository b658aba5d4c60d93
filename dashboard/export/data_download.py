"""Data as a CSV file for download, safe to open in a spreadsheet."""
from __future__ import annotations

import pandas as pd

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
