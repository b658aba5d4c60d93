"""A free port for a server started as its own process (a thread's server binds port 0 itself)."""
from __future__ import annotations

import socket


def free_port() -> int:
    """A port nobody listens on now on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
