"""The browser that draws images runs at the lowest CPU priority, and the server's own threads do not.

Chromium sets its own threads' nice values (as root it raises them back to 0 and -8), so a niced
parent is not enough; the scheduling policy SCHED_IDLE is what it keeps and passes on to every
thread and process it starts later, tab reloads included.
"""
from __future__ import annotations

import os
import sys

import pytest

from dashboard.export import cpu_priority, warm_browser

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SCHED_IDLE and /proc are Linux's")

FIGURE = {"data": [{"type": "scatter", "x": [1, 2, 3], "y": [3, 1, 2]}], "layout": {"title": {"text": "priority"}}}


def policies(pid: int) -> dict[int, int]:
    """Thread id -> scheduling policy, for every thread of `pid` and its descendants."""
    found = {}
    for process in cpu_priority.process_tree(pid):
        for tid in cpu_priority.threads(process):
            try:
                found[tid] = os.sched_getscheduler(tid)
            except ProcessLookupError:
                pass  # ended meanwhile
    return found


def test_every_thread_of_the_drawing_browser_is_idle_priority_after_several_images():
    nice = os.getpriority(os.PRIO_PROCESS, 0)  # this thread's, as the test was started
    try:
        for n in range(3):  # each image reloads the tab afterwards: new threads, maybe a new renderer
            assert warm_browser.render({**FIGURE, "layout": {"title": {"text": f"image {n}"}}}, "png", 400, 300, 1)
        pid = warm_browser.browser_pid()
        assert pid is not None
        found = policies(pid)
        assert len(found) > 10  # the wrapper, Chromium and its helpers, each with threads
        assert set(found.values()) == {os.SCHED_IDLE}
        assert os.sched_getscheduler(0) == os.SCHED_OTHER and os.getpriority(os.PRIO_PROCESS, 0) == nice
        assert os.sched_getscheduler(warm_browser._warm.thread.native_id) == os.SCHED_OTHER  # the GIL's users stay
    finally:
        warm_browser.shutdown()


def test_lowest_priority_reaches_threads_and_children_started_before_it_and_a_closing_browser_gets_it_back():
    import subprocess

    script = ("import subprocess, threading, time; threading.Thread(target=time.sleep, args=(60,)).start(); "
              "subprocess.Popen(['sleep', '60']); print('ready', flush=True); time.sleep(60)")
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None and parent.stdout.readline().strip() == "ready"
        assert len(policies(parent.pid)) >= 3  # its two threads and its child
        assert cpu_priority.lowest_priority(parent.pid) >= 3
        assert set(policies(parent.pid).values()) == {os.SCHED_IDLE}
        assert cpu_priority.lowest_priority(parent.pid) == 0  # nothing left to change
        assert cpu_priority.normal_priority(parent.pid) >= 3  # as a browser being closed gets it back
        assert set(policies(parent.pid).values()) == {os.SCHED_OTHER}
    finally:
        for child in cpu_priority.process_tree(parent.pid)[1:]:
            os.kill(child, 9)
        parent.kill()
        parent.communicate()
