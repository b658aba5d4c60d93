"""What an upload would do to the parties: new ones (from a parties table, or named by figures and chosen to
be added), renamed, recoloured or given other aliases, or removed; and what stops it.

A colour is checked against every other party's with the chart's own rule (core.party_style): one that
collides is refused, naming the party; a new party without one gets one that collides with none, and the
next marker symbol. Two rows with one slug, or a name or alias that already means another party, are
located problems. A party that still has figures (or leaders' terms) is never removed.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dashboard.core.dataset import Dataset, Party
from dashboard.core.party_style import SYMBOL_GLYPHS, collision, pick_colour, symbol_at
from dashboard.core.problems import Problem
from dashboard.updates.cells import normalise
from dashboard.updates.change import Change
from dashboard.updates.record_rows import RecordRow

PARTY_FIELDS = ("slug", "name", "colour", "aliases", "short", "source", "url", "note")


def slug_for(name: str, taken: set[str]) -> str:
    """A slug made from a party's name ('Your Party' -> 'yourparty'), not one of `taken`."""
    base = normalise(name) or "party"
    if not base[0].isalpha():
        base = "party" + base
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}{n}", n + 1
    return slug


@dataclass(frozen=True)
class NewParty:
    """A party that figures name but the data does not know, with where it was first named."""

    name: str
    line: int | None
    sheet: str | None
    column: str | None


def party_record(party: Party) -> dict[str, str]:
    return {"slug": party.slug, "name": party.name, "colour": party.colour, "aliases": ";".join(party.aliases),
            "short": party.short, "source": party.source, "url": party.url, "note": party.note}


@dataclass
class _Pending:
    """The parties as they will be, built up row by row so each check sees the rows before it."""

    colours: dict[str, tuple[str, str]]   # slug -> (name, colour)
    spellings: dict[str, str]             # normalised name or alias -> slug


def party_changes(dataset: Dataset, rows: list[RecordRow], named: Mapping[str, NewParty], file: str,
                  ) -> tuple[list[Change], list[Problem], list[str]]:
    """The changes a parties table (`rows`) and the parties figures name (`named`, chosen to be added) would
    make, every problem with its row and column, and notices (a colour chosen, with its marker)."""
    changes: list[Change] = []
    problems: list[Problem] = []
    notices: list[str] = []
    pending = _Pending({slug: (p.name, p.colour) for slug, p in dataset.parties.items()},
                       {normalise(s): slug for slug, p in dataset.parties.items() for s in (slug, p.name, *p.aliases)
                        if normalise(s)})
    seen_slugs: dict[str, int | None] = {}
    new_count = 0

    def problem(row: RecordRow | None, role: str | None, message: str) -> None:
        if row is None:
            problems.append(Problem(file, message))
        else:
            problems.append(Problem(file, message, row=row.line, column=row.columns.get(role or "", role),
                                    sheet=row.sheet))

    for row in rows:
        values = {k: str(v or "") for k, v in row.values.items()}
        slug = values["slug"] or pending.spellings.get(normalise(values["name"]), "")
        if not slug:
            slug = slug_for(values["name"], set(pending.colours) | set(seen_slugs))
        if slug in seen_slugs:
            problem(row, "slug" if values["slug"] else "name",
                    f"'{slug}' is given twice in this file (first on row {seen_slugs[slug]}): one row per party")
            continue
        seen_slugs[slug] = row.line
        existing = dataset.parties.get(slug)
        if existing is not None:
            change = _changed(existing, values, row, pending, problem)
        else:
            change = _added(slug, values, row, pending, problem, notices, len(dataset.parties) + new_count)
            new_count += change is not None
        if change is not None:
            changes.append(change)
    for slug, party in named.items():
        fake = RecordRow("parties", {"slug": slug, "name": party.name}, frozenset({"name"}), party.line, party.sheet,
                         {"name": party.column or "party"})
        change = _added(slug, {f: "" for f in PARTY_FIELDS} | {"slug": slug, "name": party.name}, fake, pending,
                        problem, notices, len(dataset.parties) + new_count, named=True)
        new_count += change is not None
        if change is not None:
            changes.append(change)
    return changes, problems, notices


