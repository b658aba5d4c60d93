"""Read an uploaded .xlsx workbook that nobody has vetted, without letting it exhaust the server.

An .xlsx file is a ZIP of XML: the archive is checked (uncompressed size, compression ratio,
member count, DOCTYPE/ENTITY declarations) before openpyxl sees it, and every sheet is read
with row and column bounds. openpyxl parses through defusedxml as a second line of defence.
"""
from __future__ import annotations

import io
import time
import warnings
import zipfile
from dataclasses import dataclass
from typing import Any

from dashboard.core.problems import Problem
from dashboard.core.tabular import Table, cell_text

MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
MAX_RATIO = 250          # zip bombs reach thousands; real worksheets stay far below this
RATIO_CHECK_FROM = 2 * 1024 * 1024  # tiny members can have any ratio without harm
MAX_MEMBERS = 2000
PROLOG_BYTES = 64 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 100
# Reading is bounded well inside a server worker's timeout (gunicorn's default is 30 s): a sheet
# that would take longer, or hold more cells than a preview can show, is refused with a message
# instead of the worker being killed mid-way. 50,000 figures of 7 columns are 350,000 cells.
MAX_READ_SECONDS = 15.0
MAX_CELLS = 1_500_000
# A sheet that does not state its size (<dimension>, which Excel and LibreOffice always write) is
# parsed once more in full by openpyxl just to size it, before any row is read and outside any
# time limit: such sheets are held to a smaller size (about 4 s of parsing here).
MAX_UNSIZED_SHEET_BYTES = 16 * 1024 * 1024


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def archive_problem(data: bytes) -> str | None:
    """Why this ZIP must not be opened as a workbook, or None if it looks like a sane .xlsx."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return "is a damaged ZIP archive, not a readable Excel .xlsx workbook"
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            return f"is a ZIP archive with {len(infos)} parts (limit {MAX_MEMBERS}): not a plain Excel workbook"
        return (_kind_problem({info.filename for info in infos}) or _size_problem(infos)
                or next((p for info in infos if (p := _part_problem(archive, info))), None))


def _kind_problem(names: set[str]) -> str | None:
    """What else the archive is when it is not an Excel workbook (other Office files are ZIPs too)."""
    if "xl/workbook.xml" in names:
        return None
    kind = ("a Word document" if "word/document.xml" in names
            else "a PowerPoint file" if "ppt/presentation.xml" in names
            else "an OpenDocument file" if "mimetype" in names
            else "a ZIP archive")
    return f"is {kind}, not an Excel .xlsx workbook"


def _size_problem(infos: list[zipfile.ZipInfo]) -> str | None:
    """Why unpacking would be unsafe, read from the directory alone: a password, a zip bomb, too much in all."""
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            return "is encrypted: save it without a password"
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_CHECK_FROM and ratio > MAX_RATIO:
            return (f"looks like a zip bomb: '{info.filename}' would expand {ratio:.0f} times "
                    f"to {_mib(info.file_size)}; refusing to open it")
    if total > MAX_UNCOMPRESSED_BYTES:
        return (f"would expand to {_mib(total)} when unpacked (limit {_mib(MAX_UNCOMPRESSED_BYTES)}); "
                "refusing to open it")
    return None


def _part_problem(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str | None:
    """Why one XML part must not reach the parser, from its first bytes: damaged, an entity declaration, or a
    big sheet that does not state its size."""
    if not info.filename.endswith((".xml", ".rels")):
        return None
    try:
        with archive.open(info) as member:
            prolog = member.read(PROLOG_BYTES)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return f"is a damaged workbook: '{info.filename}' cannot be unpacked"
    if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
        return (f"contains an XML DOCTYPE/ENTITY declaration in '{info.filename}', which Excel never "
                "writes (a possible XML entity attack); refusing to open it")
    unsized = b"<dimension" not in prolog.split(b"<sheetData", 1)[0]
    if info.filename.startswith("xl/worksheets/") and unsized and info.file_size > MAX_UNSIZED_SHEET_BYTES:
        return (f"has a sheet of {_mib(info.file_size)} that does not state its size (limit "
                f"{_mib(MAX_UNSIZED_SHEET_BYTES)} for such sheets): open and save it in Excel or "
                "LibreOffice, or save it as CSV")
    return None


@dataclass
class Workbook:
    """An opened, checked workbook; close it when done (it holds the archive)."""

    file: str
    book: Any  # an openpyxl Workbook (openpyxl has no type hints)

    @property
    def sheet_names(self) -> list[str]:
        return list(self.book.sheetnames)

    def read_sheet(self, name: str, head: int | None = None) -> tuple[Table, list[Problem]]:
        """Cells of one sheet as text (cached values of formulas), within the row/column bounds;
        `head` reads only the first rows, to look for a header cheaply."""
        sheet = self.book[name]
        max_rows = head or MAX_ROWS
        rows: list[list[str]] = []
        problems: list[Problem] = []
        wide = False
        cells_read = 0
        deadline = time.monotonic() + MAX_READ_SECONDS
        from defusedxml import DefusedXmlException

        try:
            # Pad rows only to the sheet's stated width (a missing or absurd one is capped): padding
            # every row to the cap cost more than parsing the XML.
            width = min(sheet.max_column or MAX_COLUMNS + 1, MAX_COLUMNS + 1)
            for values in sheet.iter_rows(max_row=max_rows + 1, max_col=width, values_only=True):
                if len(rows) == max_rows:
                    if head is None:
                        problems.append(Problem(self.file, f"has more than {MAX_ROWS:,} rows (the limit)", sheet=name))
                    break
                if values.count(None) == len(values):
                    rows.append([])  # empty rows are cheap to skip: a sparse sheet may have many
                    continue
                cells = ["" if v is None else cell_text(v) for v in values]
                if len(cells) > MAX_COLUMNS:
                    wide = wide or any(cells[MAX_COLUMNS:])
                    cells = cells[:MAX_COLUMNS]
                rows.append(cells)
                cells_read += len(cells)
                if cells_read > MAX_CELLS or (len(rows) % 64 == 0 and time.monotonic() > deadline):
                    limit = (f"more than {MAX_CELLS:,} cells" if cells_read > MAX_CELLS
                             else f"more than {MAX_READ_SECONDS:g} seconds to read")
                    return Table(self.file, [], name), [Problem(
                        self.file, f"is too big to preview: it has {limit} (stopped at row {len(rows):,}); "
                        "split it into smaller files, or save it as CSV", sheet=name)]
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001 untrusted XML: any parser failure becomes a message
            if _caused_by(exc, DefusedXmlException):
                return Table(self.file, [], name), [Problem(self.file, "contains XML entity or DTD declarations "
                                                            "(a possible XML entity attack); refusing to read it", sheet=name)]
            return Table(self.file, [], name), [Problem(self.file, f"cannot be read ({type(exc).__name__})", sheet=name)]
        if wide:
            problems.append(Problem(self.file, f"has more than {MAX_COLUMNS} columns (the limit)", sheet=name))
        return Table(file=self.file, rows=rows, sheet=name), problems

    def close(self) -> None:
        self.book.close()


def _caused_by(exc: BaseException, kind: type) -> bool:
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 20:
        if isinstance(current, kind):
            return True
        current, seen = current.__cause__ or current.__context__, seen + 1
    return False


def open_workbook(data: bytes, file: str) -> tuple[Workbook | None, list[Problem]]:
    """The workbook, or a problem saying why it cannot be read safely."""
    reason = archive_problem(data)
    if reason:
        return None, [Problem(file, reason)]
    import openpyxl  # imported here: only Excel uploads pay for it
    from defusedxml import DefusedXmlException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "no default style", unsupported extensions: harmless
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 an untrusted file can make the parser fail in any way: report, don't crash
        if _caused_by(exc, DefusedXmlException):  # openpyxl wraps it in a ValueError
            return None, [Problem(file, "contains XML entity or DTD declarations (a possible XML entity attack); "
                                        "refusing to open it")]
        return None, [Problem(file, f"is not a readable Excel .xlsx workbook ({type(exc).__name__})")]
    return Workbook(file, book), []
