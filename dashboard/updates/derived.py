"""The bound and date precision of each figure, derived from its note's words (core/precision.py), as a
change to the data like any other: previewed, written by the store as one change in the history, and
undone by `membership undo` (which puts back the file as it was, without the columns).

Run once (`membership derive-precision`), reviewed, and kept as data: a figure whose bound or precision the
file already gives is left as it is, so a later run changes nothing that was given or corrected since.
"""
from __future__ import annotations

from dashboard.core.dataset import Dataset
from dashboard.core.precision import derive_bound, derive_precision
from dashboard.updates.change import Change
from dashboard.updates.changes import Preview, existing_records

SOURCE = "membership derive-precision"


def derived_preview(dataset: Dataset) -> Preview:
    """Every figure whose note bounds it or says its date is known less than to the day, and that the
    data gives no bound or precision for yet, with the values the rule derives."""
    changes = []
    for key, rows in existing_records(dataset).items():
        for old in rows:
            if old.get("bound") or old.get("date_precision"):
                continue  # given (or derived) before: data now, not words
            new = {**old, "bound": derive_bound(int(old["members"]), str(old["note"])),
                   "date_precision": derive_precision(str(old["note"]))}
            fields = tuple(name for name in ("bound", "date_precision") if new[name])
            if fields:
                changes.append(Change("changed", key, new, old, fields))
    return Preview(file=SOURCE, base_version=dataset.version, changes=tuple(changes), shape="the notes' words",
                   base_files=tuple(sorted(dataset.file_versions.items())))
