"""Images made once per view and data version, kept in memory up to a byte budget (least recently
used first out), so an `<img>` of the chart in a blog costs one render per data change, not one per
reader, and a flood of distinct views can neither fill memory nor the disk (nothing is written).

Requests for the same image that arrive while it is being made wait for that one render instead of
starting their own. Rendering itself goes through `warm_browser.render`, one export at a time.
"""
from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
ENTRY_SHARE = 4  # one image may take at most a quarter of the budget; a larger one is served, not kept


@dataclass(frozen=True)
class CachedImage:
    """An image's bytes with the validator a browser or CDN sends back (`If-None-Match`)."""

    data: bytes
    etag: str  # the bytes' own hash: the same image always has the same tag, in every process
    made_in_s: float  # how long rendering took (0.0 never: it was made, not looked up)


@dataclass
class _Flight:
    done: threading.Event = field(default_factory=threading.Event)
    result: CachedImage | None = None
    error: BaseException | None = None


@dataclass
class CacheStats:
    hits: int = 0
    renders: int = 0
    evictions: int = 0


class ImageCache:
    """A bounded LRU of images keyed by (data version, canonical request); a new data version
    drops the entries of the old one, which can never be asked for again."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES):
        if max_bytes < 0:
            raise ValueError("max_bytes must be zero (no caching) or more")
        self.max_bytes = max_bytes
        self.stats = CacheStats()
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, CachedImage] = OrderedDict()
        self._bytes = 0
        self._version: str | None = None
        self._flights: dict[tuple[str, str], _Flight] = {}

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def get_or_make(self, version: str, key: str, make: Callable[[], bytes]) -> CachedImage:
        """The cached image for `key` at data `version`, or `make()`'s, stored for next time.

        Exceptions from `make` reach every caller waiting for that image and nothing is stored.
        """
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._bytes = 0
                self._version = version
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                self.stats.hits += 1
                return entry
            flight = self._flights.get((version, key))
            owner = flight is None
            if flight is None:
                flight = self._flights[(version, key)] = _Flight()
        if not owner:
            flight.done.wait()
            if flight.error is not None:
                raise flight.error
            assert flight.result is not None
            return flight.result
        try:
            started = time.perf_counter()
            data = make()
            entry = CachedImage(data, '"' + hashlib.sha256(data).hexdigest()[:32] + '"',
                                max(time.perf_counter() - started, 1e-9))
            flight.result = entry
            self._store(version, key, entry)
            return entry
        except BaseException as exc:
            flight.error = exc
            raise
        finally:
            with self._lock:
                self._flights.pop((version, key), None)
            flight.done.set()

    def _store(self, version: str, key: str, entry: CachedImage) -> None:
        size = len(entry.data)
        with self._lock:
            self.stats.renders += 1
            if version != self._version or size > self.max_bytes // ENTRY_SHARE:
                return
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, old = self._entries.popitem(last=False)
                self._bytes -= len(old.data)
                self.stats.evictions += 1
