"""Builders for update tests: hand-made .xlsx files (formulas with cached values, hostile
archives) and figures taken from the real data rather than typed in."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from dashboard.core.dataset import Dataset, load_dataset

INVENTED_SOURCE = "TEST: invented figure (not a real count)"

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
{sheets}
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets>{sheets}</sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"""
SHEET = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>{rows}</sheetData></worksheet>"""


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_xml(ref: str, value) -> str:
    """A cell: str -> inline string, int/float -> number, ('=formula', cached) -> formula with cached value."""
    if value is None or value == "":
        return ""
    if isinstance(value, tuple):
        formula, cached = value
        return f'<c r="{ref}"><f>{escape(formula.lstrip("="))}</f><v>{cached}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def sheet_xml(rows: list[list], dimension: str | None = None) -> str:
    body = "".join(
        f'<row r="{r + 1}">' + "".join(cell_xml(f"{column_letter(c)}{r + 1}", v) for c, v in enumerate(row)) + "</row>"
        for r, row in enumerate(rows)
    )
    return SHEET.format(dimension=f'<dimension ref="{dimension}"/>' if dimension else "", rows=body)


def xlsx_bytes(sheets: dict[str, list[list] | str], extra: dict[str, bytes | str] | None = None,
               compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A minimal .xlsx; a sheet given as str is used as its raw XML."""
    names = list(sheets)
    parts = {
        "[Content_Types].xml": CONTENT_TYPES.format(sheets="".join(
            f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(len(names)))),
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": WORKBOOK.format(sheets="".join(
            f'<sheet name="{escape(n)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, n in enumerate(names))),
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.format(rels="".join(
            f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            f'Target="worksheets/sheet{i + 1}.xml"/>' for i in range(len(names)))),
    }
    for i, name in enumerate(names):
        content = sheets[name]
        parts[f"xl/worksheets/sheet{i + 1}.xml"] = content if isinstance(content, str) else sheet_xml(content)
    parts.update(extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def dataset_at(data_dir: Path) -> Dataset:
    return load_dataset(data_dir / "membership.csv")


def real_year_end(dataset: Dataset, party: str = "labour") -> tuple[int, int]:
    """(year, members) of the latest year-end figure in the data: a real figure, not typed in."""
    rows = dataset.year_ends()
    row = rows[rows["party"] == party].sort_values("year").iloc[-1]
    return int(row["year"]), int(row["members"])


def first_free_year_end(dataset: Dataset, party: str = "labour") -> int:
    """The first year after the party's latest year-end figure: where an invented figure is new."""
    return real_year_end(dataset, party)[0] + 1
