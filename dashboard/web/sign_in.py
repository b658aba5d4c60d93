"""Sign-in and sign-out: the admin password is posted once, by a plain HTML form on a page of its
own (no React component ever holds it, so it is never in the dashboard's HTML), and exchanged for a
session held on the server (web/editor_session.py); the changing callbacks then check the session.

A failed sign-in sets no cookie at all. Failed sign-ins are slowed and then refused per client and
for all clients together, counted in the store every server process shares; a refused attempt is
not even checked. A one-time code from `membership sign-in-code` (typed in the same box) signs in
from any address, also while sign-ins are refused: the answer to a lock-out.
"""
from __future__ import annotations

import html
from urllib.parse import quote, urlsplit

import dash
from dash import html as components
from flask import Response, redirect, request
from werkzeug.wrappers import Response as BaseResponse

from dashboard.config import Settings
from dashboard.updates.access import password_matches, retry_after
from dashboard.web import editor_session
from dashboard.web.access_check import client_key

SIGN_IN_PATH = "/sign-in"
SIGN_OUT_PATH = "/sign-out"
FAILED = "failed"  # ?failed=1: the message of a failed sign-in, carried in the address, never a cookie


def safe_next(value: object, prefix: str) -> str:
    """Where to return after signing in or out: a path of this dashboard only (never another site)."""
    text = value if isinstance(value, str) else ""
    parts = urlsplit(text)
    if parts.scheme or parts.netloc or not text.startswith(prefix) or text.startswith("//") or "\\" in text:
        return prefix
    return parts.path + (f"?{parts.query}" if parts.query else "")


def sign_out_form(element_id: str) -> components.Form:
    """The Sign out button: a plain form posted to this server (never a callback)."""
    return components.Form(components.Button("Sign out", type="submit", className="secondary"), method="post",
                           action=SIGN_OUT_PATH, id=element_id, className="sign-out")


def sign_in_link(prefix: str, back: str) -> str:
    """The sign-in page's address, returning to `back` afterwards."""
    return f"{prefix}{SIGN_IN_PATH.lstrip('/')}?next={quote(back, safe='')}"


def sign_in_page(prefix: str, back: str, message: str | None) -> str:
    """A page of its own with a plain form: the browser posts the password once, to this server."""
    error = f'<p class="error" role="alert">{html.escape(message)}</p>' if message else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · British party membership</title><link rel="stylesheet" href="{html.escape(prefix)}assets/style.css">
<link rel="stylesheet" href="{html.escape(prefix)}assets/update_panel.css">
</head><body><main class="sign-in-page panel update">
<h1>Sign in to change data</h1>
<p class="hint">Reading is open to everyone; adding or correcting figures needs the admin password.</p>
{error}
<form method="post" action="{html.escape(prefix + SIGN_IN_PATH.lstrip('/'))}">
<input type="hidden" name="next" value="{html.escape(back)}">
<label for="password">Admin password</label>
<div class="sign-in-row"><input id="password" type="password" name="password" autocomplete="current-password"
 aria-describedby="code-hint" required autofocus><button type="submit" class="primary">Sign in</button></div>
<p class="hint" id="code-hint">Locked out? A one-time code from <code>membership sign-in-code</code>, run on the
server, goes in the same box.</p>
</form>
<p><a href="{html.escape(back)}">Back to the dashboard</a></p>
</main></body></html>"""


def cross_site() -> bool:
    """A form posted from another site (login CSRF); browsers say so in Sec-Fetch-Site."""
    return request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none")


def too_many(seconds: float, prefix: str) -> Response:
    wait = retry_after(seconds)
    body = (f"<!DOCTYPE html><html lang=\"en\"><title>Too many sign-ins</title><p>Too many failed sign-ins: "
            f"try again in {wait} seconds.</p><p>The administrator can sign in at once with a one-time code: run "
            f"<code>membership sign-in-code</code> on the server and type the code in the password box.</p>"
            f"<p><a href=\"{html.escape(prefix)}\">Back to the dashboard</a></p></html>")
    return Response(body, status=429, mimetype="text/html", headers={"Retry-After": str(wait)})


def attach(app: dash.Dash, settings: Settings) -> None:
    """Add the sign-in and sign-out routes."""
    prefix = app.config.requests_pathname_prefix

    @app.server.get(SIGN_IN_PATH)
    def sign_in_form() -> BaseResponse:
        if not settings.admin_password:
            return Response("No admin password is set: there is nothing to sign in to.", status=404)
        back = safe_next(request.args.get("next"), prefix)
        message = ("That is not the admin password, nor an unused sign-in code."
                   if request.args.get(FAILED) else None)
        return Response(sign_in_page(prefix, back, message), mimetype="text/html",
                        headers={"Cache-Control": "no-store"})

    @app.server.post(SIGN_IN_PATH)
    def sign_in() -> BaseResponse:
        if not settings.admin_password:
            return Response("No admin password is set: there is nothing to sign in to.", status=404)
        if cross_site():
            return Response("Sign-in from another site is refused.", status=403)
        back = safe_next(request.form.get("next"), prefix)
        given = request.form.get("password")
        store = editor_session.sessions().store
        assert store is not None
        now = editor_session.clock()
        client = client_key()
        if not store.use_code(given, now):
            wait = store.begin_sign_in(client, now)  # counted as a failure until the password is right
            if wait > 0:
                return too_many(wait, prefix)
            if not password_matches(settings.admin_password, given):
                return redirect(f"{sign_in_link(prefix, back)}&{FAILED}=1", code=303)
            store.signed_in(client)
        answer = redirect(back, code=303)
        editor_session.start(answer, prefix)
        return answer

    @app.server.post(SIGN_OUT_PATH)
    def sign_out() -> BaseResponse:
        referrer = urlsplit(request.referrer or "")  # back to the view the button was on
        same_site = referrer.netloc == request.host
        back = request.form.get("next") or (referrer.path + (f"?{referrer.query}" if referrer.query else "")
                                             if same_site else "")
        answer = redirect(safe_next(back, prefix), code=303)
        if not cross_site():
            editor_session.end(answer, prefix)
        return answer
