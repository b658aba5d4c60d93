"""The one cache: results made once per key, the oldest dropped, answers about a dataset never
given for another (a changed copy, or one made where an old one lay in memory), and a remembered table that a caller changes stays as it was for the next."""
from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from dashboard.core.dataset import load_dataset
from dashboard.core.memo import ResultCache, remembered
from dashboard.core.selection import shown_counts
from dashboard.core.view import View, resolve


def test_a_result_is_made_once_per_key_and_the_least_recently_used_goes_first():
    cache: ResultCache[str] = ResultCache(size=2)
    made: list[str] = []

    def make(key: str):
        return lambda: made.append(key) or key.upper()

    assert cache.get("a", make("a")) == "A" and cache.get("a", make("a")) == "A"
    cache.get("b", make("b"))
    cache.get("a", make("a"))  # a is now the most recent
    cache.get("c", make("c"))  # so b goes
    cache.get("a", make("a"))
    cache.get("b", make("b"))
    assert made == ["a", "b", "c", "b"]


@dataclass
class FakeDataset:
    identity: int


def test_answers_about_a_changed_copy_of_the_data_are_its_own_even_where_an_old_one_lay_in_memory():
    # a copy with other figures keeps the file's version, and CPython puts a new object where a
    # freed one was (the same id()): each dataset's own number keeps their answers apart
    base = load_dataset()
    view = resolve(View(parties=("labour",)), base)
    year = view.end - 1
    for members in range(1, 40):
        counts = base.counts.copy()
        counts.loc[(counts["party"] == "labour") & (counts["year"] == year) & (counts["as_of"] == ""), "members"] = members
        copy = replace(base, counts=counts)
        shown = shown_counts(copy, view)
        assert shown.loc[(shown["year"] == year) & (shown["as_of"] == ""), "members"].tolist() == [members]
        del copy, shown


def test_a_remembered_table_changed_by_one_caller_is_unchanged_for_the_next():
    dataset = FakeDataset(-1)
    make = lambda: pd.DataFrame({"year": [2023, 2024], "members": [100, 200]})  # noqa: E731
    first = remembered("test-frame", dataset, None, make)
    first["doubled"] = first["members"] * 2
    first.loc[0, "members"] = 0
    again = remembered("test-frame", dataset, None, make)
    assert list(again.columns) == ["year", "members"] and again["members"].tolist() == [100, 200]
