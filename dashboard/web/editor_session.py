"""The editor's session as the web layer sees it: a cookie set only by a successful sign-in and
cleared by sign-out, checked against the server's store (updates/sessions.py) by each request that
asks. A response that asked says `Vary: Cookie` and is private (security.py), and no other response
touches the session: static files, images and the embed are the same for everyone.
"""
from __future__ import annotations

import sqlite3
import time

from flask import Flask, current_app, g, has_request_context, request
from werkzeug.wrappers import Response

from dashboard.config import Settings, SettingsError
from dashboard.updates.sessions import (
    SESSION_HOURS,
    NoPrivateFolder,
    SessionStore,
    load_or_make_secret,
    password_tag,
    state_folder,
)

COOKIE = "membership_session"
EXTENSION = "membership_sessions"


def clock() -> float:
    """Wall-clock time, the same in every process (tests replace it)."""
    return time.time()


class EditorSessions:
    """One per app: the store, the signing secret and the tag of the password now in force."""

    def __init__(self, settings: Settings):
        self.store: SessionStore | None = None
        self.tag = ""
        if not settings.admin_password:
            return  # nobody signs in: nothing to keep
        try:
            folder = state_folder(settings.data_path)
        except NoPrivateFolder as exc:
            raise SettingsError(str(exc)) from None
        try:
            secret = settings.secret_key.encode("utf-8") if settings.secret_key else load_or_make_secret(folder)
            self.store = SessionStore(folder, secret)
        except (OSError, ValueError, sqlite3.Error) as exc:
            raise SettingsError(f"cannot keep editors' sessions in {folder}: {exc}. Point MEMBERSHIP_DATA_DIR at a "
                                "folder this server may write") from None
        self.tag = password_tag(settings.admin_password, secret)
        self.store.adopt_password(self.tag)  # a new password ends every session, in every process


def install(server: Flask, settings: Settings) -> EditorSessions:
    sessions = EditorSessions(settings)
    server.extensions[EXTENSION] = sessions
    return sessions


def sessions() -> EditorSessions:
    return current_app.extensions[EXTENSION]


def signed_in() -> bool:
    """Whether this request carries a live session (asked once per request; the answer makes the
    response private)."""
    if not has_request_context():
        return False
    if "editor_session" not in g:
        g.session_read = True
        state = sessions()
        cookie = request.cookies.get(COOKIE)
        g.editor_session = bool(state.store and cookie and state.store.check(cookie, clock(), state.tag))
    return bool(g.editor_session)


def start(response: Response, prefix: str) -> None:
    """A new session for this browser, after the password or a sign-in code was accepted; one the
    browser still held is ended (a fresh id at each sign-in)."""
    state = sessions()
    assert state.store is not None
    state.store.end(request.cookies.get(COOKIE))
    value = state.store.start(clock(), state.tag)
    response.set_cookie(COOKIE, value, max_age=SESSION_HOURS * 3600, path=prefix, secure=request.is_secure,
                        httponly=True, samesite="Strict")


def end(response: Response, prefix: str) -> None:
    """End this browser's session on the server (for every process) and forget its cookie."""
    state = sessions()
    cookie = request.cookies.get(COOKIE)
    if state.store is not None and cookie:
        state.store.end(cookie)
    response.delete_cookie(COOKIE, path=prefix, secure=request.is_secure, httponly=True, samesite="Strict")
