"""Preview, then apply: the one path every change takes, from the page and from the command line.

What the user gave (a file of any kind, one of the page's forms, or a party to remove) becomes a Preview;
`verdict` says whether it may be applied as it stands; `apply` writes exactly what was previewed, or says
why not. The page's callbacks and `membership import` only translate their inputs into a Proposal and an
Outcome into their own words.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from dashboard.core.dataset import Dataset
from dashboard.core.problems import Problem
from dashboard.updates.changes import Preview, diff
from dashboard.updates.derived import derived_preview
from dashboard.updates.forms import read_event_form, read_form, read_party_form
from dashboard.updates.ingest import DEFAULT_MAX_UPLOAD_BYTES, Defaults, read_upload
from dashboard.updates.party_changes import removal
from dashboard.updates.store import Entry, HasProblems, NeedsOverwrite, Refused, Store
from dashboard.updates.voice import CLI, Voice

Verdict = Literal["problems", "nothing", "needs_overwrite", "ready"]
Status = Literal["applied", "nothing", "problems", "needs_overwrite", "refused"]


@dataclass(frozen=True)
class Proposal:
    """What the user asks to change: a file's bytes (with the choices made beside it), a form's fields, or a
    party to remove; and the words its messages use (the page's or the command line's)."""

    name: str
    data: bytes | None = None
    fields: Mapping[str, object] | None = None   # a form's, when there is no file
    defaults: Defaults = Defaults()
    sheet: str | None = None
    form: str = "figure"                         # which form: figure, party or event
    remove_party: str | None = None              # the slug of a party to remove
    derive_precision: bool = False               # each figure's bound and date precision from its note (derived.py)
    voice: Voice = CLI

    @property
    def is_form(self) -> bool:
        return self.fields is not None


@dataclass(frozen=True)
class Shown:
    """What the user was shown: an apply writes only that, on the files it was computed against."""

    stamp: object     # Preview.stamp(): the versions of the files it writes
    digest: object


@dataclass(frozen=True)
class Outcome:
    """How an apply ended: `entry` when something was written, else why not (`problems` for bad input)."""

    status: Status
    message: str = ""
    entry: Entry | None = None
    problems: tuple[Problem, ...] = field(default=())


def preview(dataset: Dataset, proposal: Proposal, max_bytes: int = DEFAULT_MAX_UPLOAD_BYTES) -> Preview:
    """Everything applying the proposal would write, and every problem that stops it; writes nothing."""
    if proposal.derive_precision:
        return derived_preview(dataset)
    if proposal.remove_party is not None:
        changes, problems = removal(dataset, proposal.remove_party, proposal.name)
        return Preview(proposal.name, dataset.version, tuple(changes), tuple(problems), "form",
                       base_files=tuple(sorted(dataset.file_versions.items())), kinds=("parties",))
    if proposal.fields is not None:
        if proposal.form == "party":
            return diff(dataset, read_party_form(proposal.fields, dataset, proposal.voice))
        if proposal.form == "event":
            return diff(dataset, read_event_form(proposal.fields, dataset, proposal.voice))
        return diff(dataset, read_form(proposal.fields, dataset.parties, proposal.voice))
    upload = read_upload(proposal.data or b"", proposal.name, dataset.parties, proposal.defaults,
                         sheet=proposal.sheet, max_bytes=max_bytes, voice=proposal.voice)
    return diff(dataset, upload)


def verdict(result: Preview, overwrite: bool) -> Verdict:
    """Whether the preview may be applied as it stands, and if not, the first reason."""
    if result.problems:
        return "problems"
    if not result.writes:
        return "nothing"
    if result.needs_overwrite and not overwrite:
        return "needs_overwrite"
    return "ready"


def apply(store: Store, result: Preview, overwrite: bool, who: str, shown: Shown | None = None) -> Outcome:
    """Write the preview, unless it is not what the user was shown or the store refuses; never raises for
    a user's mistake or a refused write (the Outcome says what happened)."""
    if shown is not None:
        if result.stamp() != shown.stamp:
            return Outcome("refused", "the data changed since this preview (someone else applied a change): "
                                      "preview again")
        if result.digest() != shown.digest:
            return Outcome("refused", "what would be written no longer matches the preview: preview again")
    try:
        entry = store.apply(result, overwrite=overwrite, who=who)
    except HasProblems as exc:
        return Outcome("problems", str(exc), problems=tuple(exc.problems))
    except NeedsOverwrite as exc:
        return Outcome("needs_overwrite", str(exc))
    except Refused as exc:
        return Outcome("refused", str(exc))
    if entry is None:
        return Outcome("nothing", "nothing to change: everything is already in the data")
    return Outcome("applied", entry=entry)
