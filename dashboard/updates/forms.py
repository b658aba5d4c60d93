"""The page's small forms (one figure, one party, one event) read through exactly the checks a file's rows go
through: each form is a one-row table of its kind. The event form can also end the current leader's term on
the day the new one starts, so the two are one change.
"""
from __future__ import annotations

from collections.abc import Mapping

from dashboard.core.dataset import Dataset
from dashboard.core.problems import Problem
from dashboard.core.selection import records
from dashboard.core.tabular import Table
from dashboard.updates.cells import known_parties, party_lookup, read_date, resolve_party
from dashboard.updates.ingest import FORM, Upload, read_form
from dashboard.updates.located import ProblemList
from dashboard.updates.record_rows import Context, read_records
from dashboard.updates.shapes import EVENTS, PARTIES
from dashboard.updates.voice import Voice

PARTY_FIELDS = ("slug", "name", "colour", "aliases", "short", "source", "url", "note")
EVENT_FIELDS = ("kind", "party", "name", "start", "end", "source", "url", "note")
FORMS = ("figure", "party", "event")

__all__ = ["EVENT_FIELDS", "FORMS", "PARTY_FIELDS", "current_term", "read_event_form", "read_form", "read_party_form"]


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _read(kind: str, header: tuple[str, ...], rows: list[list[str]], dataset: Dataset, voice: Voice) -> Upload:
    table = Table(file=FORM, rows=[list(header), *rows])
    upload = Upload(file=FORM, shape="form", voice=voice, kinds=[kind])
    problems = ProblemList(FORM)
    context = Context(party_lookup(dataset.parties), known_parties(dataset.parties), {}, voice)
    upload.records, _ = read_records(table, kind, 0, None, context, problems)
    upload.problems = [Problem(FORM, p.message if p.row in (None, 2) else f"ending the current term: {p.message}",
                               column=p.column) for p in problems.result()]
    return upload


def read_party_form(fields: Mapping[str, object], dataset: Dataset, voice: Voice) -> Upload:
    """A new party, or changes to one (its slug names it): name, colour, other names, short name, source."""
    values = [_text(fields.get(name)) for name in PARTY_FIELDS]
    if not values[0] and not values[1]:
        upload = Upload(file=FORM, shape="form", voice=voice, kinds=[PARTIES])
        upload.problems = [Problem(FORM, f"nothing to preview yet: {voice.give('name')} (and {voice.field('source')})",
                                   column="name")]
        return upload
    return _read(PARTIES, PARTY_FIELDS, [values], dataset, voice)


def current_term(dataset: Dataset, party: str) -> dict | None:
    """The party's leader's term that has not ended, if there is one."""
    open_terms = [r for r in records(dataset.events) if r["kind"] == "leader" and r["party"] == party and not r["end"]]
    return max(open_terms, key=lambda r: r["start"]) if open_terms else None


def read_event_form(fields: Mapping[str, object], dataset: Dataset, voice: Voice) -> Upload:
    """A leader's term or a general election; with `ends_current`, the party's current leader's term ends on
    the day the new one starts, in the same change."""
    values = {name: _text(fields.get(name)) for name in EVENT_FIELDS}
    if not values["name"] and not values["start"]:
        upload = Upload(file=FORM, shape="form", voice=voice, kinds=[EVENTS])
        upload.problems = [Problem(FORM, f"nothing to preview yet: {voice.give('name')}, {voice.field('start')} and "
                                         f"{voice.field('source')}", column="name")]
        return upload
    rows = [[values[name] for name in EVENT_FIELDS]]
    if fields.get("ends_current") and values["kind"] in ("leader", "") and values["party"]:
        slug = resolve_party(values["party"], party_lookup(dataset.parties)) or values["party"]
        term = current_term(dataset, slug)
        if term is None:
            upload = _read(EVENTS, EVENT_FIELDS, rows, dataset, voice)
            name = dataset.party_name(slug)
            upload.problems.append(Problem(FORM, f"{name} has no current leader's term to end", column="party"))
            return upload
        start, _ = read_date(values["start"])
        rows.append(["leader", slug, str(term["name"]), str(term["start"]), start or values["start"], "", "", ""])
    return _read(EVENTS, EVENT_FIELDS, rows, dataset, voice)
