"""The one cache: results made once per key, the oldest dropped, answers about a dataset asked afresh
when the data changes, and a remembered table that a caller changes stays as it was for the next."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.core.memo import ResultCache, remembered


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
    version: str


def test_an_answer_about_a_dataset_is_asked_afresh_when_its_version_changes():
    dataset = FakeDataset("v1")
    calls: list[str] = []
    ask = lambda: remembered("test-answer", dataset, ("labour",), lambda: calls.append(dataset.version) or len(calls))  # noqa: E731
    assert ask() == ask() == 1
    dataset.version = "v2"
    assert ask() == 2 and calls == ["v1", "v2"]


def test_a_remembered_table_changed_by_one_caller_is_unchanged_for_the_next():
    dataset = FakeDataset("frames")
    make = lambda: pd.DataFrame({"year": [2023, 2024], "members": [100, 200]})  # noqa: E731
    first = remembered("test-frame", dataset, None, make)
    first["doubled"] = first["members"] * 2
    first.loc[0, "members"] = 0
    again = remembered("test-frame", dataset, None, make)
    assert list(again.columns) == ["year", "members"] and again["members"].tolist() == [100, 200]
