"""Editors' sessions held on the server: what a stolen or saved cookie can still do (nothing, once
signed out, expired, idle or the password changed), what a failed sign-in hands out (no cookie),
and limits shared by every server process. Several apps on one data folder stand for several
gunicorn workers: they share nothing but the folder, as workers do.
"""
from __future__ import annotations

import json
import sqlite3
import stat
import threading
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from web_helpers import PASSWORD, FakeClock, guess, make_client, page_text, post_callback, sign_in, upload_request

from dashboard.cli.main import main as membership
from dashboard.updates.sessions import IDLE_MINUTES, SESSION_HOURS, SignInLimits, state_folder
from dashboard.web import app as app_module
from dashboard.web import editor_session
from testkit.dash_wire import DashWire

COOKIE = "membership_session"
SECRET = "a" * 16 + "b" * 16 + "c" * 16


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    clock = FakeClock()
    monkeypatch.setattr(editor_session, "clock", clock)
    return clock


def cookie_of(client) -> str | None:
    found = client.get_cookie(COOKIE)
    return found.value if found else None


def can_apply(client, data_dir) -> bool:
    """Whether `client` may change data, asked as the page's Apply does (nothing is written when refused)."""
    _, text = post_callback(client, "apply-changes", upload_request(data_dir))
    if "Applied change" in text:
        post_callback(client, "undo-change", {"apply-changes.n_clicks": 0, "undo-change.n_clicks": 1,
                                              "undo-target.data": _latest_change(data_dir)})
        return True
    assert "Sign in with the admin password" in text, text[:500]
    return False


def _latest_change(data_dir) -> int:
    from dashboard.updates.store import Store

    return Store(data_dir / "membership.csv").entries()[-1].id


def get(client, path: str):
    """The answer to a GET, closed (a static file is streamed from disk)."""
    answer = client.get(path)
    answer.close()
    return answer


def with_cookie(client, value: str):
    """Another browser that copied `value` (a cookie saved, or stolen, earlier)."""
    other = client.application.test_client()
    other.set_cookie(COOKIE, value)
    return other


# ---------------------------------------------------------------- finding 1: no offline oracle

def test_a_failed_sign_in_hands_out_no_cookie_at_all(data_dir):
    client = make_client(data_dir, admin_password=PASSWORD)
    answer = client.post("/sign-in", data={"password": "a wrong guess"})
    assert answer.status_code == 303 and "Set-Cookie" not in answer.headers
    shown = client.get(answer.headers["Location"])
    assert "That is not the admin password" in shown.get_data(as_text=True) and "Set-Cookie" not in shown.headers
    assert client.get("/sign-in").headers.get("Set-Cookie") is None


def test_the_signing_secret_is_random_kept_beside_the_data_and_private(data_dir, tmp_path):
    """Two servers with the same password sign with different keys; the key is made once and kept
    (mode 0600) for every process; MEMBERSHIP_SECRET_KEY, when set, is used instead of a file."""
    make_client(data_dir, admin_password=PASSWORD)
    key_file = state_folder(data_dir / "membership.csv") / "secret_key"
    first = key_file.read_bytes()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600 and PASSWORD.encode() not in first
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((key_file.parent / "sessions.sqlite3").stat().st_mode) == 0o600
    make_client(data_dir, admin_password=PASSWORD)                       # another worker, or a restart
    assert key_file.read_bytes() == first
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "membership.csv").write_bytes((data_dir / "membership.csv").read_bytes())
    make_client(other, admin_password=PASSWORD)
    assert (state_folder(other / "membership.csv") / "secret_key").read_bytes() != first
    given = tmp_path / "given"
    given.mkdir()
    (given / "membership.csv").write_bytes((data_dir / "membership.csv").read_bytes())
    make_client(given, admin_password=PASSWORD, secret_key=SECRET)
    assert not (state_folder(given / "membership.csv") / "secret_key").exists()


