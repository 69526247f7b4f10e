"""An httpx transport that bounds every request and retries what is safe to retry.

- Each attempt has a deadline of the request timeout, from connecting to the last
  byte of the body: a server that trickles headers or an endless body is cut off,
  not only one that goes silent. A watchdog shuts the connection's socket down at
  the deadline, so even a read that keeps receiving a byte now and then ends.
- The body is read inside the attempt, so a connection dropped mid-body is a
  transport error that can be retried like any other.
- A body larger than ``max_body`` is refused, counted after decompression (a
  small gzip body must not expand into gigabytes); only gzip and deflate are
  accepted, and every attempt uses a new connection (``Connection: close``).
- Retries: a connection refused is retried for any method (nothing was sent);
  other transport errors and 502/503/504 only for idempotent methods (GET,
  DELETE); a 429 waits out a ``Retry-After`` while the waits of one request add
  up to at most ``max_retry_wait`` (a longer one is not slept: the 429 is the
  answer). At most ``attempts`` tries; a timeout is never retried, so a hung
  server costs one timeout, not three.
- A retry after an answer that was lost (connection dropped, 502, 504) marks the
  request: the server may have done the work the first time, so a DELETE that
  then gets 404 has succeeded (see ``after_lost_answer``).
"""

from __future__ import annotations

import contextlib
import math
import random
import socket
import threading
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_STATUSES = frozenset({502, 503, 504})
# 503 means the server did not take the request; after 502/504 it may have.
LOST_ANSWER_STATUSES = frozenset({502, 504})
_LOST_ANSWER = "leger.after_lost_answer"
ACCEPT_ENCODING = "gzip, deflate"


class BoundedRetryTransport(httpx.BaseTransport):
    """Wraps another transport with deadlines, a body-size cap and bounded retries."""

    def __init__(
        self,
        inner: httpx.BaseTransport,
        *,
        timeout: float,
        attempts: int = 3,
        backoff: float = 0.25,
        max_retry_wait: float = 30.0,
        max_body: int = 32 * 1024 * 1024,
        sleep: Callable[[float], None] = time.sleep,
        on_retry: Callable[[httpx.Request, str, float], None] | None = None,
    ) -> None:
        self._inner = inner
        self._timeout = timeout
        self._attempts = attempts
        self._backoff = backoff
        self._max_retry_wait = max_retry_wait
        self._max_body = max_body
        self._sleep = sleep
        self._on_retry = on_retry

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request``, retrying within the bounds above."""
        idempotent = request.method in IDEMPOTENT
        request.headers["Connection"] = "close"
        request.headers["Accept-Encoding"] = ACCEPT_ENCODING
        waited = 0.0
        for attempt in range(1, self._attempts + 1):
            last = attempt == self._attempts
            try:
                response = self._send_once(request)
            except httpx.ConnectError:
                if last:
                    raise
                self._pause(request, "connection failed", self._delay(attempt))
                continue
            except (httpx.ReadError, httpx.RemoteProtocolError, httpx.WriteError):
                if last or not idempotent:
                    raise
                request.extensions[_LOST_ANSWER] = True
                self._pause(request, "connection dropped", self._delay(attempt))
                continue
            wait = self._retry_wait(response, idempotent, attempt, self._max_retry_wait - waited)
            if last or wait is None:
                return response
            if response.status_code in LOST_ANSWER_STATUSES:
                request.extensions[_LOST_ANSWER] = True
            if response.status_code == 429:
                waited += wait
            self._pause(request, f"HTTP {response.status_code}", wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def close(self) -> None:
        """Close the wrapped transport."""
        self._inner.close()

    def _send_once(self, request: httpx.Request) -> httpx.Response:
        """One attempt: the whole response, body included, within the deadline."""
        watchdog = _Watchdog(self._timeout, request.extensions.get("trace"))
        request.extensions = {**request.extensions, "trace": watchdog.trace}
        try:
            with watchdog:
                response = self._inner.handle_request(request)
                try:
                    body = self._read_body(response, request, watchdog)
                finally:
                    response.close()
        except httpx.TransportError as exc:
            if watchdog.expired:
                raise _timeout(request) from None
            if isinstance(exc, httpx.RemoteProtocolError):
                raise _not_http(exc, request) from None
            if isinstance(exc, httpx.LocalProtocolError):
                # h11 quotes the offending header, which may be the Authorization one.
                raise httpx.LocalProtocolError(
                    "the request has a header value HTTP cannot carry "
                    "(a token with line breaks or control characters?)",
                    request=request,
                ) from None
            raise
        headers = [
            (name, value)
            for name, value in response.headers.multi_items()
            if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        headers.append(("Content-Length", str(len(body))))
        return httpx.Response(
            status_code=response.status_code,
            headers=headers,
            content=body,
            extensions={
                key: value
                for key, value in response.extensions.items()
                if key in ("http_version", "reason_phrase")
            },
            request=request,
        )

    def _read_body(
        self, response: httpx.Response, request: httpx.Request, watchdog: _Watchdog
    ) -> bytes:
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > self._max_body:
            raise _too_large(self._max_body, request)
        decoder = _decoder(response.headers.get("content-encoding", ""), request)
        parts: list[bytes] = []
        size = 0
        for chunk in response.stream:  # type: ignore[union-attr]
            if watchdog.expired or time.monotonic() > watchdog.deadline:
                raise _timeout(request)
            for part in decoder.decode(chunk, self._max_body - size + 1):
                size += len(part)
                if size > self._max_body:
                    raise _too_large(self._max_body, request)
                parts.append(part)
        for part in decoder.flush(self._max_body - size + 1):
            size += len(part)
            if size > self._max_body:
                raise _too_large(self._max_body, request)
            parts.append(part)
        return b"".join(parts)

    def _retry_wait(
        self, response: httpx.Response, idempotent: bool, attempt: int, budget: float
    ) -> float | None:
        if response.status_code == 429:
            wait = parse_retry_after(response.headers.get("retry-after"))
            return wait if wait is not None and wait <= budget else None
        if response.status_code in RETRY_STATUSES and idempotent:
            return self._delay(attempt)
        return None

    def _delay(self, attempt: int) -> float:
        # Exponential backoff with full jitter, so parallel clients spread out.
        return random.uniform(0, self._backoff * 2 ** (attempt - 1))  # noqa: S311

    def _pause(self, request: httpx.Request, reason: str, seconds: float) -> None:
        if self._on_retry is not None:
            self._on_retry(request, reason, seconds)
        self._sleep(seconds)


def after_lost_answer(request: httpx.Request | None) -> bool:
    """True if ``request`` was sent again after an answer that never arrived whole."""
    return request is not None and bool(request.extensions.get(_LOST_ANSWER))


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header, else None.

    Both forms of RFC 9110 are read: delta-seconds (``120``) and an HTTP-date
    (``Wed, 21 Oct 2026 07:28:00 GMT``, rounded up to whole seconds; a date in
    the past means now).
    """
    if value is None:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        return _seconds_until(text, now or datetime.now(UTC))
    return seconds if 0 <= seconds < float("inf") else None


