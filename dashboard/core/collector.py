"""Pausing the cyclic garbage collector while a burst of long-lived objects is made: each full
collection rescans every object in the process, and in such a burst there is nothing to collect."""
from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_gc_lock = threading.Lock()
_gc_users = 0


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """The collector paused for the block, counted so that overlapping pauses (threads) end with the
    last. Used around bulk parsing (a 50,000-row upload allocates millions of small objects that all
    live until the preview is built; rescanning them doubled the time) and around start-up imports."""
    global _gc_users
    with _gc_lock:
        _gc_users += 1
        was_enabled = gc.isenabled() if _gc_users == 1 else True
        gc.disable()
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0 and was_enabled:
                gc.enable()
