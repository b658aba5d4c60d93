"""Editors' sessions, failed sign-ins and one-time sign-in codes, held on the server in one small
SQLite file beside the data, so every server process (each gunicorn worker) sees the same state:
a sign-out, a new password or `membership sign-out-all` ends sessions in all of them, and four
workers allow an attacker no more guesses than one.

The browser holds only a random session id, signed with the server's secret (never derived from
the password: MEMBERSHIP_SECRET_KEY, else a random key made once and kept beside the data, 0600).
A session ends SESSION_HOURS after sign-in whatever happens, and after IDLE_MINUTES without use.
Nothing here reads a request, the environment or the clock by itself: callers pass the time.

One machine: the file is enough. Several machines would keep these tables in a database they all
reach (the same three tables in PostgreSQL, say) behind this same class, with one shared secret.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

SESSION_HOURS = 8
IDLE_MINUTES = 60
CODE_MINUTES = 15
TOUCH_EVERY_S = 60.0  # how often a session's last use is written (not on every request)
STATE_FOLDER = ".private"  # beside the data file: the secret and the sessions, readable by the owner only
SECRET_FILE = "secret_key"
DATABASE_FILE = "sessions.sqlite3"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread from a console
CODE_LENGTH = 20  # 100 bits: guessing one is hopeless, so a code needs no limiter of its own


@dataclass(frozen=True)
class SignInLimits:
    """Failed sign-ins are slowed, then refused, per client and for all clients together."""

    free_failures: int = 3            # a client's first failures cost nothing (typos)
    lockout_failures: int = 10        # then each must wait 1, 2, 4 ... s; at this many, refused for the window
    window_seconds: float = 15 * 60.0
    max_delay_seconds: float = 60.0
    overall_failures: int = 50        # all clients together, within the window: then every sign-in is refused


def sign_in_wait(limits: SignInLimits, client_times: Sequence[float], all_times: Sequence[float], now: float) -> float:
    """0 when a sign-in may be checked now, else the seconds to wait. Times are those of failures
    within the window, oldest first: the client's own, and everyone's."""
    if len(all_times) >= limits.overall_failures:
        return max(1.0, all_times[-limits.overall_failures] + limits.window_seconds - now)
    if len(client_times) >= limits.lockout_failures:
        return max(1.0, client_times[-limits.lockout_failures] + limits.window_seconds - now)
    if len(client_times) >= limits.free_failures:
        delay = min(2.0 ** (len(client_times) - limits.free_failures), limits.max_delay_seconds)
        return max(0.0, client_times[-1] + delay - now)
    return 0.0


PACKAGE_DIR = Path(__file__).resolve().parents[1]  # the installed package (or a checkout's dashboard/)


class NoPrivateFolder(ValueError):
    """The secret and the sessions would have to be written inside the installed package."""


def state_folder(data_path: Path) -> Path:
    """Where the secret and the sessions of the data at `data_path` are kept: beside it, in the
    data folder every process writes. Never inside the installed package (an upgrade replaces it,
    and it is often not writable): a data file there is the bundled copy, not the user's."""
    folder = Path(data_path).resolve().parent
    if folder.is_relative_to(PACKAGE_DIR):
        raise NoPrivateFolder(f"{folder} is inside the installed package, where nothing is written: set "
                              "MEMBERSHIP_DATA_DIR to a folder of your own for the data, the sessions and their key")
    return folder / STATE_FOLDER


