"""LEGER_DEBUG=1: one line per request, response and retry on stderr, redacted.

Only the method, URL, status, timing and header names/values are logged;
``Authorization`` is always replaced by a placeholder and bodies (which carry
tokens and secret values) are never logged, only their size.
"""

from __future__ import annotations

import time
from typing import TextIO

import httpx

REDACTED = "[redacted]"
_SENSITIVE_HEADERS = frozenset({"authorization", "cookie", "set-cookie"})


class DebugLog:
    """httpx event hooks and a retry callback that write redacted lines to ``stream``."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._started: dict[int, float] = {}

    def on_request(self, request: httpx.Request) -> None:
        """Log the request line and its headers, redacted."""
        self._started[id(request)] = time.perf_counter()
        self._write(f"> {request.method} {request.url}")
        for name, value in request.headers.items():
            self._write(f">   {name}: {redact_header(name, value)}")
        if request.content:
            self._write(f">   (body: {len(request.content)} bytes, not shown)")

    def on_response(self, response: httpx.Response) -> None:
        """Log the status line and how long the request took."""
        started = self._started.pop(id(response.request), None)
        took = "" if started is None else f" in {(time.perf_counter() - started) * 1000:.0f} ms"
        self._write(f"< {response.status_code} {response.reason_phrase}{took}")
        for name, value in response.headers.items():
            self._write(f"<   {name}: {redact_header(name, value)}")

    def on_retry(self, request: httpx.Request, reason: str, wait: float) -> None:
        """Log a retry and how long leger waits before it."""
        self._write(f"! retrying {request.method} {request.url} after {reason}, in {wait:.2f} s")

    def _write(self, line: str) -> None:
        self._stream.write(f"[leger debug] {line}\n")
        self._stream.flush()


def redact_header(name: str, value: str) -> str:
    """The header's value, or a placeholder for credentials."""
    return REDACTED if name.lower() in _SENSITIVE_HEADERS else value