def _seconds_until(text: str, now: datetime) -> float | None:
    # Imported here: only a server that sends the date form pays for the email package.
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        return None
    return float(max(0, math.ceil((when - now).total_seconds())))


def _timeout(request: httpx.Request) -> httpx.ReadTimeout:
    return httpx.ReadTimeout("no complete response before the deadline", request=request)


def _too_large(limit: int, request: httpx.Request) -> httpx.DecodingError:
    return httpx.DecodingError(
        f"the response is over {limit} bytes, more than leger accepts", request=request
    )


def _not_http(exc: httpx.RemoteProtocolError, request: httpx.Request) -> httpx.RemoteProtocolError:
    """The error without the server's bytes, which h11 quotes (they may echo the request)."""
    text = str(exc)
    if "disconnected" in text or "peer closed" in text:
        return httpx.RemoteProtocolError(text, request=request)  # no server bytes in these
    what = text.split(":", 1)[0].strip()[:60] or type(exc).__name__
    return httpx.RemoteProtocolError(f"the answer is not valid HTTP/1.1 ({what})", request=request)


class _Watchdog:
    """Shuts the attempt's socket down at its deadline, waking any blocked read.

    httpcore reports each new connection's stream through the ``trace`` request
    extension; that is how the watchdog finds the socket.
    """

    def __init__(
        self, timeout: float, chained: Callable[[str, dict[str, Any]], Any] | None
    ) -> None:
        self.deadline = time.monotonic() + timeout
        self.expired = False
        self._chained = chained
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(timeout, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace callback: remember the socket of each new connection."""
        if event.endswith(".complete") and event.startswith("connection.connect_"):
            stream = info.get("return_value")
            sock = stream.get_extra_info("socket") if stream is not None else None
            if isinstance(sock, socket.socket):
                with self._lock:
                    self._sockets.append(sock)
                    if self.expired:
                        _shutdown(sock)
        if self._chained is not None:
            self._chained(event, info)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


_STEP = 1024 * 1024  # bytes of decompressed body per zlib call


class _Decoder:
    """Content-Encoding decoding that never produces more than it is asked for."""

    def __init__(self, encoding: str | None) -> None:
        self._encoding = encoding
        self._zlib: Any = None

    def decode(self, data: bytes, limit: int) -> list[bytes]:
        if self._encoding is None:
            return [data]
        if self._zlib is None:
            if self._encoding == "gzip":
                wbits = zlib.MAX_WBITS | 16
            elif len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0:
                wbits = zlib.MAX_WBITS  # deflate as RFC 9110 says: zlib format
            else:
                wbits = -zlib.MAX_WBITS  # deflate as some servers send it: raw
            self._zlib = zlib.decompressobj(wbits)
        return self._bounded(data, limit)

    def flush(self, limit: int) -> list[bytes]:
        return [] if self._zlib is None else self._bounded(b"", limit)

    def _bounded(self, data: bytes, limit: int) -> list[bytes]:
        # max_length keeps a decompression bomb from expanding past the cap, and
        # a megabyte at a time keeps zlib's own buffers from doubling a large body.
        out = []
        produced = 0
        while True:
            try:
                part = self._zlib.decompress(data, min(max(limit - produced, 1), _STEP))
            except zlib.error as exc:
                raise httpx.DecodingError(f"response body does not decompress: {exc}") from None
            out.append(part)
            produced += len(part)
            data = self._zlib.unconsumed_tail
            if not data or not part or produced >= limit:
                return out


def _decoder(encoding: str, request: httpx.Request) -> _Decoder:
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return _Decoder(None)
    if encoding in ("gzip", "x-gzip"):
        return _Decoder("gzip")
    if encoding == "deflate":
        return _Decoder("deflate")
    raise httpx.DecodingError(
        f"response body has an unsupported Content-Encoding: {encoding[:40]!r}", request=request
    )
