"""Answers about one dataset, remembered: the page asks the same questions (which figures a view
shows, its default years) several times for every view change, and each costs a dozen pandas
operations. Keyed by the dataset's identity and version, so a reloaded file is asked afresh."""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

import pandas as pd

T = TypeVar("T")
SIZE = 1024
_answers: OrderedDict[Hashable, Any] = OrderedDict()
_lock = threading.Lock()


def remembered(kind: str, dataset: Any, key: Hashable, make: Callable[[], T]) -> T:
    """What `make()` returns for (dataset, key); a DataFrame is handed out as a shallow copy, so a
    caller that adds a column to it changes its own copy only (pandas copies on write)."""
    full = (kind, id(dataset), dataset.version, key)
    with _lock:
        found = full in _answers
        if found:
            _answers.move_to_end(full)
            value: T = _answers[full]
    if not found:
        value = make()
        with _lock:
            _answers[full] = value
            while len(_answers) > SIZE:
                _answers.popitem(last=False)
    if isinstance(value, pd.DataFrame):
        return cast(T, value.copy(deep=False))
    return value
