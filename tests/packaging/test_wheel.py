"""A wheel of the package, installed into a fresh venv, serves, checks and exports its bundled data
from a folder outside the checkout: what `pip install .` gives a user, not what an editable install hides."""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import sysconfig
import tempfile
import urllib.parse
import urllib.request
import venv
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import HANG_SECONDS, get_when_serving
from updates_helpers import INVENTED_SOURCE, first_free_year_end

from dashboard.chart import plotly_bundle
from dashboard.core.dataset import load_dataset
from testkit.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.process]


@dataclass(frozen=True)
class Install:
    bin: Path        # the venv's bin/, with the `membership` script
    wheel: Path
    purelib: Path    # the venv's site-packages, where the wheel was installed


def install_wheel(wheel: Path, purelib: Path) -> None:
    """pip's install of the wheel into the venv's site-packages (again: a reinstall, as an upgrade does)."""
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--upgrade", "--force-reinstall",
                    "--target", str(purelib), str(wheel)], check=True, capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def install(tmp_path_factory) -> Install:
    """A fresh venv holding only the wheel; its dependencies come from this venv's site-packages."""
    base = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(base / "dist"), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    wheel = next((base / "dist").glob("membership_dashboard-*.whl"))
    target = base / "venv"
    venv.create(target, with_pip=False)
    purelib = Path(sysconfig.get_path("purelib", vars={"base": str(target), "platbase": str(target)}))
    # Only this venv's packages as a plain path: its .pth files (the editable install of the checkout) are not run.
    (purelib / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    install_wheel(wheel, purelib)
    # --target does not write console scripts: make the one the wheel declares, as pip would.
    script = target / "bin" / "membership"
    script.write_text(f"#!{target / 'bin' / 'python'}\nimport sys\nfrom dashboard.cli.main import main\nsys.exit(main())\n")
    script.chmod(0o755)
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "dashboard/bundled_data/membership.csv" in names and "dashboard/web/assets/style.css" in names
    assert "dashboard/bundled_data/.history/membership.log.jsonl" in names  # the provenance of the bundled data
    assert f"dashboard/chart/vendor/{plotly_bundle.FILENAME}" in names  # the page's plotly.js
    return Install(target / "bin", wheel, purelib)


@pytest.fixture(scope="module")
def installed(install: Install) -> Path:
    return install.bin


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without anything that would point the app at the checkout."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("MEMBERSHIP_") and k != "PYTHONPATH"}, **extra}


def run(bin_dir: Path, *args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bin_dir / "membership"), *args], capture_output=True, text=True, timeout=HANG_SECONDS, cwd=cwd,
                          env=clean_env(**env))


def test_installed_wheel_checks_its_bundled_data_from_outside_the_checkout(installed: Path, tmp_path: Path):
    done = run(installed, "check", cwd=tmp_path, XDG_DATA_HOME=str(tmp_path / "nobody"))
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
        # the page's stylesheets are inlined in it (assets/ of the wheel); boot.js, which starts the live page, is served
        assert "membership-chart" in layout and ".chart-box" in page.split("</head>")[0]
        boot = re.search(r'<script src="(/_boot/boot-[0-9a-f]+\.js)"', page)
        assert boot, page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{boot.group(1)}", timeout=60) as response:
            assert b"deferred-scripts" in response.read()
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


