"""LEGER_DEBUG=1, and the redaction that keeps credentials out of it and out of errors.

The debug log writes one line per request, response and retry on stderr: the
method, URL, status, timing and header names/values; bodies (which carry tokens
and secret values) never, only their size. Credential headers (``Authorization``,
cookies, anything named like a token, key or secret) are replaced by a
placeholder.

A ``Redactor`` remembers every credential the process has seen, sent or
received: the bearer token, the values of secrets it set, the values and tokens
that came back. Every debug line and every error message built from server text
is scrubbed of all of them, in case a server or proxy echoes one back in a
header, a message or a ``Location``.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from typing import TextIO

import httpx

from leger.api.body import json_body_or_none
from leger.terminal import safe_line

REDACTED = "[redacted]"
# A value this short cannot be redacted without mangling the text around it
# (and is no secret worth the name); anything longer is.
MIN_REDACTED_LENGTH = 4
_SENSITIVE_HEADER = r"auth|cookie|token|secret|key|session|password|credential"
_SECRET_FIELDS = frozenset({"token", "value", "password", "secret"})


class Redactor:
    """Every credential the process has seen, and text scrubbed of them."""

    def __init__(self) -> None:
        self._known: set[str] = set()
        self._ordered: list[str] = []

    def remember(self, secrets: list[str]) -> None:
        """Add ``secrets`` (too-short ones are ignored) to what is never shown."""
        new = {s for s in secrets if len(s) >= MIN_REDACTED_LENGTH} - self._known
        if new:
            self._known |= new
            # Longest first, so a token is replaced whole before any value inside it.
            self._ordered = sorted(self._known, key=len, reverse=True)

    def remember_request(self, request: httpx.Request) -> None:
        """Remember the request's bearer token and any secret fields of its JSON body."""
        found = []
        auth = request.headers.get("authorization", "")
        scheme, _, credential = auth.partition(" ")
        found += [auth, credential.strip()] if credential else [scheme]
        try:
            content = request.content
        except httpx.RequestNotRead:
            content = b""
        if content:
            with contextlib.suppress(ValueError, RecursionError):
                found += secret_fields(json.loads(content))
        self.remember(found)

    def remember_response(self, response: httpx.Response) -> None:
        """Remember tokens and values the response's JSON body carries."""
        self.remember(secret_fields(json_body_or_none(response)))

    def scrub(self, text: str) -> str:
        """``text`` with every remembered credential replaced by a placeholder."""
        for secret in self._ordered:
            text = text.replace(secret, REDACTED)
        return text


def secret_fields(node: object) -> list[str]:
    """The string values of fields named like a credential, anywhere in ``node``."""
    found: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key in _SECRET_FIELDS and isinstance(value, str):
                    found.append(value)
                else:
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return found


class DebugLog:
    """httpx event hooks and a retry callback that write redacted lines to ``stream``."""

    def __init__(self, stream: TextIO, redactor: Redactor) -> None:
        self._stream = stream
        self._redactor = redactor
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
        self._stream.write(f"[leger debug] {safe_line(self._redactor.scrub(line), 2000)}\n")
        self._stream.flush()


def redact_header(name: str, value: str) -> str:
    """The header's value, or a placeholder for credentials."""
    return REDACTED if re.search(_SENSITIVE_HEADER, name, re.IGNORECASE) else value
