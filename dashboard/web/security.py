"""What every response carries: security headers (a framing rule per route, a Content Security
Policy the page passes), the cache rules that keep an editor's answers out of shared caches, and
ProxyFix when proxies are declared.

Editors' sessions are held on the server (web/editor_session.py); Flask's own cookie session is not
used, so no response but a sign-in or sign-out sets a cookie. A response that read the session
says `Vary: Cookie` and `Cache-Control: private`; a response marked public never carries Set-Cookie.
"""
from __future__ import annotations

import base64
import hashlib

import dash
from flask import Response, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboard.config import Settings
from dashboard.web import editor_session

# Framing is refused everywhere (clickjacking: an invisible dashboard under a foreign page's
# buttons) except on routes meant to be framed. Each entry: a path, exactly (not what lies under it:
# Dash answers every unknown path with the whole dashboard) -> the `frame-ancestors` sources allowed
# there ("" for any page, a local file included). Add a route with allow_framing().
FRAMEABLE: dict[str, str] = {}
ANY_PAGE = ""


def allow_framing(path: str, sources: str = ANY_PAGE) -> None:
    """Let pages matching `sources` (any page by default) frame `path` itself."""
    FRAMEABLE[path] = sources


def frame_ancestors(path: str) -> str:
    """The CSP frame-ancestors value for a path: "'none'" unless FRAMEABLE lists that very path."""
    return FRAMEABLE.get(path, "'none'")


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


def install(app: dash.Dash, settings: Settings, inline_scripts: list[str]) -> None:
    """Sessions, ProxyFix and the headers, on the app's Flask server. `inline_scripts` are the page's
    own inline scripts (Dash's are hashed by dash itself, once every callback is registered)."""
    server = app.server
    editor_session.install(server, settings)
    # Flask's own cookie session is not used, and with no secret key it cannot be: Flask refuses to
    # write it, so no response can carry it. (The sessions' secret signs session ids only.)
    server.secret_key = None
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
        keep_private_answers_private(response)
        return response


def keep_private_answers_private(response: Response) -> None:
    """An answer that depends on the session, or on the Host header, is private and says what it
    varies by; a cookie never rides on an answer a shared cache may keep."""
    if g.get("host_shaped"):  # absolute links from the Host (no MEMBERSHIP_PUBLIC_URL)
        response.vary.add("Host")
        response.cache_control.public = False
        response.cache_control.private = True
    if g.get("session_read"):
        response.vary.add("Cookie")
        response.cache_control.public = False
        response.cache_control.private = True
    if "Set-Cookie" in response.headers:
        response.cache_control.public = False
        response.cache_control.private = True
        response.cache_control.no_store = True
