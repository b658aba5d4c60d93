"""The access rule (updates/access.py) asked with what this server and this request say.

The peer address is the connection's own (REMOTE_ADDR as the server saw it, before any ProxyFix);
whether a proxy is in front is read from the forwarding headers. The session is held on the
server (web/editor_session.py), its cookie set only by a successful sign-in (web/sign_in.py).
"""
from __future__ import annotations

from flask import has_request_context, request

from dashboard.config import Settings
from dashboard.updates import access
from dashboard.updates.access import FORWARDING_HEADERS, RequestFacts
from dashboard.web import editor_session


def connection_peer() -> str | None:
    """The address of whoever opened the connection (a proxy, when there is one), never a header."""
    original = request.environ.get("werkzeug.proxy_fix.orig", {})
    return original.get("REMOTE_ADDR") or request.environ.get("REMOTE_ADDR")


def request_facts() -> RequestFacts | None:
    """What the request being served says; None outside a request (the command line)."""
    if not has_request_context():
        return None
    original = request.environ.get("werkzeug.proxy_fix.orig", {})
    forwarded = bool(original) or any(request.headers.get(name) for name in FORWARDING_HEADERS)
    return RequestFacts(peer=connection_peer(), host=request.host or "", origin=request.headers.get("Origin"),
                        forwarded=forwarded)


def signed_in(settings: Settings) -> bool:
    """A live session (not signed out, not expired, not idle too long) from a sign-in with the
    current password."""
    return bool(settings.admin_password) and editor_session.signed_in()


def editing_off_reason(settings: Settings) -> str | None:
    """Why the page shows no editing controls at all, or None."""
    return access.editing_off_reason(settings.admin_password, settings.bound_host, settings.behind_proxy)


def access_refusal(settings: Settings) -> str | None:
    """Why the request being served may not change data, or None."""
    return access.access_refusal(settings.admin_password, settings.bound_host, settings.behind_proxy,
                                 signed_in(settings), request_facts())


def is_editor(settings: Settings) -> bool:
    """Whether this request may change data: editors see who changed what and what to fix."""
    return access_refusal(settings) is None


def who(settings: Settings) -> str:
    """The history's "who" for a change made in the page."""
    return access.who(signed_in(settings), connection_peer() if has_request_context() else None)


def client_key() -> str:
    """Whom failed sign-ins are counted against: the reader's address as the trusted proxies
    report it (ProxyFix), else the connection's."""
    return request.remote_addr or "unknown"
