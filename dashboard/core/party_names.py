"""Party names as people write them ('Lib Dems', 'Reform UK', 'SNP members') -> the slug in the data.

One lookup for every reader of names: uploads (updates/cells.py re-exports these) and shared links
(core/view.py) understand the same spellings, taken from parties.csv (slug, name, aliases).
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from dashboard.core.dataset import Party

_NOT_LETTER_OR_DIGIT = re.compile(r"[^a-z0-9]")
SUFFIXES = ("members", "membership", "party")


def normalise(text: str) -> str:
    """Header or party name reduced to lower-case letters and digits: 'Lib Dems' -> 'libdems'."""
    return _NOT_LETTER_OR_DIGIT.sub("", text.lower())


def party_lookup(parties: Mapping[str, Party]) -> dict[str, str]:
    """Every spelling a person might use (slug, name, aliases) -> slug."""
    lookup: dict[str, str] = {}
    for slug, party in parties.items():
        for spelling in (slug, party.name, *party.aliases):
            key = normalise(spelling)
            if key:
                lookup.setdefault(key, slug)
    return lookup


def resolve_party(text: str, lookup: Mapping[str, str]) -> str | None:
    """The slug for a party as written ('Labour', 'lib dems', 'SNP members'), or None."""
    key = normalise(text)
    if key in lookup:
        return lookup[key]
    for suffix in SUFFIXES:
        if key.endswith(suffix) and key[: -len(suffix)] in lookup:
            return lookup[key[: -len(suffix)]]
    return None


def known_parties(parties: Mapping[str, Party]) -> str:
    """'Labour (labour), SNP (snp), ...': the names a message can suggest."""
    return ", ".join(f"{p.name} ({slug})" if p.name != slug else slug for slug, p in parties.items())
