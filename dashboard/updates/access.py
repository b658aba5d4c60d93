"""Who may change data: reading is public, changing needs the admin password whenever other
machines can reach the server. The web layer asks `access_refusal` in every callback or route that
changes data, on the server, passing what the request said; hiding a button is not a check.
"""
from __future__ import annotations

import hmac
import ipaddress


def is_loopback(host: str) -> bool:
    """True when only this machine can reach a server listening on `host`."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def editing_allowed(admin_password: str, bound_host: str | None) -> bool:
    """Editing needs a password unless the server listens on loopback only (None: address unknown)."""
    return bool(admin_password) or (bound_host is not None and is_loopback(bound_host))


def editing_off_reason(admin_password: str, bound_host: str | None) -> str | None:
    """Why the page shows no editing controls at all, or None."""
    if editing_allowed(admin_password, bound_host):
        return None
    if bound_host is None:
        where = ("the address this server listens on is not known (gunicorn does not tell the app: "
                 "set MEMBERSHIP_HOST), so other machines may reach it")
    else:
        where = f"this server listens on {bound_host}, which other machines can reach"
    return f"Editing is off: {where}, and no admin password is set. Set MEMBERSHIP_ADMIN_PASSWORD to allow changes."


def host_refusal(request_host: str | None) -> str | None:
    """Without a password only this machine may edit; a page from another site that rebinds its
    domain name to 127.0.0.1 (DNS rebinding) still sends its own name as Host, so check it."""
    if request_host is None:  # not a web request: the command line
        return None
    host = request_host
    name = host[1:host.find("]")] if host.startswith("[") else host.rsplit(":", 1)[0]
    if is_loopback(name):
        return None
    return (f"Without an admin password, changes are only accepted through 127.0.0.1 or localhost "
            f"(this request was for '{name[:60]}').")


def access_refusal(admin_password: str, bound_host: str | None, given_password: object,
                   request_host: str | None) -> str | None:
    """Why this request may not change data, or None. Checked in every changing callback."""
    reason = editing_off_reason(admin_password, bound_host)
    if reason:
        return reason
    if admin_password:
        given = (given_password if isinstance(given_password, str) else "").encode("utf-8")
        if not hmac.compare_digest(given, admin_password.encode("utf-8")):
            return "The admin password is missing or wrong: nothing was read or changed."
        return None
    return host_refusal(request_host)


def who(password_required: bool, remote_addr: str | None) -> str:
    """The history's "who" for a change made in the page."""
    how = "admin password" if password_required else "local, no password"
    return f"web page ({remote_addr or 'unknown address'}, {how})"
