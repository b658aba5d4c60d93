"""Several gunicorn workers, as the README runs them: a change written once is served by all."""
from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from helpers import HANG_SECONDS, get_when_serving, poll_until
from updates_helpers import INVENTED_SOURCE, first_free_year_end

from dashboard.core.dataset import load_dataset
from dashboard.updates.changes import diff
from dashboard.updates.ingest import Defaults, read_upload
from dashboard.updates.store import Store
from testkit.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4
INVENTED = 987654


pytestmark = pytest.mark.process  # gunicorn in a process of its own


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


@pytest.fixture
def gunicorn(data_dir, tmp_path):
    port = free_port()
    log = tmp_path / "access.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MEMBERSHIP_DATA": str(data_dir / "membership.csv"),
           "MEMBERSHIP_HOST": "127.0.0.1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
         "--access-logfile", str(log), "--access-logformat", "%(p)s %(U)s", "dashboard.web.wsgi:server"],
        env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    get_when_serving(url + "/data/membership.csv", process, what="gunicorn")
    yield url, log
    process.terminate()
    try:
        process.communicate(timeout=HANG_SECONDS)  # waits, and closes the pipe
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()


def serving_pids(log: Path, start: int) -> list[str]:
    lines = log.read_text().splitlines()[start:]
    return [line.split()[0] for line in lines if line.endswith("/data/membership.csv")]


def logged(log: Path, start: int, asked: int) -> list[str] | None:
    """The pids that served the data since line `start`, once the log has a line for each of `asked` requests."""
    pids = serving_pids(log, start)
    return pids if len(pids) >= asked else None


def test_every_worker_serves_a_change_as_soon_as_it_is_written(gunicorn, data_dir):
    url, log = gunicorn
    path = data_dir / "membership.csv"
    with ThreadPoolExecutor(8) as pool:  # warm every worker's cache with the old data
        assert all(str(INVENTED) not in body for body in pool.map(get, [url + "/data/membership.csv"] * 40))

    dataset = load_dataset(path)
    upload = read_upload(f"Year,Members\n{first_free_year_end(dataset)},{INVENTED}\n".encode(), "w.csv",
                         dataset.parties, Defaults(party="labour", source=INVENTED_SOURCE))
    Store(path).apply(diff(dataset, upload), who="test")

    start = len(log.read_text().splitlines())
    seen: set[str] = set()
    with ThreadPoolExecutor(8) as pool:
        for batch in range(1, 31):
            bodies = list(pool.map(get, [url + "/data/membership.csv"] * 16))
            assert all(f"{INVENTED}" in body for body in bodies), "a worker served the data from before the change"
            # gunicorn logs a request after answering it: wait for the lines of every request so far
            seen = set(poll_until(lambda asked=16 * batch: logged(log, start, asked), 30, "gunicorn's access log"))
            if len(seen) == WORKERS:
                break
    assert len(seen) == WORKERS, f"only {len(seen)} workers answered: {seen}"
    layout = get(url + "/_dash-layout")
    assert f"{INVENTED:,}" in layout  # the page's table, drawn by whichever worker answered