def test_a_cookie_is_only_a_random_id_that_the_password_cannot_forge(data_dir):
    client = make_client(data_dir, admin_password=PASSWORD)
    assert sign_in(client) == 303
    value = cookie_of(client)
    assert value and PASSWORD not in value
    forged = value.split(".")[0] + ".AAAAAAAAAAAAAAAAAAAAAAAA"
    assert not can_apply(with_cookie(client, forged), data_dir)
    assert can_apply(with_cookie(client, value), data_dir)


def test_signing_in_again_ends_the_session_the_browser_held(data_dir):
    client = make_client(data_dir, admin_password=PASSWORD)
    sign_in(client)
    first = cookie_of(client)
    assert first and sign_in(client) == 303
    second = cookie_of(client)
    assert second and second != first
    assert not can_apply(with_cookie(client, first), data_dir)
    assert can_apply(with_cookie(client, second), data_dir)


# ---------------------------------------------------------------- finding 2: sessions end

def test_a_cookie_saved_before_sign_out_changes_nothing_afterwards(data_dir):
    client = make_client(data_dir, admin_password=PASSWORD)
    sign_in(client)
    saved = cookie_of(client)
    assert saved and can_apply(client, data_dir)
    answer = client.post("/sign-out", headers={"Sec-Fetch-Site": "same-origin"})
    assert f"{COOKIE}=;" in answer.headers["Set-Cookie"]
    before = (data_dir / "membership.csv").read_bytes()
    assert not can_apply(with_cookie(client, saved), data_dir)
    assert (data_dir / "membership.csv").read_bytes() == before


def test_requests_after_sign_in_never_reissue_the_cookie(data_dir):
    client = make_client(data_dir, admin_password=PASSWORD)
    sign_in(client)
    for path in ("/", "/_dash-layout", "/assets/style.css", "/data/membership.csv", "/embed"):
        assert "Set-Cookie" not in get(client, path).headers, path
    status, _ = post_callback(client, "apply-changes", upload_request(data_dir))
    assert status == 200


def test_an_answer_still_on_its_way_at_sign_out_cannot_sign_the_browser_back_in(start_server, monkeypatch):
    """The cause of a flaky browser test: a cookie session re-sent on every answer let a callback answered
    while the sign-out was on its way put the editor's cookie back, and the page after Sign out was still
    signed in. Here a browser's cookie jar gets the answer to a request made before the sign-out only
    after the sign-out's own answer, as a page's late callback does."""
    server = start_server(admin_password=PASSWORD)
    jar = CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    same_site = {"Sec-Fetch-Site": "same-origin"}

    def post(path: str, body: bytes, headers: dict) -> bytes:
        with browser.open(urllib.request.Request(server.url + path, data=body, headers=headers), timeout=60) as answer:
            return answer.read()

    def panels() -> bytes:
        wire = DashWire.over_http(int(server.url.rsplit(":", 1)[1]))
        envelope = wire.envelope(wire.callback("chart-drawn", "panels.children"),
                                 {"chart-drawn.data": True, "view-store.data": None})
        return post("/_dash-update-component", json.dumps(envelope).encode(), {"Content-Type": "application/json"})

    post("/sign-in", urllib.parse.urlencode({"password": PASSWORD}).encode(), same_site)
    assert [c.name for c in jar] == [COOKIE] and b'"sign-out"' in panels()
    reached, release = threading.Event(), threading.Event()
    related_table = app_module.related_table

    def held(dataset):  # the panels' answer is being made when the editor clicks Sign out
        reached.set()
        assert release.wait(60)
        return related_table(dataset)

    monkeypatch.setattr(app_module, "related_table", held)
    late: list[bytes] = []
    answering = threading.Thread(target=lambda: late.append(panels()))
    answering.start()
    assert reached.wait(60)
    post("/sign-out", b"", same_site)
    assert list(jar) == []
    release.set()
    answering.join(60)
    assert late and b'"sign-out"' in late[0]   # made for the editor, before the sign-out ended the session...
    assert list(jar) == []                     # ...and it brought no cookie back
    monkeypatch.setattr(app_module, "related_table", related_table)
    assert b'"sign-in-link"' in panels() and b'"sign-out"' not in panels()


