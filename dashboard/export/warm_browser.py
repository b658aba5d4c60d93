"""Plotly figure -> PNG/SVG bytes through one warm headless Chromium per process (Kaleido 1.x).

Starting Chrome costs 2-4 s, so the browser is started on the first export and kept for the
process's life; it is started lazily and re-started in a forked child, never shared across a fork.
Kaleido's page is not safe to use from several threads at once (Kaleido#444: images went to the
wrong caller), so one process-wide lock serialises every export. The browser draws at the lowest
CPU priority (export/cpu_priority.py), so a run of exports cannot take the CPU readers need.

This is what `kaleido.start_sync_server(mathjax=False)` does, plus what a server needs from it: a
time limit on every export (a browser that died does not hang the request forever), a clear error
when no browser is installed, and a fresh browser after a crash or a fork.
"""
from __future__ import annotations

import asyncio
import atexit
import os
import threading
import warnings
from typing import Any

from dashboard.export.cpu_priority import lowest_priority, normal_priority

# plotly.io.to_image warns on every call while a Kaleido server runs; we do not call it, but
# anything else in the process that does should not flood the log.
warnings.filterwarnings("ignore", message="The kopts argument is ignored", category=UserWarning)

STARTUP_TIMEOUT_S = 60.0
EXPORT_TIMEOUT_S = 60.0
TABS = 1  # 2 (one drawing while the other reloads) measured no faster on 2 CPUs, and costs memory
INSTALL_HINT = ("no Chrome/Chromium found: install it with `apt-get install chromium` "
                "(or set BROWSER_PATH to a Chrome or Chromium executable)")



class BrowserMissing(RuntimeError):
    """No usable Chrome/Chromium: the message says how to install one (shown as is to users)."""

    def __init__(self, detail: str = ""):
        super().__init__(INSTALL_HINT + (f"; {detail}" if detail else ""))


class RenderFailed(RuntimeError):
    """The browser was found but could not make the image (crash, time limit)."""


def _is_executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def find_browser() -> str | None:
    """The Chrome/Chromium Kaleido would use (BROWSER_PATH first, then PATH and the usual places),
    or None when there is none that can run."""
    from choreographer.browsers.chromium import Chromium

    path = Chromium.find_browser(skip_local=False)
    return path if path and _is_executable(str(path)) else None


def require_browser() -> str:
    """The browser's path, or BrowserMissing naming what was looked at."""
    path = find_browser()
    if path:
        return path
    override = os.environ.get("BROWSER_PATH")
    raise BrowserMissing(f"BROWSER_PATH={override!r} is not an executable" if override else "")


def _kaleido_class() -> type:
    """Kaleido, reloading each used tab after the image is handed back instead of before.

    Kaleido reloads a tab after every image so the next one starts clean; the caller waited for
    that reload (about 0.2 s, over half of a warm export). Here it runs in the background: the
    next export waits for it only if it comes sooner. Falls back to plain Kaleido if its
    internals change.
    """
    import kaleido

    base: Any = kaleido.Kaleido  # a class from an untyped package
    if not callable(getattr(base, "_return_kaleido_tab", None)):
        return base

    class BackgroundReloadKaleido(base):
        async def _return_kaleido_tab(self, tab) -> None:
            async def reload_then_return() -> None:
                try:
                    await tab.reload()
                finally:
                    await self.tabs_ready.put(tab)  # a tab that failed to reload fails its next export

            task = asyncio.create_task(reload_then_return())
            _background.add(task)  # keep a reference until it is done
            task.add_done_callback(_background.discard)

    return BackgroundReloadKaleido


_background: set = set()


