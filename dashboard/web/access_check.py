"""The access rule (updates/access.py) asked with what this server and this request say."""
from __future__ import annotations

from flask import has_request_context, request

from dashboard.config import Settings
from dashboard.updates import access


def _bound_host(settings: Settings) -> str | None:
    return settings.host if settings.host_is_known else None


def editing_off_reason(settings: Settings) -> str | None:
    """Why the page shows no editing controls at all, or None."""
    return access.editing_off_reason(settings.admin_password, _bound_host(settings))


def access_refusal(settings: Settings, password: object) -> str | None:
    """Why the request being served may not change data, or None."""
    request_host = (request.host or "") if has_request_context() else None
    return access.access_refusal(settings.admin_password, _bound_host(settings), password, request_host)


def who(settings: Settings) -> str:
    """The history's "who" for a change made in the page."""
    address = request.remote_addr if has_request_context() else None
    return access.who(settings.password_required, address)
