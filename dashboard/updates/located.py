"""Problems collected while reading an upload, each located by file, sheet, row and column, up to a bound:
a broken 50,000-row file must produce a readable list, not 50,000 lines."""
from __future__ import annotations

from dashboard.core.problems import Problem

MAX_PROBLEMS = 100
Located = tuple[str, int | None, str | None]  # message, row, column: a problem before its file and sheet


class ProblemList:
    """Collects problems up to MAX_PROBLEMS, then only counts them."""

    def __init__(self, file: str, sheet: str | None = None):
        self.file, self.sheet = file, sheet
        self.items: list[Problem] = []
        self.dropped = 0

    def add(self, message: str, row: int | None = None, column: str | None = None) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(Problem(self.file, message, row=row, column=column, sheet=self.sheet))
        else:
            self.dropped += 1

    def add_all(self, found: list[Located]) -> None:
        for message, row, column in found:
            self.add(message, row, column)

    def extend(self, problems: list[Problem]) -> None:
        for p in problems:
            if len(self.items) < MAX_PROBLEMS:
                self.items.append(p)
            else:
                self.dropped += 1

    def result(self) -> list[Problem]:
        if self.dropped:
            more = f"... and {self.dropped:,} more problems (the first {MAX_PROBLEMS} are listed)"
            return [*self.items, Problem(self.file, more)]
        return list(self.items)
