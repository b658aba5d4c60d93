"""Answers remembered: the one least-recently-used cache of the project.

`ResultCache` keeps the last results of something costly by a key that names everything the result
depends on (the data version first); `remembered` is the shared one for answers about a dataset
(which figures a view shows, its default years), which the page asks several times for every view
change and each costs a dozen pandas operations. Keyed by `Dataset.identity`, a number no other
dataset of the process has (an id() is reused once its object is gone), so a reloaded file or a
changed copy is asked afresh. Results are shared between requests and threads: whoever gets one
must not change it (a DataFrame is handed out as a shallow copy, which pandas copies on write).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar, cast

import pandas as pd

T = TypeVar("T")
SIZE = 1024


class ResultCache(Generic[T]):
    """A thread-safe least-recently-used map from a key to what `make` returned for it."""

    def __init__(self, size: int = 256):
        self.size = size
        self._items: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()  # outside the lock: two threads may build the same result once each
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


_answers: ResultCache[Any] = ResultCache(SIZE)


def remembered(kind: str, dataset: Any, key: Hashable, make: Callable[[], T]) -> T:
    """What `make()` returns for (dataset, key), made once while the dataset is current."""
    value = cast(T, _answers.get((kind, dataset.identity, key), make))
    if isinstance(value, pd.DataFrame):
        return cast(T, value.copy(deep=False))
    return value