def _spellings_clash(slug: str, values: dict[str, str], row: RecordRow, pending: _Pending, problem) -> bool:
    """A problem for a name or alias that already means another party (the lookup would be ambiguous)."""
    clash = False
    for role, texts in (("name", [values["name"]]), ("aliases", values["aliases"].split(";"))):
        for text in texts:
            owner = pending.spellings.get(normalise(text))
            if text and owner is not None and owner != slug:
                owner_name = pending.colours.get(owner, (owner, ""))[0]
                problem(row, role, f"'{text}' already means {owner_name} ({owner}): a name or alias must name one "
                                   "party only")
                clash = True
    return clash


def _colour_ok(slug: str, name: str, colour: str, row: RecordRow, pending: _Pending, problem) -> bool:
    others = {other_name: other_colour for other, (other_name, other_colour) in pending.colours.items()
              if other != slug and other_colour}
    found = collision(colour, others)
    if found is not None:
        problem(row, "colour", f"{colour} for {name} is {found.describe()}: choose another colour")
        return False
    return True


def _added(slug: str, values: dict[str, str], row: RecordRow, pending: _Pending, problem, notices: list[str],
           position: int, named: bool = False) -> Change | None:
    name = values["name"] or slug
    if _spellings_clash(slug, values, row, pending, problem):
        return None
    colour = values["colour"]
    symbol = symbol_at(position)
    if colour:
        if not _colour_ok(slug, name, colour, row, pending, problem):
            return None
    else:
        picked = pick_colour(c for _, c in pending.colours.values() if c)
        if picked is None:
            problem(row, "colour", f"{name} has no colour, and none is left that stays clear of every party's colour: "
                                   "give one (#rrggbb or a CSS colour name)")
            return None
        colour = picked
        notices.append(f"{name} has no colour: {colour} was chosen, clear of every party's colour for every reader "
                       f"(normal vision, deuteranopia, protanopia), with its own marker {SYMBOL_GLYPHS[symbol]} "
                       f"({symbol}).")
    record = {**{f: values.get(f, "") for f in PARTY_FIELDS}, "slug": slug, "name": name, "colour": colour}
    pending.colours[slug] = (name, colour)
    for text in (slug, name, *record["aliases"].split(";")):
        if normalise(text):
            pending.spellings.setdefault(normalise(text), slug)
    return Change("added", (slug,), record, None, PARTY_FIELDS, None if named else row.line, row.sheet, table="parties")


def _changed(existing: Party, values: dict[str, str], row: RecordRow, pending: _Pending, problem) -> Change | None:
    old = party_record(existing)
    given = {f for f in row.given if f in PARTY_FIELDS and f != "slug"}
    new = {**old, **{f: values[f] for f in given}}
    fields = tuple(f for f in PARTY_FIELDS if new[f] != old[f])
    if not fields:
        return Change("unchanged", (existing.slug,), old, old, (), row.line, row.sheet, table="parties")
    if _spellings_clash(existing.slug, new, row, pending, problem):
        return None
    if "colour" in fields and not _colour_ok(existing.slug, new["name"], new["colour"], row, pending, problem):
        return None
    pending.colours[existing.slug] = (new["name"], new["colour"])
    return Change("changed", (existing.slug,), new, old, fields, row.line, row.sheet, table="parties")


def removal(dataset: Dataset, slug: str, file: str) -> tuple[list[Change], list[Problem]]:
    """Removing a party: refused while it has figures, related figures or leaders' terms (say which)."""
    party = dataset.parties.get(slug)
    if party is None:
        return [], [Problem(file, f"unknown party '{slug}'")]
    held = [(int((dataset.counts["party"] == slug).sum()), "figure", "figures"),
            (int((dataset.related["party"] == slug).sum()), "related figure", "related figures"),
            (int((dataset.events["party"] == slug).sum()), "leader's term", "leaders' terms")]
    what = " and ".join(f"{n} {one if n == 1 else many}" for n, one, many in held if n)
    if what:
        return [], [Problem(file, f"{party.name} still has {what} in the data: a party with figures cannot be "
                                  "removed (remove or move its figures first)")]
    record = party_record(party)
    return [Change("removed", (slug,), record, record, PARTY_FIELDS, table="parties")], []
