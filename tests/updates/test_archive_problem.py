"""An uploaded ZIP is judged from its directory and its parts' first bytes before openpyxl opens it: a file
that is not a workbook says what it is instead, and an unsafe one is refused with why."""
from __future__ import annotations

import io
import zipfile

import pytest

from dashboard.updates import excel
from dashboard.updates.excel import archive_problem


def zip_of(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("part, kind", [("word/document.xml", "a Word document"),
                                        ("ppt/presentation.xml", "a PowerPoint file"),
                                        ("mimetype", "an OpenDocument file"), ("notes.txt", "a ZIP archive")])
def test_an_office_file_that_is_not_a_workbook_is_named_for_what_it_is(part: str, kind: str):
    assert archive_problem(zip_of({part: b"<x/>"})) == f"is {kind}, not an Excel .xlsx workbook"


def test_bytes_that_are_not_a_zip_are_a_damaged_archive():
    assert archive_problem(b"PK\x03\x04 not really") == "is a damaged ZIP archive, not a readable Excel .xlsx workbook"


def test_an_archive_of_too_many_parts_is_refused_before_its_kind_is_asked(monkeypatch):
    monkeypatch.setattr(excel, "MAX_MEMBERS", 3)
    problem = archive_problem(zip_of({f"word/{i}.xml": b"<x/>" for i in range(4)}))
    assert problem == "is a ZIP archive with 4 parts (limit 3): not a plain Excel workbook"


def test_a_workbook_too_big_when_unpacked_is_refused_before_any_part_is_read(monkeypatch):
    monkeypatch.setattr(excel, "MAX_UNCOMPRESSED_BYTES", 1024 * 1024)
    data = zip_of({"xl/workbook.xml": b"<workbook/>", "xl/a.xml": b"<!DOCTYPE x>" + b" " * 1024 * 1024})
    assert archive_problem(data) == "would expand to 1 MB when unpacked (limit 1 MB); refusing to open it"


def test_a_plain_workbook_has_no_problem():
    assert archive_problem(zip_of({"xl/workbook.xml": b"<workbook/>", "_rels/.rels": b"<Relationships/>"})) is None
