"""The log of API requests a test can read back: method, path and query of each, in order.

Never a header or a body, so no token and no secret value is ever kept here.
"""

from __future__ import annotations

import threading

from .wire import JSON, Request


class RequestLog:
    """Every API request since start or the last ``clear()``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[JSON] = []

    def record(self, request: Request) -> None:
        """Note ``request`` (its path percent-encoded, as it was sent)."""
        entry = {"method": request.method, "path": request.path, "query": request.query}
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[JSON]:
        """The requests seen, oldest first."""
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        """Forget every request."""
        with self._lock:
            self._entries.clear()
