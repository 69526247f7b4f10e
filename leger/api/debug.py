"""LEGER_DEBUG=1: one line per request, response and retry on stderr, redacted.

Only the method, URL, status, timing and header names/values are logged; bodies
(which carry tokens and secret values) are never logged, only their size.
Credential headers (``Authorization``, cookies, anything named like a token,
key or secret) are replaced by a placeholder, and every line is scrubbed of the
request's token and secret value and of a token in the response, in case a
server or proxy echoes one back in a header. Server text is stripped of control
characters before it reaches the terminal.
"""

from __future__ import annotations

import json
import re
import time
from typing import TextIO

import httpx

from leger.api.responses import (
    MIN_REDACTED_LENGTH,
    redact,
    request_secrets,
)
from leger.terminal import safe_line

REDACTED = "[redacted]"
_SENSITIVE_HEADER = re.compile(r"auth|cookie|token|secret|key|session|password|credential", re.I)


class DebugLog:
    """httpx event hooks and a retry callback that write redacted lines to ``stream``."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._started: dict[int, float] = {}
        self._secrets: set[str] = set()

    def on_request(self, request: httpx.Request) -> None:
        """Log the request line and its headers, redacted."""
        self._remember(request_secrets(request))
        self._started[id(request)] = time.perf_counter()
        self._write(f"> {request.method} {request.url}")
        for name, value in request.headers.items():
            self._write(f">   {name}: {redact_header(name, value)}")
        if request.content:
            self._write(f">   (body: {len(request.content)} bytes, not shown)")

    def on_response(self, response: httpx.Response) -> None:
        """Log the status line and how long the request took."""
        self._remember(_response_tokens(response))
        started = self._started.pop(id(response.request), None)
        took = "" if started is None else f" in {(time.perf_counter() - started) * 1000:.0f} ms"
        self._write(f"< {response.status_code} {response.reason_phrase}{took}")
        for name, value in response.headers.items():
            self._write(f"<   {name}: {redact_header(name, value)}")

    def on_retry(self, request: httpx.Request, reason: str, wait: float) -> None:
        """Log a retry and how long leger waits before it."""
        self._write(f"! retrying {request.method} {request.url} after {reason}, in {wait:.2f} s")

    def _remember(self, secrets: list[str]) -> None:
        self._secrets.update(s for s in secrets if len(s) >= MIN_REDACTED_LENGTH)

    def _write(self, line: str) -> None:
        secrets = sorted(self._secrets, key=len, reverse=True)
        line = safe_line(redact(line, secrets, REDACTED), 2000).replace("\n", " ")
        self._stream.write(f"[leger debug] {line}\n")
        self._stream.flush()


def redact_header(name: str, value: str) -> str:
    """The header's value, or a placeholder for credentials."""
    return REDACTED if _SENSITIVE_HEADER.search(name) else value


def _response_tokens(response: httpx.Response) -> list[str]:
    """A token the response carries (``data.token`` of a login), if its body is at hand."""
    try:
        content = response.content
    except httpx.ResponseNotRead:
        return []
    try:
        body = json.loads(content)
    except (ValueError, RecursionError):
        return []
    data = body.get("data") if isinstance(body, dict) else None
    token = data.get("token") if isinstance(data, dict) else None
    return [token] if isinstance(token, str) else []
