"""What an uploaded file is, judged by its content and not only its name, and its text.

A PDF or an image renamed .csv, a legacy .xls, an empty file: each gets a message that says what
it is and what to do, before any parser sees it.
"""
from __future__ import annotations

import re
from pathlib import PurePath

_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"{\\rtf", "an RTF document"),
    (b"PK\x05\x06", "an empty ZIP archive"),
)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_ACCEPTED_SUFFIXES = ("", ".csv", ".txt", ".tsv", ".xlsx", ".xlsm")


def human_size(n: int) -> str:
    """5 MB, 1.5 MB, 300 KB: how the panel and messages state sizes."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    return (f"{n / 1024:.1f}".removesuffix(".0") + " KB") if n >= 1024 else f"{n} bytes"


def safe_name(filename: str) -> str:
    """The file's own name, without any client-supplied directories or control characters."""
    name = PurePath(str(filename).replace("\\", "/")).name
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    return name[:120] or "upload"


def sniff(data: bytes, file: str) -> tuple[str | None, str | None]:
    """('csv' | 'xlsx', None) or (None, why it is neither), from the content, not just the name."""
    suffix = PurePath(file).suffix.lower()
    if not data.strip(b"\xef\xbb\xbf \t\r\n"):
        return None, "is empty" + (" (0 bytes)" if not data else ": it has no rows")
    if suffix == ".xls" or data.startswith(_OLE2):
        return None, ("is a legacy Excel .xls workbook (or a password-protected one), which is not supported: "
                      "open it in Excel and save it as .xlsx or CSV")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return None, f"is {kind}, not a CSV or Excel .xlsx file"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return None, "is a WebP image, not a CSV or Excel .xlsx file"
    if suffix not in _ACCEPTED_SUFFIXES:
        return None, f"has the unsupported type '{suffix}': upload a .csv or .xlsx file"
    if data.startswith(_ZIP):
        return "xlsx", None
    return "csv", None


def decode(data: bytes) -> tuple[str | None, str | None]:
    """Text from UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252, or why not."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            return None, "is not valid UTF-16 text"
    if b"\x00" in data[:8192]:
        return None, "is binary data, not a CSV or Excel .xlsx file"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), None
    except UnicodeDecodeError as exc:
        return None, (f"is not text in UTF-8 or Windows-1252 (byte 0x{data[exc.start]:02x} at position {exc.start}): "
                      "save it as CSV UTF-8")