def _private_folder(folder: Path) -> Path:
    """`folder`, made if need be, readable by its owner only (also when it was there before)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if folder.stat().st_mode & 0o077:
        folder.chmod(0o700)
    return folder


def load_or_make_secret(folder: Path) -> bytes:
    """The random secret kept in `folder` (made on first use, mode 0600). Every process that starts
    at once gets the same one: the file appears whole (a hard link of a finished file) or not at all."""
    path = _private_folder(folder) / SECRET_FILE
    if not path.exists():
        temporary = folder / f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secrets.token_hex(32).encode("ascii"))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            temporary.unlink(missing_ok=True)
    secret = path.read_bytes().strip()
    if len(secret) < 32:
        raise ValueError(f"{path} holds no usable secret: delete it and start again")
    return secret


def password_tag(password: str, secret: bytes) -> str:
    """Which password the sessions were made under, as a slow keyed hash (never the password)."""
    digest = hashlib.scrypt(password.encode("utf-8"), salt=b"membership sessions " + secret, n=2 ** 14, r=8, p=1,
                            dklen=32)
    return digest.hex()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise_code(text: str) -> str:
    return "".join(c for c in text.upper() if c.isalnum() and c.isascii())


SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, created REAL NOT NULL, seen REAL NOT NULL,
                                     password TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS failures (client TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS failures_at ON failures (at);
CREATE TABLE IF NOT EXISTS codes (code TEXT PRIMARY KEY, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS facts (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class SessionStore:
    """Sessions, failures and codes in `folder`/sessions.sqlite3, for every process of this machine.
    `secret` signs the session ids handed to browsers; the command line needs none."""

    def __init__(self, folder: Path, secret: bytes = b"", limits: SignInLimits = SignInLimits()):
        self.path = _private_folder(Path(folder)) / DATABASE_FILE
        self.secret = secret
        self.limits = limits
        # Made 0600 before SQLite opens it (its journal files copy the database's mode).
        os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        with closing(self._connect()) as db:
            # Write-ahead logging: a request checking its session reads while another process writes.
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)  # each statement is IF NOT EXISTS: processes starting at once agree

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=15, isolation_level=None)
        db.execute("PRAGMA synchronous=NORMAL")  # with WAL: safe from corruption; a crash may lose a last touch
        return db

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken before reading (BEGIN IMMEDIATE): a check and the write it
        leads to are one step for all processes."""
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # ---------------------------------------------------------------- sessions

    def _sign(self, session_id: str) -> str:
        mac = hmac.new(self.secret, session_id.encode("ascii"), hashlib.sha256).digest()[:18]
        return base64.urlsafe_b64encode(mac).decode("ascii")

    def start(self, now: float, tag: str) -> str:
        """A new session under the password tagged `tag`; returns what the browser keeps (the id and
        its signature). The server keeps only the id's digest."""
        session_id = secrets.token_urlsafe(32)
        with self._transaction() as db:
            db.execute("DELETE FROM sessions WHERE created <= ? OR seen <= ?",  # ended ones no request asked about
                       (now - SESSION_HOURS * 3600, now - IDLE_MINUTES * 60))
            db.execute("INSERT INTO sessions VALUES (?, ?, ?, ?)", (_digest(session_id), now, now, tag))
        return f"{session_id}.{self._sign(session_id)}"

    def _session_id(self, cookie: object) -> str | None:
        if not isinstance(cookie, str) or len(cookie) > 200 or cookie.count(".") != 1:
            return None
        session_id, signature = cookie.split(".")
        if not session_id.isascii() or not hmac.compare_digest(signature.encode("ascii", "replace"),
                                                               self._sign(session_id).encode("ascii")):
            return None
        return session_id

    def check(self, cookie: object, now: float, tag: str) -> bool:
        """Whether `cookie` names a live session made under the password tagged `tag`; records its
        last use (at most every TOUCH_EVERY_S). A plain read, so editors' requests do not queue for
        the write lock: a sign-out racing this check is seen by the request after it."""
        session_id = self._session_id(cookie)
        if session_id is None:
            return False
        key = _digest(session_id)
        with closing(self._connect()) as db:
            row = db.execute("SELECT created, seen, password FROM sessions WHERE id = ?", (key,)).fetchone()
            if row is None:
                return False
            created, seen, made_under = row
            if (now >= created + SESSION_HOURS * 3600 or now >= seen + IDLE_MINUTES * 60
                    or not hmac.compare_digest(made_under, tag)):
                db.execute("DELETE FROM sessions WHERE id = ?", (key,))
                return False
            if now - seen >= TOUCH_EVERY_S:  # never revives a session ended meanwhile: the row is gone
                db.execute("UPDATE sessions SET seen = ? WHERE id = ? AND seen < ?", (now, key, now))
        return True

    def end(self, cookie: object) -> None:
        """End the session `cookie` names, if it is one of ours."""
        session_id = self._session_id(cookie)
        if session_id is not None:
            with closing(self._connect()) as db:
                db.execute("DELETE FROM sessions WHERE id = ?", (_digest(session_id),))

    def end_all(self) -> int:
        """End every session (all processes); returns how many there were."""
        with self._transaction() as db:
            return db.execute("DELETE FROM sessions").rowcount

    def adopt_password(self, tag: str) -> int:
        """Record the password (its tag) the server now runs with; a new one ends every session.
        Returns how many sessions were ended."""
        with self._transaction() as db:
            row = db.execute("SELECT value FROM facts WHERE name = 'password'").fetchone()
            if row is not None and hmac.compare_digest(row[0], tag):
                return 0
            db.execute("INSERT OR REPLACE INTO facts VALUES ('password', ?)", (tag,))
            return int(db.execute("DELETE FROM sessions").rowcount)

    # ---------------------------------------------------------------- failed sign-ins

    def begin_sign_in(self, client: str, now: float) -> float:
        """0 when a sign-in from `client` may be checked now (it is then counted as a failure until
        `signed_in` clears it), else the seconds it must wait, uncounted and unchecked. One step for
        all processes, so concurrent guesses through several workers cannot slip in together."""
        limits = self.limits
        horizon = now - limits.window_seconds
        with self._transaction() as db:
            db.execute("DELETE FROM failures WHERE at <= ?", (horizon,))
            everyone = [t for (t,) in db.execute("SELECT at FROM failures ORDER BY at")]
            own = [t for (t,) in db.execute("SELECT at FROM failures WHERE client = ? ORDER BY at", (client,))]
            wait = sign_in_wait(limits, own, everyone, now)
            if wait <= 0:
                db.execute("INSERT INTO failures VALUES (?, ?)", (client, now))
            return wait

    def signed_in(self, client: str) -> None:
        """The right password: the client's failures (this attempt's too) are forgotten."""
        with self._transaction() as db:
            db.execute("DELETE FROM failures WHERE client = ?", (client,))

    # ---------------------------------------------------------------- one-time codes

    def new_code(self, now: float) -> str:
        """A code that signs in once, from any address, within CODE_MINUTES (printed on the server's
        console: whoever can read it can run the server anyway)."""
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        with self._transaction() as db:
            db.execute("DELETE FROM codes WHERE expires <= ?", (now,))
            db.execute("INSERT INTO codes VALUES (?, ?)", (_digest(code), now + CODE_MINUTES * 60))
        return "-".join(code[i:i + 5] for i in range(0, CODE_LENGTH, 5))

    def use_code(self, text: object, now: float) -> bool:
        """Whether `text` is a live code; a code works once."""
        if not isinstance(text, str) or len(text) > 64:
            return False
        code = normalise_code(text)
        if len(code) != CODE_LENGTH:
            return False
        with self._transaction() as db:
            used = db.execute("DELETE FROM codes WHERE code = ? AND expires > ?", (_digest(code), now)).rowcount
        return used == 1