def test_a_session_ends_eight_hours_after_sign_in_however_busy(data_dir, clock):
    client = make_client(data_dir, admin_password=PASSWORD)
    sign_in(client)
    while clock.now < 1000.0 + SESSION_HOURS * 3600 - 1200:
        clock.now += 20 * 60                                  # used every twenty minutes
        assert can_apply(client, data_dir)
    clock.now = 1000.0 + SESSION_HOURS * 3600
    assert not can_apply(client, data_dir)


def test_sessions_that_ended_unasked_are_cleared_at_the_next_sign_in(data_dir, clock):
    client = make_client(data_dir, admin_password=PASSWORD)
    sign_in(client)
    clock.now += IDLE_MINUTES * 60                           # that browser never comes back
    sign_in(client.application.test_client())
    database = state_folder(data_dir / "membership.csv") / "sessions.sqlite3"
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 1


def test_a_session_left_idle_ends(data_dir, clock):
    client = make_client(data_dir, admin_password=PASSWORD)
    sign_in(client)
    clock.now += IDLE_MINUTES * 60 - 5
    assert can_apply(client, data_dir)
    clock.now += IDLE_MINUTES * 60
    assert not can_apply(client, data_dir)


def test_signing_out_in_one_worker_ends_the_session_in_every_worker(data_dir):
    first, second = make_client(data_dir, admin_password=PASSWORD), make_client(data_dir, admin_password=PASSWORD)
    sign_in(first)
    saved = cookie_of(first)
    assert saved and can_apply(with_cookie(second, saved), data_dir)
    first.post("/sign-out", headers={"Sec-Fetch-Site": "same-origin"})
    assert not can_apply(with_cookie(second, saved), data_dir)


def test_sign_out_all_ends_every_session_in_every_worker(data_dir, monkeypatch, capsys):
    workers = [make_client(data_dir, admin_password=PASSWORD) for _ in range(2)]
    for worker in workers:
        sign_in(worker)
    monkeypatch.setenv("MEMBERSHIP_ADMIN_PASSWORD", PASSWORD)
    assert membership(["sign-out-all", "--data", str(data_dir / "membership.csv")]) == 0
    assert "Ended 2 sessions" in capsys.readouterr().out
    assert not any(can_apply(worker, data_dir) for worker in workers)


# ---------------------------------------------------------------- finding 3: a new password

@pytest.mark.parametrize("secret_key", ["", SECRET], ids=["random key", "MEMBERSHIP_SECRET_KEY"])
def test_a_new_password_ends_every_session(data_dir, secret_key):
    old = make_client(data_dir, admin_password=PASSWORD, secret_key=secret_key)
    sign_in(old)
    saved = cookie_of(old)
    assert saved
    same = make_client(data_dir, admin_password=PASSWORD, secret_key=secret_key)   # a restart: sessions live on
    assert can_apply(with_cookie(same, saved), data_dir)
    new = make_client(data_dir, admin_password="a brand new password", secret_key=secret_key)
    assert not can_apply(with_cookie(new, saved), data_dir)
    assert not can_apply(with_cookie(old, saved), data_dir)   # a worker still on the old password, too


# ---------------------------------------------------------------- finding 4: nothing private in a cache

