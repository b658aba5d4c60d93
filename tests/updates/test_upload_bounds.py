"""Reading an upload is bounded in time and memory well inside a server worker's timeout: what
would exceed the bounds is refused with a message, never read until the worker is killed."""
from __future__ import annotations

import openpyxl
import pytest
from updates_helpers import SHEET, xlsx_bytes

from dashboard.core.dataset import BUNDLED_DATA_PATH, load_dataset
from dashboard.updates import excel
from dashboard.updates.ingest import Defaults, read_upload

HEADER = ("party", "year", "members", "as_of", "source", "url", "note")


def cell(ref: str, value: str | int) -> str:
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def long_sheet(target_bytes: int, dimension: bool) -> str:
    """Sheet XML of invented dated figures (source "TEST: invented") up to about `target_bytes`."""
    parts = ['<row r="1">' + "".join(cell(f"{chr(65 + i)}1", h) for i, h in enumerate(HEADER)) + "</row>"]
    size, r = len(parts[0]), 2
    while size < target_bytes:
        year = 1950 + r % 70
        values = ("labour", year, 1000 + r, f"{year}-0{1 + r % 9}-1{r % 10}", "TEST: invented", "https://example.org/x", "n")
        row = f'<row r="{r}">' + "".join(cell(f"{chr(65 + i)}{r}", v) for i, v in enumerate(values)) + "</row>"
        parts.append(row)
        size, r = size + len(row), r + 1
    return SHEET.format(dimension=f'<dimension ref="A1:G{r - 1}"/>' if dimension else "", rows="".join(parts))


@pytest.fixture(scope="module")
def parties():
    return load_dataset(BUNDLED_DATA_PATH).parties


def test_the_largest_unsized_workbook_the_size_limit_admits_is_refused_at_once(parties, monkeypatch):
    """The issue's file: 59 MB of sheet XML without <dimension>, about 3-5 MB zipped; it took
    31.6 s and 549 MB, past gunicorn's 30 s timeout."""
    data = xlsx_bytes({"membership": long_sheet(59 * 1024 * 1024, dimension=False)})
    assert len(data) < 6 * 1024 * 1024

    def parsed(*args, **kwargs):
        raise AssertionError("openpyxl was given the workbook: it is refused only after parsing")

    monkeypatch.setattr(openpyxl, "load_workbook", parsed)  # refused before parsing, whatever the machine's speed
    upload = read_upload(data, "big.xlsx", parties, Defaults(), max_bytes=6 * 1024 * 1024)
    assert [p.message for p in upload.problems] == [
        "has a sheet of 59 MB that does not state its size (limit 16 MB for such sheets): open and save it in "
        "Excel or LibreOffice, or save it as CSV"]


def test_a_sheet_that_would_take_too_long_is_stopped_with_a_message(parties, monkeypatch):
    monkeypatch.setattr(excel, "MAX_READ_SECONDS", 0.5)
    data = xlsx_bytes({"membership": long_sheet(12 * 1024 * 1024, dimension=True)})
    upload = read_upload(data, "slow.xlsx", parties, Defaults(), max_bytes=6 * 1024 * 1024)
    assert len(upload.problems) == 1 and not upload.rows
    assert upload.problems[0].message.startswith("is too big to preview: it has more than 0.5 seconds to read")


def test_a_sheet_with_more_cells_than_the_bound_is_refused(parties, monkeypatch):
    monkeypatch.setattr(excel, "MAX_CELLS", 5_000)
    data = xlsx_bytes({"membership": long_sheet(400_000, dimension=True)})
    upload = read_upload(data, "many.xlsx", parties, Defaults())
    assert [p.message.split(" (stopped")[0] for p in upload.problems] == ["is too big to preview: it has more than 5,000 cells"]
