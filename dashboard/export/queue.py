"""A bounded queue for server-side exports, one per process: each image takes a Chromium draw of
0.3-3 s and they are made one at a time (warm_browser), so without a bound a few clients asking for
large images hold every server thread and readers wait. Past the bound a request is refused at once
with how long to wait (the web layer answers 429 with Retry-After), instead of queueing for ever.
"""
from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

DEFAULT_CAPACITY = 4  # one being drawn and three waiting: about 2 s of work at the presets' sizes
# Images for visitors who are not signed in (/chart.png, /chart.svg, the panel's downloads) that are
# not cached yet share a smaller budget of their own: one being drawn and one waiting. A flood of
# new images is answered 429 at once beyond it, and cannot take the editors' places.
ANONYMOUS_CAPACITY = 2
FIRST_GUESS_S = 1.0


class QueueFull(Exception):
    """The queue has no room: try again after `retry_after` seconds."""

    def __init__(self, retry_after: int, waiting: int):
        super().__init__(f"the server is busy making {waiting} other image{'s' if waiting != 1 else ''}: "
                         f"try again in {retry_after} s")
        self.retry_after = retry_after
        self.waiting = waiting


class ExportQueue:
    """Admits at most `capacity` exports at once (being made or waiting for the browser)."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY, clock: Callable[[], float] = time.monotonic):
        self.capacity = max(1, capacity)
        self._clock = clock
        self._lock = threading.Lock()
        self._in_flight = 0
        self._seconds = FIRST_GUESS_S  # a running mean of how long one export takes here
        self.refused = 0

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def retry_after(self) -> int:
        """Seconds until the queue has likely drained (whole, at least 1)."""
        return max(1, math.ceil(self._in_flight * self._seconds))

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold a place while making one export; QueueFull at once when there is none."""
        with self._lock:
            if self._in_flight >= self.capacity:
                self.refused += 1
                raise QueueFull(self.retry_after(), self._in_flight)
            self._in_flight += 1
        started = self._clock()
        try:
            yield
        finally:
            took = self._clock() - started
            with self._lock:
                self._in_flight -= 1
                self._seconds = 0.8 * self._seconds + 0.2 * took


_default = ExportQueue()
_anonymous = ExportQueue(ANONYMOUS_CAPACITY)


def default_queue() -> ExportQueue:
    """This process's queue (module state is per gunicorn worker, as the browser is)."""
    return _default


def anonymous_queue() -> ExportQueue:
    """This process's budget for new images made for visitors who are not signed in."""
    return _anonymous