def test_no_publicly_cacheable_answer_carries_the_editors_cookie_and_private_pages_say_so(data_dir):
    client = make_client(data_dir, admin_password=PASSWORD)
    sign_in(client)
    plotly = next(r.rule for r in client.application.url_map.iter_rules() if r.rule.startswith("/_plotly/"))
    suite = "/_dash-component-suites/dash/dcc/async-graph.js"
    for path in (plotly, suite, "/assets/style.css", "/embed", "/embed/plotly.min.js", "/data/membership.csv"):
        answer = get(client, path)
        assert answer.status_code == 200, path
        assert "Set-Cookie" not in answer.headers, path
    for path in ("/_dash-layout",):  # the layout shows editors the panel and who changed what
        answer = client.get(path)
        assert "Set-Cookie" not in answer.headers
        assert "Cookie" in answer.headers.get("Vary", "") and "public" not in answer.headers.get("Cache-Control", "")
        assert "private" in answer.headers.get("Cache-Control", ""), path
    signed = client.post("/sign-in", data={"password": PASSWORD})
    assert "Set-Cookie" in signed.headers and "public" not in signed.headers.get("Cache-Control", "")


def test_flasks_own_cookie_session_cannot_be_written_so_no_answer_can_carry_it(data_dir):
    """Only the server-held session exists: Flask's signed-cookie session has no key to sign with."""
    from flask import session

    client = make_client(data_dir, admin_password=PASSWORD)
    with client.application.test_request_context("/"), pytest.raises(RuntimeError, match="secret key"):
        session["editor"] = True


# ---------------------------------------------------------------- finding 8: limits for all workers

def test_four_workers_allow_no_more_guesses_than_one(data_dir, clock):
    workers = [make_client(data_dir, admin_password=PASSWORD) for _ in range(4)]
    answers = [guess(workers[n % 4], f"guess {n}") for n in range(200)]
    checked = [a for a in answers if a.status_code == 303]
    assert len(checked) == SignInLimits().free_failures
    locked = guess(workers[1], PASSWORD)
    assert locked.status_code == 429


def test_a_sign_in_code_from_the_console_answers_a_lock_out_once(data_dir, clock, monkeypatch, capsys):
    """Fifty failures from fifty addresses refuse every sign-in; the code printed by
    `membership sign-in-code` still signs in, from any address, and only once."""
    workers = [make_client(data_dir, admin_password=PASSWORD) for _ in range(2)]
    for n in range(SignInLimits().overall_failures):
        guess(workers[n % 2], "guess", address=f"192.0.2.{n + 1}")
    assert guess(workers[0], PASSWORD, address="198.51.100.7").status_code == 429
    monkeypatch.setenv("MEMBERSHIP_ADMIN_PASSWORD", PASSWORD)
    monkeypatch.setattr("dashboard.cli.access.clock", clock)
    assert membership(["sign-in-code", "--data", str(data_dir / "membership.csv")]) == 0
    code = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("Sign-in code:")).split(": ")[1]
    admin = workers[1]
    answer = guess(admin, code.lower().replace("-", " "), address="203.0.113.50")
    assert answer.status_code == 303 and "Set-Cookie" in answer.headers
    assert "upload-data" in page_text(admin)
    again = guess(workers[0], code, address="203.0.113.50")
    assert again.status_code == 429                                   # used once: now an ordinary, refused guess


# ---------------------------------------------------------------- where the state lives

def test_the_secret_and_sessions_are_never_kept_inside_the_installed_package(monkeypatch, capsys):
    """A data file inside the package is the bundled copy: nothing is written beside it."""
    from dashboard.config import Settings, SettingsError
    from dashboard.updates.sessions import PACKAGE_DIR, NoPrivateFolder

    bundled = PACKAGE_DIR / "bundled_data" / "membership.csv"
    with pytest.raises(NoPrivateFolder, match="MEMBERSHIP_DATA_DIR"):
        state_folder(bundled)
    with pytest.raises(SettingsError, match="MEMBERSHIP_DATA_DIR"):
        editor_session.EditorSessions(Settings(data_path=bundled, admin_password=PASSWORD))
    assert editor_session.EditorSessions(Settings(data_path=bundled)).store is None   # no password: nothing kept
    monkeypatch.setenv("MEMBERSHIP_ADMIN_PASSWORD", PASSWORD)
    assert membership(["sign-in-code", "--data", str(bundled)]) != 0
    assert "inside the installed package" in capsys.readouterr().err
    assert not (bundled.parent / ".private").exists()
