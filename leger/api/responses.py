"""Turn a non-2xx HTTP response into the matching ``ApiError``.

Runs as an httpx response hook, before the generated client parses anything, so
the generated code only ever sees success bodies. Bodies are read leniently: an
error that is not the documented envelope (an HTML page from a proxy, an empty or
truncated body) is reported by its HTTP status. Nothing from the request (token,
secret value) is ever put into a message.
"""

from __future__ import annotations

import json

import httpx

from leger.errors import (
    RELOGIN_HINT,
    ApiError,
    Forbidden,
    InvalidRequest,
    InvalidToken,
    RateLimited,
    SecretNotFound,
    ServerError,
    UnexpectedResponse,
)


def raise_for_error(response: httpx.Response) -> None:
    """Raise the ``ApiError`` for a redirect or error response; do nothing on 2xx."""
    status = response.status_code
    if 200 <= status < 300:
        return
    if 300 <= status < 400:
        target = response.headers.get("location", "(no Location header)")
        raise UnexpectedResponse(
            f"leger.run answered with a redirect (HTTP {status} to {target}); "
            "leger does not follow redirects, so your token is never sent to another URL",
            status=status,
            hint="Check LEGER_API_URL: it should point at the API itself.",
        )
    response.read()
    code, server_message = _error_fields(response)
    described = server_message or f"HTTP {status} {response.reason_phrase}".strip()
    if code is None and not server_message:
        described += " (the response was not a leger.run error)"
    kwargs = {"status": status, "code": code}
    if status == 401:
        raise InvalidToken(
            "leger.run rejected the token (invalid or expired)", hint=RELOGIN_HINT, **kwargs
        )
    if status == 403:
        raise Forbidden(f"Not allowed: {described}", **kwargs)
    if status == 404:
        raise SecretNotFound(f"Not found: {described}", **kwargs)
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        when = f"in {retry_after:g} seconds" if retry_after is not None else "later"
        raise RateLimited(
            f"Rate limited by leger.run: try again {when}",
            retry_after=retry_after,
            **kwargs,
        )
    if status == 400:
        raise InvalidRequest(f"Rejected by leger.run: {described}", **kwargs)
    if status >= 500:
        raise ServerError(f"leger.run failed: {described}", hint="Try again later.", **kwargs)
    raise ApiError(f"leger.run returned an error: {described}", **kwargs)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header in delta-seconds form, else None."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if 0 <= seconds < float("inf") else None


def _error_fields(response: httpx.Response) -> tuple[str | None, str | None]:
    """(code, message) of the documented error envelope, or (None, None)."""
    try:
        body = json.loads(response.content)
    except ValueError:
        return None, None
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return None, None
    code, message = error.get("code"), error.get("message")
    return (
        code if isinstance(code, str) else None,
        _printable(message) if isinstance(message, str) else None,
    )


def _printable(text: str, limit: int = 500) -> str:
    # A server message goes to a terminal: drop control characters that could
    # rewrite the screen, and cap the length.
    cleaned = "".join(ch if ch.isprintable() or ch == "\n" else "?" for ch in text)
    return cleaned[:limit]
