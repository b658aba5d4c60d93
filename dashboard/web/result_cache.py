"""The last results of the page's heavier callbacks, per data version and view: a reader who goes
back to a view, or many readers of the same shared link, cost the server one build, not one each."""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class ResultCache(Generic[T]):
    """A thread-safe least-recently-used map from a key to what `make` returned for it.

    Keys must name everything the result depends on, the data version first; results are shared
    between requests and must not be changed by whoever gets them (Dash only serialises them).
    """

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