def folder_state(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_installed_copys_first_change_lands_in_the_users_folder_and_survives_a_reinstall(install: Install,
                                                                                          tmp_path: Path):
    bundled = install.purelib / "dashboard" / "bundled_data"
    shipped = folder_state(bundled)
    home = tmp_path / "home-data"          # the platform's user data folder (XDG_DATA_HOME on Linux)
    users_folder = home / "membership-dashboard"
    year = first_free_year_end(load_dataset(ROOT / "data" / "membership.csv"))
    upload = tmp_path / "figure.csv"
    upload.write_text(f"Year,Members\n{year},123456\n")

    before = run(install.bin, "check", cwd=tmp_path, XDG_DATA_HOME=str(home))
    assert before.returncode == 0 and f"Data folder: {users_folder} (not created yet" in before.stdout

    done = run(install.bin, "import", str(upload), "--party", "labour", "--source", INVENTED_SOURCE, cwd=tmp_path,
               XDG_DATA_HOME=str(home))
    assert done.returncode == 0, done.stderr
    assert f"Your data is now kept in {users_folder}" in done.stdout
    assert folder_state(bundled) == shipped                     # nothing written into site-packages
    assert f"labour,{year},123456,".encode() in (users_folder / "membership.csv").read_bytes()
    shipped_history = (bundled / ".history" / "membership.log.jsonl").read_bytes()
    assert (users_folder / ".history" / "membership.log.jsonl").read_bytes().startswith(shipped_history)

    install_wheel(install.wheel, install.purelib)              # an upgrade or a reinstall
    checked = run(install.bin, "check", cwd=tmp_path, XDG_DATA_HOME=str(home))
    assert checked.returncode == 0 and f"Data folder: {users_folder}\n" in checked.stdout
    history = run(install.bin, "history", cwd=tmp_path, XDG_DATA_HOME=str(home))
    assert f"+ labour {year} year-end: 123,456" in history.stdout and INVENTED_SOURCE not in shipped_history.decode()
    assert folder_state(bundled) == shipped


def test_membership_data_dir_takes_the_first_change_of_an_installed_copy(install: Install, tmp_path: Path):
    folder = tmp_path / "my data"
    upload = tmp_path / "figure.csv"
    year = first_free_year_end(load_dataset(ROOT / "data" / "membership.csv"))
    upload.write_text(f"Year,Members\n{year},654321\n")
    done = run(install.bin, "import", str(upload), "--party", "labour", "--source", INVENTED_SOURCE, cwd=tmp_path,
               MEMBERSHIP_DATA_DIR=str(folder), XDG_DATA_HOME=str(tmp_path / "unused"))
    assert done.returncode == 0, done.stderr
    assert f"Your data is now kept in {folder}" in done.stdout and (folder / "parties.csv").exists()
    assert not (tmp_path / "unused").exists()


def test_an_installed_copy_with_a_password_signs_in_and_keeps_its_sessions_in_the_users_folder(install: Install,
                                                                                                tmp_path: Path):
    """The secret and the sessions live in the user's data folder, never in site-packages, from the
    first start (before any change has filled the folder), and the command line reaches them there."""
    import http.client
    import stat

    bundled = install.purelib / "dashboard" / "bundled_data"
    shipped = folder_state(bundled)
    home = tmp_path / "home-data"
    users_folder = home / "membership-dashboard"
    password = "an installed copy's password"
    port = free_port()
    env = clean_env(MEMBERSHIP_ADMIN_PASSWORD=password, XDG_DATA_HOME=str(home))
    process = subprocess.Popen([str(install.bin / "membership"), "serve", "--port", str(port)], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def ask(method: str, path: str, body: str = "", cookie: str = "",
            kind: str = "application/x-www-form-urlencoded") -> tuple[http.client.HTTPResponse, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Content-Type": kind, "Sec-Fetch-Site": "same-origin", **({"Cookie": cookie} if cookie else {})}
        connection.request(method, path, body=body or None, headers=headers)
        answer = connection.getresponse()
        body = answer.read()
        connection.close()
        return answer, body

    def panels(cookie: str) -> bytes:
        """The panels the page fetches once its chart is drawn (the Update panel among them)."""
        body = {"output": "..panels.children...related-table-wrap.children..",
                "outputs": [{"id": "panels", "property": "children"}, {"id": "related-table-wrap", "property": "children"}],
                "inputs": [{"id": "chart-drawn", "property": "data", "value": True}],
                "state": [{"id": "view-store", "property": "data", "value": None}], "changedPropIds": ["chart-drawn.data"]}
        answer, text = ask("POST", "/_dash-update-component", json.dumps(body), cookie, "application/json")
        assert answer.status == 200, text
        return text

    try:
        assert process.stderr is not None
        said = ""
        while "Running on" not in said:  # the server's own line, once it listens
            line = process.stderr.readline()
            assert line, f"the installed server stopped: {said}"
            said += line
        signed, text = ask("POST", "/sign-in", urllib.parse.urlencode({"password": password}))
        assert signed.status == 303, text
        cookie = (signed.getheader("Set-Cookie") or "").split(";")[0]
        assert cookie.startswith("membership_session=")
        assert b'"sign-out"' in panels(cookie)                                  # the editor's panel
        private = users_folder / ".private"
        assert stat.S_IMODE((private / "secret_key").stat().st_mode) == 0o600 and (private / "sessions.sqlite3").exists()
        assert folder_state(bundled) == shipped                                 # nothing written into site-packages
        ended = run(install.bin, "sign-out-all", cwd=tmp_path, MEMBERSHIP_ADMIN_PASSWORD=password,
                    XDG_DATA_HOME=str(home))
        assert ended.returncode == 0 and "Ended 1 session" in ended.stdout, ended.stderr
        assert b'"sign-out"' not in panels(cookie) and b'"sign-in-link"' in panels(cookie)
    finally:
        process.terminate()
        process.communicate(timeout=10)
