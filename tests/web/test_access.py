"""Who may change data, tried as an attacker would: through a proxy, from another address, by
guessing the password, across sites. Every request is real HTTP (a live server on 127.0.0.1 or
Flask's test client); the data file must stay byte for byte as it was whenever editing is refused.
"""
from __future__ import annotations

import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from web_helpers import (
    PASSWORD,
    FakeClock,
    guess,
    limited_client,
    make_client,
    page_text,
    post_callback,
    sign_in,
    upload_request,
    wire,
)

from dashboard.updates.sessions import SignInLimits
from dashboard.web import security
from testkit.dash_wire import DashWire


class RewritingProxy(ThreadingHTTPServer):
    """A reverse proxy on 127.0.0.1 in front of `upstream`, sending the upstream's address as Host
    (nginx's default `proxy_pass`) and, when `forwarded_for`, the client in X-Forwarded-For."""

    def __init__(self, upstream_port: int, forwarded_for: bool):
        self.upstream_port, self.forwarded_for = upstream_port, forwarded_for
        super().__init__(("127.0.0.1", 0), ProxyHandler)


class ProxyHandler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def _forward(self) -> None:
        proxy: RewritingProxy = self.server  # type: ignore[assignment]
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection", "content-length")}
        headers["Host"] = f"127.0.0.1:{proxy.upstream_port}"
        if proxy.forwarded_for:
            headers["X-Forwarded-For"] = "198.51.100.23"  # the (documentation-range) visitor
        upstream = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=30)
        upstream.request(self.command, self.path, body=body, headers=headers)
        answer = upstream.getresponse()
        data = answer.read()
        self.send_response(answer.status)
        for key, value in answer.getheaders():
            if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        upstream.close()

    do_GET = do_POST = _forward


@pytest.mark.parametrize("forwarded_for", [True, False], ids=["with X-Forwarded-For", "Host rewritten only"])
def test_an_anonymous_edit_through_a_proxy_is_refused(start_server, data_dir, forwarded_for):
    """nginx in front of a loopback server without a password: the proxy's requests come from
    127.0.0.1 with Host 127.0.0.1, so neither says the visitor is elsewhere. With forwarded headers
    the server refuses; a proxy that sends none must be declared (MEMBERSHIP_TRUSTED_PROXIES)."""
    server = start_server(host="127.0.0.1", admin_password="", trusted_proxies=0 if forwarded_for else 1)
    proxy = RewritingProxy(server.server.server_port, forwarded_for)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    path = data_dir / "membership.csv"
    before = path.read_bytes()
    try:
        client = server.app.server.test_client()
        if forwarded_for:
            answer = DashWire.over_http(proxy.server_port).call("apply-changes", upload_request(data_dir))
            assert answer.status == 200 and "not accepted through a proxy" in answer.text
        else:  # declared behind a proxy: editing without a password is off, so no callback even exists
            assert wire(client).callbacks("apply-changes") == []
            assert "Editing is off" in page_text(client) and "behind a proxy" in page_text(client)
        assert path.read_bytes() == before
    finally:
        proxy.shutdown()
        proxy.server_close()
    if forwarded_for:  # the same request straight to the server, from this machine, is accepted
        answer = DashWire.over_http(server.server.server_port).call("apply-changes", upload_request(data_dir))
        assert "Applied change #1" in answer.text


def test_a_remote_peer_is_refused_even_with_a_loopback_host_header(data_dir):
    """MEMBERSHIP_HOST=127.0.0.1 while gunicorn binds 0.0.0.0: the connection's peer decides, not Host."""
    client = make_client(data_dir, host="127.0.0.1", admin_password="")
    client.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    path = data_dir / "membership.csv"
    before = path.read_bytes()
    _, text = post_callback(client, "apply-changes", upload_request(data_dir), {"Host": "127.0.0.1:8050"})
    assert "only accepted from this machine" in text and "203.0.113.9" in text
    assert path.read_bytes() == before


def test_a_page_of_another_site_cannot_edit_a_local_server(data_dir):
    client = make_client(data_dir, host="127.0.0.1", admin_password="")
    path = data_dir / "membership.csv"
    before = path.read_bytes()
    _, text = post_callback(client, "apply-changes", upload_request(data_dir),
                            {"Host": "127.0.0.1:8050", "Origin": "https://evil.example"})
    assert "another site" in text and path.read_bytes() == before


def test_a_brute_force_is_slowed_then_refused_and_the_right_password_does_not_get_through(data_dir, monkeypatch):
    clock = FakeClock()
    client = limited_client(data_dir, clock, monkeypatch)
    answers = [guess(client, f"guess {n}") for n in range(1000)]   # as fast as the server answers
    checked = [a for a in answers if a.status_code == 303]
    refused = [a for a in answers if a.status_code == 429]
    assert len(checked) == SignInLimits().free_failures and len(checked) + len(refused) == 1000
    assert all(int(a.headers["Retry-After"]) >= 1 for a in refused)
    # Waiting as told lets a few more guesses through, one at a time, then the client is locked out.
    limits = SignInLimits()
    for _ in range(limits.lockout_failures - limits.free_failures):
        clock.now += int(guess(client, "wait").headers["Retry-After"])
        assert guess(client, "another guess").status_code == 303
    locked = guess(client, PASSWORD)
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 60
    assert "Sign in to change data" in page_text(client)           # the right password did not sign in
    clock.now += SignInLimits().window_seconds + 1
    assert guess(client, PASSWORD).status_code == 303 and "upload-data" in page_text(client)


