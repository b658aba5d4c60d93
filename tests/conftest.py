"""Shared fixtures: a copy of the data, a real server on a free port, a real headless Chromium."""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from werkzeug.serving import make_server

from dashboard.config import Settings
from dashboard.web.app import create_app
from testkit.chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
EXPECT_TIMEOUT_MS = 30_000


def _bundled_files() -> dict[str, bytes]:
    return {str(p.relative_to(DATA)): p.read_bytes() for p in sorted(DATA.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session", autouse=True)
def bundled_data_is_never_written():
    """The bundled data and its history (in git) are the product's record: a test that wrote to them
    would change what a fresh clone shows. Every test works on a copy (data_dir)."""
    before = _bundled_files()
    yield
    after = _bundled_files()
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    assert not changed, f"a test changed the bundled data in {DATA}: {', '.join(changed)}"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private copy of data/, so no test can change the real files."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns(".history", "*.lock"))
    return target


class LiveServer:
    """The real Dash app served by werkzeug in a thread on a free port."""

    def __init__(self, settings: Settings):
        self.app = create_app(settings)
        self.server = make_server("127.0.0.1", 0, self.app.server, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)


@pytest.fixture
def start_server(data_dir: Path):
    """Start servers with given settings overrides; all are stopped at the end of the test."""
    servers: list[LiveServer] = []

    def start(**overrides) -> LiveServer:
        settings = Settings(**{"data_path": data_dir / "membership.csv", **overrides})
        server = LiveServer(settings).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__(None, None, None)


@pytest.fixture
def live_server(start_server) -> LiveServer:
    return start_server()


def _missing(message: str) -> None:
    """What a test does when what it needs is not installed: fail under CI, skip elsewhere."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI=true: a missing browser is a failure, not a skip)")
    pytest.skip(message)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Tests marked `kaleido` need a Chrome/Chromium that Kaleido can start."""
    if item.get_closest_marker("kaleido"):
        from dashboard.export import warm_browser

        if warm_browser.find_browser() is None:
            _missing("needs Chrome/Chromium for Kaleido: install it with `apt-get install chromium`")


@pytest.fixture(scope="session")
def chromium():
    """Headless Debian Chromium through Playwright. Missing: a failure under CI, a skip elsewhere."""
    if not Path(CHROMIUM).exists():
        _missing(f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`")
    from playwright.sync_api import expect, sync_playwright

    # What a callback, the network or a timer sets is asserted with expect(...), which retries until it
    # holds. Its default (5 s) is shorter than a callback takes on a loaded machine: wait as long as
    # Playwright's own waits do.
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class ConsoleLog(list):
    def errors(self) -> list[str]:
        return [text for kind, text in self if kind in ("error", "pageerror")]


@pytest.fixture
def browser_page(chromium, request):
    """A fresh page at laptop size (parametrise with indirect viewport to change); console recorded."""
    viewport = getattr(request, "param", {"width": 1280, "height": 800})
    context = chromium.new_context(viewport=viewport, accept_downloads=True)
    page = context.new_page()
    page.console_log = ConsoleLog()
    page.on("console", lambda message: page.console_log.append((message.type, message.text)))
    page.on("pageerror", lambda error: page.console_log.append(("pageerror", str(error))))
    yield page
    context.close()


# Property tests (hypothesis): a fixed example budget, so a run takes the same time every time;
# under CI=true the examples are also fixed (derandomize), so a failure there is reproducible.
# No example database: nothing is written into the repository.
hypothesis_settings.register_profile("dev", max_examples=25, deadline=None, database=None,
                                     suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.register_profile("ci", max_examples=25, deadline=None, database=None, derandomize=True,
                                     suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("ci" if os.environ.get("CI", "").lower() == "true" else "dev")
