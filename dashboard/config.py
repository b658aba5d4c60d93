"""Settings from command-line flags and the environment: the only module that reads the environment
for the app (Kaleido reads BROWSER_PATH itself). Only the web app and the CLI import it."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dashboard.core.addresses import base_url
from dashboard.core.dataset import BUNDLED_DATA_DIR, BUNDLED_DATA_PATH, BUNDLED_IN_PACKAGE, reading_path
from dashboard.export.image_cache import DEFAULT_MAX_BYTES as DEFAULT_IMAGE_CACHE_BYTES
from dashboard.updates.access import editing_allowed, is_loopback
from dashboard.updates.ingest import DEFAULT_MAX_UPLOAD_BYTES
from dashboard.updates.store import DEFAULT_KEEP, Store

APP_NAME = "membership-dashboard"  # the user's data folder of an installed copy is named after it
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8050
MIN_SECRET_CHARACTERS = 32

# Every variable the app reads, with what it means: `membership --help` prints them, and the README's table
# says the same (tests/test_readme.py checks both ways).
ENVIRONMENT = {
    "MEMBERSHIP_DATA": "the membership data file, .csv or .xlsx",
    "MEMBERSHIP_DATA_DIR": "the data folder: membership.csv and its companions (used when MEMBERSHIP_DATA is unset); "
                           "an empty or new folder gets a copy of the bundled data at the first change",
    "MEMBERSHIP_HOST": "the address the server listens on; needed under gunicorn, which does not tell the app",
    "MEMBERSHIP_ADMIN_PASSWORD": 'the password that allows changing data (see "Who may change data" in the README)',
    "MEMBERSHIP_MAX_UPLOAD_MB": f"the largest upload accepted, in MB (default {DEFAULT_MAX_UPLOAD_BYTES // 2**20}, at most 100)",
    "MEMBERSHIP_HISTORY_KEEP": f"how many changes the history keeps, with the earlier versions their undo needs "
                               f"(default {DEFAULT_KEEP})",
    "MEMBERSHIP_TRUSTED_PROXIES": "how many reverse proxies in front of the server add X-Forwarded-* headers "
                                  '(default 0; see "Who may change data" in the README)',
    "MEMBERSHIP_SECRET_KEY": f"signs editors' session ids, at least {MIN_SECRET_CHARACTERS} characters (default: a "
                             "random key made on first start with a password and kept in the data folder's .private/, "
                             "mode 0600; never derived from the password)",
    "MEMBERSHIP_PUBLIC_URL": "the dashboard's public address (https://host/path), for the absolute links in link "
                             "previews, the image link, the embed code and the downloads' \"about\" sheet; default: "
                             "the address each request came to, and those answers are then private and Vary: Host "
                             "(set it for any public deployment)",
    "MEMBERSHIP_IMAGE_CACHE_MB": "memory per server process for images made for /chart.png and /chart.svg "
                                 f"(default {DEFAULT_IMAGE_CACHE_BYTES // 2**20}; 0 turns the cache off)",
    "MEMBERSHIP_CACHE_DIR": "a folder for the chart images every server process shares (the first paint's, see "
                            '"Fast on a phone"); default: membership-dashboard in the user\'s cache folder (~/.cache '
                            "on Linux, ~/Library/Caches on macOS)",
}


class SettingsError(ValueError):
    """An environment variable or flag with a value the app cannot use (shown as is to users)."""


def public_url(text: str) -> str:
    """MEMBERSHIP_PUBLIC_URL checked, or SettingsError saying what is wrong with it."""
    try:
        return base_url(text)
    except ValueError as exc:
        raise SettingsError(f"MEMBERSHIP_PUBLIC_URL: {exc}") from None


def user_data_dir() -> Path:
    """The platform's folder for this user's data (XDG on Linux, Application Support on macOS, AppData on
    Windows): where an installed copy keeps its data, never inside site-packages."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_cache_dir() -> Path:
    """membership-dashboard in the user's cache folder (Linux ~/.cache, macOS ~/Library/Caches, ...)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def data_location(env: Mapping[str, str]) -> tuple[Path, Path | None]:
    """(the data file changes are written to, the bundled folder its first change copies from, or None).

    MEMBERSHIP_DATA names a file of the user's own. A checkout reads and writes its data/. An installed copy
    never writes into the package: its data folder is MEMBERSHIP_DATA_DIR or the platform's user data folder,
    filled from the bundled data by the first change (until then the bundled data is read)."""
    if env.get("MEMBERSHIP_DATA"):
        return Path(env["MEMBERSHIP_DATA"]), None
    if env.get("MEMBERSHIP_DATA_DIR"):
        return Path(env["MEMBERSHIP_DATA_DIR"]) / "membership.csv", BUNDLED_DATA_DIR
    if not BUNDLED_IN_PACKAGE:
        return BUNDLED_DATA_PATH, None
    return user_data_dir() / "membership.csv", BUNDLED_DATA_DIR


def whole_number(env: Mapping[str, str], name: str, low: int, high: int) -> int | None:
    """A count the environment sets (None when unset), or SettingsError naming the variable and its range."""
    if not env.get(name):
        return None
    text = env[name].strip()
    if not text.isdigit() or not low <= int(text) <= high:
        raise SettingsError(f"{name}={text!r} must be a whole number from {low} to {high}")
    return int(text)


def megabytes(env: Mapping[str, str], name: str, high: int, zero_allowed: bool) -> int | None:
    """A size in MB the environment sets, in bytes (None when unset), or SettingsError naming the variable."""
    if not env.get(name):
        return None
    text = env[name]
    try:
        size = float(text)
    except ValueError:
        raise SettingsError(f"{name}={text!r} is not a number of megabytes") from None
    if zero_allowed and not 0 <= size <= high:
        raise SettingsError(f"{name}={text!r} must be from 0 to {high}")
    if not zero_allowed and not 0 < size <= high:
        raise SettingsError(f"{name}={text!r} must be above 0 and at most {high}")
    return int(size * 1024 * 1024)


def checked_from(env: Mapping[str, str]) -> dict[str, object]:
    """The settings of the environment that can be wrong, each checked in turn (the first wrong one is the
    error); only those it sets, but the secret key, which is "" when unset."""
    values: dict[str, object | None] = {
        "history_keep": whole_number(env, "MEMBERSHIP_HISTORY_KEEP", 1, 100_000),
        "trusted_proxies": whole_number(env, "MEMBERSHIP_TRUSTED_PROXIES", 0, 5),
        "max_upload_bytes": megabytes(env, "MEMBERSHIP_MAX_UPLOAD_MB", 100, zero_allowed=False),
        "secret_key": secret_key(env),
        "public_url": public_url(env["MEMBERSHIP_PUBLIC_URL"]) if env.get("MEMBERSHIP_PUBLIC_URL") else None,
        "image_cache_bytes": megabytes(env, "MEMBERSHIP_IMAGE_CACHE_MB", 4096, zero_allowed=True),
    }
    return {key: value for key, value in values.items() if value is not None}


def secret_key(env: Mapping[str, str]) -> str:
    """MEMBERSHIP_SECRET_KEY ("" when unset), or SettingsError when it is too short to sign with."""
    key = env.get("MEMBERSHIP_SECRET_KEY", "")
    if 0 < len(key) < MIN_SECRET_CHARACTERS:
        raise SettingsError(f"MEMBERSHIP_SECRET_KEY must be at least {MIN_SECRET_CHARACTERS} characters of random text "
                            "(python3 -c 'import secrets; print(secrets.token_hex(32))' makes one)")
    return key


@dataclass(frozen=True)
class Settings:
    data_path: Path = BUNDLED_DATA_PATH  # the data file changes are written to (it may not exist yet: seed_dir)
    seed_dir: Path | None = None         # the bundled data the first change copies beside data_path
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    admin_password: str = ""
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    host_is_known: bool = True  # False under gunicorn without MEMBERSHIP_HOST: the address is not known
    history_keep: int = DEFAULT_KEEP
    trusted_proxies: int = 0  # >0: behind that many proxies (ProxyFix); editing then always needs the password
    secret_key: str = ""
    public_url: str = ""  # "" means: the address the request came to
    image_cache_bytes: int = DEFAULT_IMAGE_CACHE_BYTES
    cache_dir: Path | None = None  # images shared by the server's processes; None: each keeps its own in memory

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Environment first, then explicit overrides from flags (None means not given)."""
        env = os.environ if env is None else env
        data_path, seed_dir = data_location(env)
        if overrides.get("data_path") is not None:  # --data: a file of the user's own, as it is
            seed_dir = None
        values: dict[str, object] = {
            "data_path": data_path,
            "seed_dir": seed_dir,
            "host": env.get("MEMBERSHIP_HOST") or DEFAULT_HOST,
            "admin_password": env.get("MEMBERSHIP_ADMIN_PASSWORD", ""),
            "cache_dir": Path(env.get("MEMBERSHIP_CACHE_DIR") or user_cache_dir()),
            **checked_from(env),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        values["data_path"] = Path(str(values["data_path"]))
        return cls(**values)  # type: ignore[arg-type]

    @classmethod
    def under_wsgi(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings for a server started by gunicorn, which chooses the address: known only from
        MEMBERSHIP_HOST, and otherwise treated as reachable from other machines."""
        env = os.environ if env is None else env
        return cls.from_env(env, host_is_known=bool(env.get("MEMBERSHIP_HOST")))

    @property
    def read_path(self) -> Path:
        """The data file to read now: data_path once it exists, else the bundled copy its first change copies."""
        return reading_path(self.data_path, self.seed_dir)

    @property
    def data_folder(self) -> Path:
        """The folder in use: where the data is read from and changes are written."""
        return self.data_path.parent

    def store(self) -> Store:
        """The writer of the data folder in use."""
        return Store(self.data_path, keep=self.history_keep, seed_dir=self.seed_dir)

    @property
    def bound_host(self) -> str | None:
        """The address the server listens on, None when it is not known (gunicorn without MEMBERSHIP_HOST)."""
        return self.host if self.host_is_known else None

    @property
    def behind_proxy(self) -> bool:
        return self.trusted_proxies > 0

    @property
    def editing_allowed(self) -> bool:
        """Editing needs a password unless only this machine can reach the server."""
        return editing_allowed(self.admin_password, self.bound_host, self.behind_proxy)

    @property
    def password_required(self) -> bool:
        return bool(self.admin_password)

    @property
    def public_url_warning(self) -> str | None:
        """What to say when other machines may reach the server and the links it publishes would
        come from each request's Host header."""
        if self.public_url or (self.bound_host is not None and is_loopback(self.bound_host)):
            return None
        return ("MEMBERSHIP_PUBLIC_URL is not set, so the links this server publishes (link previews, the image link, "
                "the embed code, the downloads' 'about' sheet) come from each request's Host header, and those answers "
                "are not cached publicly. Set MEMBERSHIP_PUBLIC_URL=https://your.host/ for a public deployment.")