class _WarmBrowser:
    """Kaleido with its own event loop in a daemon thread, owned by the process that made it."""

    def __init__(self, browser_path: str):
        kaleido_class = _kaleido_class()  # imported here: only processes that export pay for it
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run_loop, name="kaleido-warm", daemon=True)
        self.thread.start()

        async def open_browser() -> Any:
            browser = kaleido_class(n=TABS, mathjax=False, timeout=EXPORT_TIMEOUT_S, path=browser_path)
            await browser.open()
            return browser

        try:
            self.kaleido = self._run(open_browser(), STARTUP_TIMEOUT_S)
        except BaseException:
            self._stop_loop()
            raise
        # Chromium draws on what readers leave (on 2 cores, two workers' browsers drawing at full
        # priority slowed readers' p95 2.6 times; see bench/bench_flood.py). Only the browser's own
        # processes: this process's threads share the GIL with readers' requests.
        self.browser_pid: int | None = getattr(getattr(self.kaleido, "subprocess", None), "pid", None)
        if self.browser_pid is not None:
            lowest_priority(self.browser_pid)

    def _run_loop(self) -> None:
        self.loop.run_forever()

    def _run(self, coroutine, timeout: float) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def render(self, figure: dict, opts: dict, timeout: float) -> bytes:
        return self._run(self.kaleido.calc_fig(figure, opts=opts), timeout)

    def close(self) -> None:
        try:
            if self.pid == os.getpid() and self.thread.is_alive():
                if self.browser_pid is not None:
                    normal_priority(self.browser_pid)  # it exits, and removes its files, without waiting for idle CPU
                self._run(self.kaleido.close(), 15)
        except Exception:  # noqa: BLE001 closing is best effort: the process is going anyway
            pass
        finally:
            self._stop_loop()

    def _stop_loop(self) -> None:
        """Stop the event loop's thread and close the loop, so no socket or loop is left open."""
        if self.pid != os.getpid():
            return  # a forked child: the loop's thread is the parent's
        if not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.loop.stop)
        if self.thread is not threading.current_thread():
            self.thread.join(10)
        if not self.thread.is_alive() and not self.loop.is_closed():
            self.loop.close()


_lock = threading.Lock()
_warm: _WarmBrowser | None = None


def _browser() -> _WarmBrowser:
    """The process's warm browser, started on first use (and again in a forked child)."""
    global _warm
    if _warm is None or _warm.pid != os.getpid() or not _warm.thread.is_alive():
        _warm = _WarmBrowser(require_browser())
        # atexit runs last-registered first: registering now, after the browser's temporary profile
        # (a TemporaryDirectory, whose finalizer is an atexit hook too) was made, closes the browser
        # before that finalizer tries to delete a profile Chromium is still writing to.
        atexit.unregister(shutdown)
        atexit.register(shutdown)
    return _warm


def render(figure: dict, fmt: str, width: int, height: int, scale: int,
           timeout: float = EXPORT_TIMEOUT_S) -> bytes:
    """Image bytes for a plotly figure dict; one export at a time in this process.

    Raises BrowserMissing (tell the user how to install one) or RenderFailed.
    """
    global _warm
    opts = {"format": fmt, "width": width, "height": height, "scale": scale}
    with _lock:
        try:
            browser = _browser()
            data = browser.render(figure, opts, timeout)
        except BrowserMissing:
            raise
        except Exception as exc:
            if type(exc).__name__ == "KaleidoError":  # plotly.js refused this figure; the browser is fine
                raise RenderFailed(f"plotly.js could not draw this figure: {exc}") from exc
            if _warm is not None:
                _warm.close()
                _warm = None
            if isinstance(exc, FileNotFoundError) or type(exc).__name__ == "ChromeNotFoundError":
                raise BrowserMissing(str(exc)) from exc
            raise RenderFailed(f"the browser could not make the image: {type(exc).__name__}: {exc}") from exc
    if isinstance(data, str):
        data = data.encode("utf-8")
    return data


def browser_pid() -> int | None:
    """The process id of this process's drawing browser, if it is running (diagnostics, tests)."""
    warm = _warm
    return warm.browser_pid if warm is not None and warm.pid == os.getpid() else None


def warm_up() -> None:
    """Start the browser now (e.g. in a server worker after fork) so the first export is fast."""
    with _lock:
        _browser()


_warming_pid: int | None = None


def warm_up_in_background() -> None:
    """Start this process's browser in a background thread, once per process: a server worker
    calls it when it first serves the page, after any fork, so the first download is fast."""
    global _warming_pid
    if _warming_pid == os.getpid() or find_browser() is None:
        return
    _warming_pid = os.getpid()

    def start() -> None:
        try:
            warm_up()
        except Exception:  # noqa: BLE001 the first export will try again and report the problem
            pass

    threading.Thread(target=start, name="kaleido-warm-up", daemon=True).start()


def shutdown() -> None:
    """Close this process's browser (tests, and at exit)."""
    global _warm
    with _lock:
        if _warm is not None:
            _warm.close()
            _warm = None


def _forget_parent_browser() -> None:
    """In a forked child: the parent's browser thread does not exist here and its lock may have
    been held at the fork; start afresh (the child starts its own browser when it first exports)."""
    global _lock, _warm, _warming_pid
    _lock = threading.Lock()
    _warm = None
    _warming_pid = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_parent_browser)
