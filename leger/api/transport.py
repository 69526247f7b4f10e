"""An httpx transport that bounds every request and retries what is safe to retry.

- Each attempt has a deadline of the request timeout: a server that trickles an
  endless body is cut off, not only one that goes silent.
- A body larger than ``max_body`` is refused (a list of 10,000 secrets is ~1 MB).
- Retries: a connection refused is retried for any method (nothing was sent);
  other transport errors and 502/503/504 only for idempotent methods (GET,
  DELETE); a 429 waits for a short ``Retry-After``. At most ``attempts`` tries.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator

import httpx

from leger.api.responses import parse_retry_after

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_STATUSES = frozenset({502, 503, 504})


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
                self._pause(request, "connection dropped", self._delay(attempt))
                continue
            wait = self._retry_wait(response, idempotent, attempt)
            if last or wait is None:
                return response
            response.close()
            self._pause(request, f"HTTP {response.status_code}", wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def close(self) -> None:
        """Close the wrapped transport."""
        self._inner.close()

    def _send_once(self, request: httpx.Request) -> httpx.Response:
        deadline = time.monotonic() + self._timeout
        response = self._inner.handle_request(request)
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > self._max_body:
            response.close()
            raise httpx.DecodingError(f"response body over {self._max_body} bytes", request=request)
        return httpx.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=_BoundedStream(response, request, deadline, self._max_body),
            extensions=response.extensions,
            request=request,
        )

    def _retry_wait(self, response: httpx.Response, idempotent: bool, attempt: int) -> float | None:
        if response.status_code == 429:
            wait = parse_retry_after(response.headers.get("retry-after"))
            return wait if wait is not None and wait <= self._max_retry_wait else None
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


class _BoundedStream(httpx.SyncByteStream):
    """The inner response body, cut off at a deadline and a size cap."""

    def __init__(
        self, response: httpx.Response, request: httpx.Request, deadline: float, max_body: int
    ) -> None:
        self._response = response
        self._request = request
        self._deadline = deadline
        self._max_body = max_body

    def __iter__(self) -> Iterator[bytes]:
        received = 0
        for chunk in self._response.stream:  # type: ignore[union-attr]
            received += len(chunk)
            if received > self._max_body:
                raise httpx.DecodingError(
                    f"response body over {self._max_body} bytes", request=self._request
                )
            if time.monotonic() > self._deadline:
                raise httpx.ReadTimeout("response body not complete in time", request=self._request)
            yield chunk

    def close(self) -> None:
        """Close the inner response."""
        self._response.close()
