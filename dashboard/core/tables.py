"""The four files of the data folder as tables: their names, columns, the key that names a row, and the
order rows keep. A change to any of them is previewed, written, recorded and undone the same way.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dashboard.core.dataset import COLUMNS, EVENT_COLUMNS, PARTY_COLUMNS, PARTY_OPTIONAL, RELATED_COLUMNS


@dataclass(frozen=True)
class TableSpec:
    """One data file. New rows go among the rows of their `group` (a party's figures, a party's leaders),
    in `order`; a group the file does not have yet is added at its end."""

    name: str                     # how the history and the previews name it
    file: str                     # its file name in the data folder
    columns: tuple[str, ...]
    key: tuple[str, ...]          # the columns that identify a row
    group: tuple[str, ...] = ()
    order: tuple[str, ...] = ()
    lower: tuple[str, ...] = ()   # key columns compared in lower case (slugs)


MEMBERSHIP = TableSpec("membership", "membership.csv", COLUMNS, ("party", "year", "as_of"), ("party",),
                       ("year", "as_of"), ("party",))
PARTIES = TableSpec("parties", "parties.csv", (*PARTY_COLUMNS, *PARTY_OPTIONAL), ("slug",), lower=("slug",))
EVENTS = TableSpec("events", "events.csv", EVENT_COLUMNS, ("kind", "party", "start"), ("kind", "party"), ("start",),
                   ("kind", "party"))
RELATED = TableSpec("related", "other_figures.csv", RELATED_COLUMNS, ("party", "year", "as_of", "measure"), ("party",),
                    ("year", "as_of"), ("party",))

TABLES: dict[str, TableSpec] = {spec.name: spec for spec in (MEMBERSHIP, PARTIES, EVENTS, RELATED)}
# The order a change writes its files in: parties first, so the figures and terms that name a new party
# never reach the disk before it (undo goes the other way), and every moment in between is valid data.
WRITE_ORDER = ("parties", "events", "related", "membership")


def key_text(spec: TableSpec, values: Mapping[str, object]) -> tuple[str, ...]:
    """A row's key as text, the same for a record (year an int) and a file's cells (year as written)."""
    return tuple(str(values.get(c, "") or "").strip().lower() if c in spec.lower else str(values.get(c, "") or "").strip()
                 for c in spec.key)
