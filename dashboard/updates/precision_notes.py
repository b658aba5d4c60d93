"""What a preview says of how precisely the figures it writes are known (core/precision.py): a figure
whose file gives no date precision is taken as known to the day, and one whose note bounds it ('more
than 260,000') while the file gives no bound is drawn as exact. Nothing guesses either: the preview
says so, and the file or the form can give them.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from dashboard.core.precision import BOUNDS, PRECISIONS, derive_bound
from dashboard.updates.change import Change
from dashboard.updates.wording import describe_key


def _listed(changes: Sequence[Change], names: Mapping[str, str] | None) -> str:
    shown = ", ".join(describe_key(c.key, names) for c in changes[:3])
    return shown + (", ..." if len(changes) > 3 else "")


def precision_notices(upload, changes: Sequence[Change], names: Mapping[str, str] | None) -> list[str]:
    """The preview's notes on the figures an upload adds or changes: those dated with no precision given,
    and those whose note bounds them with no bound given."""
    rows = {row.key: row for row in upload.rows}
    written = [c for c in changes if c.table == "membership" and c.kind in ("added", "changed") and c.key in rows]
    how = ("upload a file with a date_precision column" if upload.shape == "form"
           else "add a date_precision column")
    notices = []
    # a dated figure added or given a new count (a year-end figure is a point at 31 December); a file that
    # corrects only a note says nothing of the date
    undated = [c for c in written if c.new.get("as_of") and (c.kind == "added" or "members" in c.fields)
               and "date_precision" not in rows[c.key].given and not c.new.get("date_precision")]
    if undated:
        n = len(undated)
        notices.append(f"{n} figure{'s' if n != 1 else ''} with no date precision given, so each date is taken as "
                       f"known to the day ({_listed(undated, names)}). If a date is known only to the month or the "
                       f"year, or only approximately, {how} ({', '.join(PRECISIONS)}).")
    unbounded = [c for c in written if "bound" not in rows[c.key].given and not c.new.get("bound")
                 and derive_bound(int(c.new["members"]), str(c.new.get("note") or ""))]
    if unbounded:
        n = len(unbounded)
        how = "upload a file with a bound column" if upload.shape == "form" else "add a bound column"
        notices.append(f"The note of {_listed(unbounded, names)} bounds {'its figure' if n == 1 else 'their figures'} "
                       f"('below', 'more than', 'about'), but no bound is given, so "
                       f"{'it is' if n == 1 else 'they are'} drawn as exact: to draw a bound, {how} "
                       f"({', '.join(BOUNDS)}).")
    return notices
