"""What every response carries and how editors' sessions work: security headers (a per-route
framing rule, a Content Security Policy the page passes), the signed session cookie, ProxyFix.

The session cookie is Flask's signed cookie: HttpOnly, SameSite=Strict, Secure whenever the
request came over HTTPS (as the trusted proxies report it), valid for access.SESSION_HOURS.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets

import dash
from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboard.config import Settings
from dashboard.updates.access import SESSION_HOURS, session_key

# Framing is refused everywhere (clickjacking: an invisible dashboard under a foreign page's
# buttons) except on routes meant to be framed. Each entry: path prefix -> the `frame-ancestors`
# sources allowed there ("" for any page, a local file included). Add a route with allow_framing().
FRAMEABLE: dict[str, str] = {}
ANY_PAGE = ""


def allow_framing(path: str, sources: str = ANY_PAGE) -> None:
    """Let pages matching `sources` (any page by default) frame `path` and what lies under it."""
    FRAMEABLE[path] = sources


def frame_ancestors(path: str) -> str:
    """The CSP frame-ancestors value for a path: "'none'" unless a FRAMEABLE prefix allows more."""
    for prefix, sources in FRAMEABLE.items():
        if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
            return sources
    return "'none'"


def script_hash(script: str) -> str:
    """A CSP source for one inline script, by its SHA-256."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def content_security_policy(script_sources: list[str], ancestors: str) -> str:
    """Scripts only from this server or inline ones known by hash (no 'unsafe-inline' or 'unsafe-eval'
    for scripts). Styles allow inline: plotly.js and the components write their own <style> elements."""
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *script_sources]),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": ancestors,
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items() if value)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, Secure on HTTPS requests even when plain HTTP is also served."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def install(app: dash.Dash, settings: Settings, inline_scripts: list[str]) -> None:
    """Sessions, ProxyFix and the headers, on the app's Flask server. `inline_scripts` are the page's
    own inline scripts (Dash's are hashed by dash itself, once every callback is registered)."""
    server = app.server
    server.secret_key = (session_key(settings.admin_password, settings.secret_key) if settings.admin_password
                         else secrets.token_bytes(32))  # no password: no sessions to keep across processes
    server.session_interface = SessionInterface()
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict",
                         SESSION_COOKIE_NAME="membership_session",
                         PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=SESSION_HOURS))
    if settings.trusted_proxies:
        n = settings.trusted_proxies
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=n, x_proto=n, x_host=0)
    policy: dict[str, list[str]] = {}

    def script_sources() -> list[str]:
        if "sources" not in policy:  # after the first request every callback (and its inline script) exists
            policy["sources"] = sorted(set(app.csp_hashes()) | {script_hash(s) for s in inline_scripts})
        return policy["sources"]

    @server.after_request
    def headers(response: Response) -> Response:
        ancestors = frame_ancestors(request.path)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        if ancestors == "'none'":
            response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = content_security_policy(script_sources(), ancestors)
        return response
