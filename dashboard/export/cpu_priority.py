"""The lowest CPU priority for the image-drawing browser, so drawing uses only what readers leave.

Chromium sets its own threads' nice values (0, and -8 for some, when it may), so starting it from a
niced thread is not enough: where it runs as root it undoes the nice it inherited. The scheduling
policy is another matter: Chromium leaves it alone, and every thread and process it starts later
inherits it. So on Linux each thread of the browser and of its child processes is put under
SCHED_IDLE (below nice 19: it runs on what no other task wants), which needs no privilege. Where
there is no SCHED_IDLE the browser process is niced to 19 instead.

The server's own threads are left as they are: a low-priority Python thread holding the GIL would
keep readers' threads waiting (priority inversion), so only the browser's processes are lowered.
"""
from __future__ import annotations

import os
from pathlib import Path

PROC = Path("/proc")
LOWEST_NICE = 19


def _parent(pid: str) -> int | None:
    try:
        stat = (PROC / pid / "stat").read_text()
    except OSError:
        return None  # gone meanwhile
    return int(stat.rsplit(")", 1)[1].split()[1])


def process_tree(pid: int) -> list[int]:
    """`pid` and every process descending from it (Linux: read from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            parent = _parent(entry.name)
            if parent is not None:
                children.setdefault(parent, []).append(int(entry.name))
    tree, stack = [], [pid]
    while stack:
        current = stack.pop()
        tree.append(current)
        stack.extend(children.get(current, ()))
    return tree


def threads(pid: int) -> list[int]:
    try:
        return [int(name) for name in os.listdir(PROC / str(pid) / "task")]
    except OSError:
        return []


def _idle(tid: int) -> bool:
    """Put thread `tid` under SCHED_IDLE; whether it had to be changed."""
    try:
        if os.sched_getscheduler(tid) == os.SCHED_IDLE:
            return False
        os.sched_setscheduler(tid, os.SCHED_IDLE, os.sched_param(0))
        return True
    except (ProcessLookupError, PermissionError):
        return False  # gone meanwhile, or not ours


def lowest_priority(pid: int, passes: int = 5) -> int:
    """Lower process `pid`, its threads and its descendants to the lowest CPU priority; returns how
    many threads were changed. Repeats until a pass finds nothing new (a thread or process started
    during a pass by one not yet lowered), at most `passes` times."""
    if not (hasattr(os, "SCHED_IDLE") and PROC.is_dir()):
        try:
            os.setpriority(os.PRIO_PROCESS, pid, LOWEST_NICE)
        except (AttributeError, OSError):
            pass
        return 0
    changed = 0
    for _ in range(passes):
        now = sum(_idle(tid) for process in process_tree(pid) for tid in threads(process))
        changed += now
        if not now:
            break
    return changed


def _normal(tid: int) -> bool:
    """Put thread `tid` back under the default policy if it is idle; whether it had to be changed."""
    try:
        if os.sched_getscheduler(tid) != os.SCHED_IDLE:
            return False
        os.sched_setscheduler(tid, os.SCHED_OTHER, os.sched_param(0))
        return True
    except (ProcessLookupError, PermissionError):
        return False  # gone meanwhile, or not allowed (an unprivileged user past RLIMIT_NICE)


def normal_priority(pid: int) -> int:
    """Give process `pid`, its threads and its descendants the default policy back, so a browser being
    closed exits at once: under SCHED_IDLE on a busy machine its exit (and the removal of its
    temporary files) waits for idle CPU, which may not come for minutes. Returns how many threads changed."""
    if not (hasattr(os, "SCHED_IDLE") and PROC.is_dir()):
        return 0
    return sum(_normal(tid) for process in process_tree(pid) for tid in threads(process))
