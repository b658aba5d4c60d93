"""A wheel of the package, installed into a fresh venv, serves, checks and exports its bundled data
from a folder outside the checkout: what `pip install .` gives a user, not what an editable install hides."""
from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import sysconfig
import tempfile
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest
from helpers import HANG_SECONDS, get_when_serving

from dashboard.chart import plotly_bundle
from testkit.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.process]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """bin/ of a fresh venv holding only the wheel; its dependencies come from this venv's site-packages."""
    base = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(base / "dist"), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    wheel = next((base / "dist").glob("membership_dashboard-*.whl"))
    target = base / "venv"
    venv.create(target, with_pip=False)
    purelib = Path(sysconfig.get_path("purelib", vars={"base": str(target), "platbase": str(target)}))
    # Only this venv's packages as a plain path: its .pth files (the editable install of the checkout) are not run.
    (purelib / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(purelib), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    # --target does not write console scripts: make the one the wheel declares, as pip would.
    script = target / "bin" / "membership"
    script.write_text(f"#!{target / 'bin' / 'python'}\nimport sys\nfrom dashboard.cli.main import main\nsys.exit(main())\n")
    script.chmod(0o755)
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "dashboard/bundled_data/membership.csv" in names and "dashboard/web/assets/style.css" in names
    assert "dashboard/bundled_data/.history/membership.log.jsonl" in names  # the provenance of the bundled data
    assert f"dashboard/chart/vendor/{plotly_bundle.FILENAME}" in names  # the page's plotly.js
    return target / "bin"


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without anything that would point the app at the checkout."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("MEMBERSHIP_") and k != "PYTHONPATH"}, **extra}


def run(bin_dir: Path, *args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bin_dir / "membership"), *args], capture_output=True, text=True, timeout=HANG_SECONDS, cwd=cwd,
                          env=clean_env(**env))


def test_installed_wheel_checks_its_bundled_data_from_outside_the_checkout(installed: Path, tmp_path: Path):
    done = run(installed, "check", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert str(ROOT) not in done.stdout and "site-packages" in done.stdout and ": OK," in done.stdout


@pytest.mark.kaleido
def test_installed_wheel_exports_a_png_from_outside_the_checkout(installed: Path, tmp_path: Path):
    with tempfile.TemporaryDirectory(prefix="mw") as scratch:  # Chromium's socket needs a short TMPDIR
        done = run(installed, "export", "--out", str(tmp_path / "chart.png"), cwd=tmp_path, TMPDIR=scratch)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "chart.txt").read_text().startswith("Line chart")


def test_installed_wheel_serves_the_page_with_its_assets(installed: Path, tmp_path: Path):
    port = free_port()
    process = subprocess.Popen([str(installed / "membership"), "serve", "--port", str(port)], cwd=tmp_path, env=clean_env(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        layout = get_when_serving(f"http://127.0.0.1:{port}/_dash-layout", process, what="the installed server").decode()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60) as response:
            page = response.read().decode()
        assert "membership-chart" in layout and "style.css" in page
        # the page draws with the basic plotly.js the wheel carries (the full bundle is never asked for)
        src = re.search(r'<script src="([^"]*' + re.escape(plotly_bundle.FILENAME) + ')"', page)
        assert src, page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{src.group(1)}", timeout=60) as response:
            assert hashlib.sha256(response.read()).hexdigest() == plotly_bundle.SHA256
    finally:
        process.terminate()
        process.communicate(timeout=HANG_SECONDS)


def test_the_wheel_lists_every_package_of_the_checkout():
    """pyproject.toml lists the packages (to ship data/ as dashboard.bundled_data): a new folder must be added."""
    import tomllib
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "dashboard").rglob("__init__.py")}
    assert listed == found | {"dashboard.bundled_data"}
