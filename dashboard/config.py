"""Settings from command-line flags and the environment, gathered once and passed down."""
from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from .dataset import DEFAULT_DATA_PATH

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8050
DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def is_loopback(host: str) -> bool:
    """True when only this machine can reach a server listening on `host`."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Settings:
    data_path: Path = DEFAULT_DATA_PATH
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    admin_password: str = ""
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        """Environment first (MEMBERSHIP_DATA, MEMBERSHIP_HOST, MEMBERSHIP_ADMIN_PASSWORD,
        MEMBERSHIP_MAX_UPLOAD_MB), then explicit overrides from flags (None means not given)."""
        env = os.environ
        values = {
            "data_path": Path(env.get("MEMBERSHIP_DATA") or DEFAULT_DATA_PATH),
            "host": env.get("MEMBERSHIP_HOST") or DEFAULT_HOST,
            "admin_password": env.get("MEMBERSHIP_ADMIN_PASSWORD", ""),
        }
        if env.get("MEMBERSHIP_MAX_UPLOAD_MB"):
            values["max_upload_bytes"] = int(float(env["MEMBERSHIP_MAX_UPLOAD_MB"]) * 1024 * 1024)
        values.update({k: v for k, v in overrides.items() if v is not None})
        values["data_path"] = Path(values["data_path"])
        return cls(**values)

    @property
    def editing_allowed(self) -> bool:
        """Editing needs a password unless only this machine can reach the server."""
        return bool(self.admin_password) or is_loopback(self.host)

    @property
    def password_required(self) -> bool:
        return bool(self.admin_password)
