"""Images kept in a folder on disk, named by a hash of what they draw, so that every server process
(several gunicorn workers) and every restart shares them: the image of the default view is made
once when the data changes, by whichever process gets there first, not once per process.

The folder keeps at most `max_files` images (each some 30-80 KB), oldest out, so a flood of distinct
views can churn it but never fill the disk. A folder that cannot be written leaves everything
working, made in each process as before.
"""
from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

DEFAULT_MAX_FILES = 200
LOCK_TIMEOUT_S = 30.0  # another process making an image: wait this long for it, then make it here
_KEY = re.compile(r"^[0-9a-f]{16,64}$")


class SharedImages:
    """A folder of images by key. Thread- and process-safe: writes are atomic (rename), and making a
    missing image takes a lock on the folder so two processes do not make the same one."""

    def __init__(self, directory: Path | None, suffix: str = ".webp", max_files: int = DEFAULT_MAX_FILES):
        self.directory = Path(directory) if directory is not None else None
        self.suffix = suffix
        self.max_files = max_files
        self.usable = self.directory is not None and self._prepare()

    def _prepare(self) -> bool:
        assert self.directory is not None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            return os.access(self.directory, os.W_OK)
        except OSError:
            return False

    def path(self, key: str) -> Path:
        if not _KEY.match(key):
            raise ValueError(f"not an image key: {key!r}")
        assert self.directory is not None
        return self.directory / f"{key}{self.suffix}"

    def get(self, key: str) -> bytes | None:
        """The image stored under `key`, or None."""
        if not self.usable:
            return None
        try:
            return self.path(key).read_bytes()
        except OSError:
            return None

    def put(self, key: str, data: bytes) -> None:
        """Store `data` under `key` (atomically; a failing disk is ignored: the caller has the bytes)."""
        if not self.usable:
            return
        assert self.directory is not None
        try:
            fd, temporary = tempfile.mkstemp(dir=self.directory, prefix=".part-", suffix=self.suffix)
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(temporary, self.path(key))
        except OSError:
            Path(temporary).unlink(missing_ok=True)
            return
        self._prune()

    def get_or_make(self, key: str, make: Callable[[], bytes]) -> bytes:
        """The stored image, or `make()`'s, stored for every process. While another process makes the
        same one, wait for it (up to LOCK_TIMEOUT_S) rather than making it twice."""
        found = self.get(key)
        if found is not None or not self.usable:
            return found if found is not None else make()
        from filelock import FileLock, Timeout  # imported when an image is first made, not at start-up

        assert self.directory is not None
        try:
            with FileLock(str(self.directory / ".making.lock"), timeout=LOCK_TIMEOUT_S):
                found = self.get(key)
                if found is not None:
                    return found
                data = make()
                self.put(key, data)
                return data
        except Timeout:
            return make()

    def _prune(self) -> None:
        """Keep the newest `max_files` images."""
        assert self.directory is not None
        try:
            files = [p for p in self.directory.iterdir() if p.suffix == self.suffix and not p.name.startswith(".")]
            if len(files) <= self.max_files:
                return
            files.sort(key=lambda p: p.stat().st_mtime)
            for old in files[: len(files) - self.max_files]:
                old.unlink(missing_ok=True)
        except OSError:
            pass
