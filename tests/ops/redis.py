"""Whether the development machine's Redis answers (the serve test and the cache tests use
it where it does)."""

from __future__ import annotations

import socket

ADDRESS = ("127.0.0.1", 6379)


def redis_answers() -> bool:
    try:
        with socket.create_connection(ADDRESS, timeout=2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False
