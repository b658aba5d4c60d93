"""Who may change data: reading is public, changing needs the admin password whenever other
machines can reach the server. Every callback or route that changes data asks `access_refusal`
itself, on the server; hiding a button is not a check.
"""
from __future__ import annotations

import hmac

from .config import Settings, is_loopback


def editing_off_reason(settings: Settings) -> str | None:
    """Why the page shows no editing controls at all, or None."""
    if settings.editing_allowed:
        return None
    return (f"Editing is off: this server listens on {settings.host}, which other machines can reach, and no "
            "admin password is set. Set MEMBERSHIP_ADMIN_PASSWORD to allow changes.")


def host_refusal() -> str | None:
    """Without a password only this machine may edit; a page from another site that rebinds its
    domain name to 127.0.0.1 (DNS rebinding) still sends its own name as Host, so check it."""
    from flask import has_request_context, request

    if not has_request_context():
        return None
    host = request.host or ""
    name = host[1:host.find("]")] if host.startswith("[") else host.rsplit(":", 1)[0]
    if is_loopback(name):
        return None
    return (f"Without an admin password, changes are only accepted through 127.0.0.1 or localhost "
            f"(this request was for '{name[:60]}').")


def access_refusal(settings: Settings, password: object) -> str | None:
    """Why this request may not change data, or None. Checked in every changing callback."""
    reason = editing_off_reason(settings)
    if reason:
        return reason
    if settings.password_required:
        given = (password if isinstance(password, str) else "").encode("utf-8")
        if not hmac.compare_digest(given, settings.admin_password.encode("utf-8")):
            return "The admin password is missing or wrong: nothing was read or changed."
        return None
    return host_refusal()


def who(settings: Settings) -> str:
    """The history's "who" for a change made in the page."""
    from flask import has_request_context, request

    address = request.remote_addr if has_request_context() else "unknown address"
    how = "admin password" if settings.password_required else "local, no password"
    return f"web page ({address}, {how})"
