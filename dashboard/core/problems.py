"""Located problems: what is wrong with a file, and exactly where, in words a person can act on."""
from __future__ import annotations

import re
from dataclasses import dataclass

# C0 and C1 control characters, DEL, and the bidirectional overrides that can make text display
# in an order other than it is stored ("Trojan source"); tab, newline and carriage return are
# ordinary whitespace in a cell.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def control_character(text: str) -> str | None:
    """Why `text` cannot be stored ("contains the control character U+001B at position 4"), or None."""
    found = CONTROL_CHARACTERS.search(text)
    if found is None:
        return None
    return (f"contains the control character U+{ord(found.group()):04X} at position {found.start() + 1}: "
            "remove it (it may be hidden, or pasted from a terminal)")


def printable(text: str) -> str:
    """Text safe to print to a terminal or log: control characters shown as escapes, never sent."""
    return CONTROL_CHARACTERS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located by file, sheet, row and column where known.

    `row` is the spreadsheet row number as a person sees it (the header is row 1 in a plain CSV).
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return printable(f"{', '.join(where)}: {self.message}")


class DataError(Exception):
    """Raised when a data file cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