def test_failed_sign_ins_from_many_addresses_trip_the_overall_limit(data_dir, monkeypatch):
    clock = FakeClock()
    limits = SignInLimits()
    client = limited_client(data_dir, clock, monkeypatch)
    for n in range(limits.overall_failures):
        assert guess(client, "guess", address=f"192.0.2.{n + 1}").status_code == 303
    answer = guess(client, PASSWORD, address="198.51.100.77")       # a new address, the right password
    assert answer.status_code == 429 and "Retry-After" in answer.headers


def test_the_session_cookie_is_signed_httponly_samesite_strict_and_secure_over_https(data_dir):
    client = make_client(data_dir, admin_password=PASSWORD)
    answer = client.post("/sign-in", data={"password": PASSWORD})
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie
    assert PASSWORD not in cookie
    secure = make_client(data_dir, admin_password=PASSWORD)
    answer = secure.post("/sign-in", data={"password": PASSWORD}, base_url="https://localhost")
    assert "Secure" in answer.headers["Set-Cookie"]
    forged = make_client(data_dir, admin_password=PASSWORD)        # a cookie signed with another key
    forged.set_cookie("membership_session", cookie.split(";")[0].split("=", 1)[1][:-4] + "AAAA")
    _, text = post_callback(forged, "apply-changes", upload_request(data_dir))
    assert "Sign in with the admin password" in text


def test_a_sign_in_posted_from_another_site_is_refused(data_dir):
    client = make_client(data_dir, admin_password=PASSWORD)
    answer = client.post("/sign-in", data={"password": PASSWORD}, headers={"Sec-Fetch-Site": "cross-site"})
    assert answer.status_code == 403 and "Set-Cookie" not in answer.headers


def test_sign_in_returns_only_to_this_dashboard(data_dir):
    client = make_client(data_dir, admin_password=PASSWORD)
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        answer = client.post("/sign-in", data={"password": PASSWORD, "next": target})
        assert answer.headers["Location"] in ("/", "http://localhost/")
    answer = client.post("/sign-in", data={"password": PASSWORD, "next": "/?parties=labour,snp"})
    assert answer.headers["Location"].endswith("/?parties=labour,snp")


def test_the_sign_in_page_never_echoes_a_password(data_dir):
    client = make_client(data_dir, admin_password=PASSWORD)
    answer = client.post("/sign-in", data={"password": "my typo'd secret"}, follow_redirects=True)
    assert "That is not the admin password" in answer.get_data(as_text=True)
    assert "my typo'd secret" not in answer.get_data(as_text=True)


def test_visitors_see_what_changed_and_when_but_not_who_from_where(data_dir):
    editor = make_client(data_dir, admin_password=PASSWORD)
    editor.environ_base["REMOTE_ADDR"] = "192.0.2.44"
    sign_in(editor)
    post_callback(editor, "apply-changes", upload_request(data_dir))
    visitor = editor.application.test_client()
    shown = page_text(visitor)
    assert "#1" in shown and "123,456" in shown and "changed the figures" in shown
    assert "192.0.2.44" not in shown and "web page (" not in shown and "new.csv" not in shown
    assert "192.0.2.44" in page_text(editor) and "new.csv" in page_text(editor)


def test_every_response_refuses_framing_sniffing_and_foreign_scripts(data_dir):
    client = make_client(data_dir)
    for path in ("/", "/_dash-layout", "/data/membership.csv"):
        headers = client.get(path).headers
        assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
        policy = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy
        script_src = next(d for d in policy.split("; ") if d.startswith("script-src"))
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src and "'sha256-" in script_src


def test_a_route_listed_as_frameable_may_be_framed_and_no_other(monkeypatch, data_dir):
    monkeypatch.setitem(security.FRAMEABLE, "/data/membership.csv", "*")
    client = make_client(data_dir)
    framed = client.get("/data/membership.csv").headers
    assert "X-Frame-Options" not in framed and "frame-ancestors *" in framed["Content-Security-Policy"]
    assert client.get("/").headers["X-Frame-Options"] == "DENY"
    assert security.frame_ancestors("/data/membership.csv/more") == "'none'"
    assert security.frame_ancestors("/data") == "'none'"


@pytest.mark.parametrize("path", ["/embed/anything", "/embed/", "/embed/x/y?parties=labour", "/embedded"])
def test_only_the_embed_itself_may_be_framed_not_what_dash_serves_under_it(data_dir, path):
    """Dash answers every unknown path with the whole dashboard: /embed/anything is the page with its
    editing panel, and must refuse framing like every path but /embed."""
    client = make_client(data_dir)
    answer = client.get(path)
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    embed = client.get("/embed?parties=labour").headers
    assert "X-Frame-Options" not in embed and "frame-ancestors 'none'" not in embed["Content-Security-Policy"]
