"""Who may change data, as plain functions of plain values: reading is public; changing needs the
admin password (exchanged once for a session held on the server, updates/sessions.py) unless the server listens on loopback only
and the request itself comes from this machine, straight to the server, not through a proxy.

The web layer (web/access_check.py) passes what the server and the request say; hiding a button is
not a check. Nothing here reads a request, the environment or the clock by itself.
"""
from __future__ import annotations

import hmac
import ipaddress
import math
from dataclasses import dataclass
from urllib.parse import urlsplit

# Headers a reverse proxy adds. Any of them means the connection's peer is a proxy, not the reader,
# so "the peer is 127.0.0.1" says nothing about who is asking.
FORWARDING_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port",
                      "X-Forwarded-Server", "X-Real-IP", "Via", "X-Client-IP", "True-Client-IP", "CF-Connecting-IP")


def is_loopback(host: str) -> bool:
    """True when only this machine can reach a server listening on `host` (or a peer at `host`)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_name(host: str) -> str:
    """The name part of a Host header or an Origin's netloc: '[::1]:8050' -> '::1', 'a:80' -> 'a'."""
    if host.startswith("["):
        return host[1:host.find("]")]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


@dataclass(frozen=True)
class RequestFacts:
    """What a web request says about where it comes from. `peer` is the connection's own address
    (never a header); `forwarded` is whether any proxy header is present."""

    peer: str | None
    host: str | None
    origin: str | None = None
    forwarded: bool = False


def editing_allowed(admin_password: str, bound_host: str | None, behind_proxy: bool = False) -> bool:
    """Editing needs a password unless the server listens on loopback only and no proxy is in
    front of it (bound_host None: the address is not known)."""
    return bool(admin_password) or (not behind_proxy and bound_host is not None and is_loopback(bound_host))


def editing_off_reason(admin_password: str, bound_host: str | None, behind_proxy: bool = False) -> str | None:
    """Why the page shows no editing controls at all, or None."""
    if editing_allowed(admin_password, bound_host, behind_proxy):
        return None
    if behind_proxy:
        where = "this server runs behind a proxy (MEMBERSHIP_TRUSTED_PROXIES is set)"
    elif bound_host is None:
        where = ("the address this server listens on is not known (gunicorn does not tell the app: "
                 "set MEMBERSHIP_HOST), so other machines may reach it")
    else:
        where = f"this server listens on {bound_host}, which other machines can reach"
    return f"Editing is off: {where}, and no admin password is set. Set MEMBERSHIP_ADMIN_PASSWORD to allow changes."


def local_refusal(facts: RequestFacts) -> str | None:
    """Without a password only a browser on this machine, talking to the server directly, may edit."""
    if facts.forwarded:
        return ("Without an admin password, changes are not accepted through a proxy (this request carries "
                "forwarded headers). Set MEMBERSHIP_ADMIN_PASSWORD to edit from elsewhere.")
    if facts.peer is None or not is_loopback(facts.peer):
        return (f"Without an admin password, changes are only accepted from this machine (this request came "
                f"from {(facts.peer or 'an unknown address')[:60]}).")
    # A page from another site whose name now points at 127.0.0.1 (DNS rebinding) sends its own name
    # as Host; a page of another site posting here sends its own Origin.
    name = _host_name(facts.host or "")
    if not is_loopback(name):
        return (f"Without an admin password, changes are only accepted through 127.0.0.1 or localhost "
                f"(this request was for '{name[:60]}').")
    if facts.origin and facts.origin != "null" and not is_loopback(_host_name(urlsplit(facts.origin).netloc)):
        return f"Changes are not accepted from a page of another site ({facts.origin[:60]})."
    return None


def access_refusal(admin_password: str, bound_host: str | None, behind_proxy: bool, signed_in: bool,
                   facts: RequestFacts | None) -> str | None:
    """Why this request may not change data, or None. Asked by every changing callback.
    `facts` is None for the command line, which is the machine's own user."""
    reason = editing_off_reason(admin_password, bound_host, behind_proxy)
    if reason:
        return reason
    if admin_password:
        if signed_in:
            return None
        return "Sign in with the admin password to change data: nothing was read or changed."
    return None if facts is None else local_refusal(facts)


def password_matches(admin_password: str, given: object) -> bool:
    """Constant-time comparison, so the time taken says nothing about how much of a guess was right."""
    if not admin_password or not isinstance(given, str):
        return False
    return hmac.compare_digest(given.encode("utf-8"), admin_password.encode("utf-8"))


def who(signed_in: bool, peer: str | None) -> str:
    """The history's "who" for a change made in the page (shown to editors only)."""
    how = "signed in" if signed_in else "this machine, no password"
    return f"web page ({how}, from {peer or 'an unknown address'})"


def retry_after(seconds: float) -> int:
    """Whole seconds for a Retry-After header (at least 1)."""
    return max(1, math.ceil(seconds))
