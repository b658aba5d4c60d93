"""One row of an upload compared with the data: what the preview shows and an apply writes."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Key = tuple  # a figure's (party, year, as_of); another table's key columns (core.tables)
Kind = Literal["added", "changed", "unchanged", "removed"]


@dataclass(frozen=True)
class Change:
    """One row of the upload compared with the data: a figure, or a row of another `table` (parties,
    events, related; core.tables). `old`/`new` are full records in the table's columns; `fields` names
    what differs. A removed row's `new` is the row as it was (what the preview shows going)."""

    kind: Kind
    key: Key
    new: dict
    old: dict | None = None
    fields: tuple[str, ...] = ()
    line: int | None = None
    sheet: str | None = None
    table: str = "membership"

    @property
    def after(self) -> dict | None:
        """The row as the data will hold it: None once removed."""
        return None if self.kind == "removed" else self.new

    @property
    def overwrites(self) -> bool:
        """Whether applying it changes what the data already says (the user confirms that); ending a term that
        had no end yet says more, not something else."""
        if self.kind == "removed":
            return self.table != "parties"   # a party is removed only when nothing names it (remove-party)
        if self.kind != "changed":
            return False
        return not (self.table == "events" and self.fields == ("end",) and not (self.old or {}).get("end"))
