"""Turn a non-2xx HTTP response into the matching ``ApiError``.

Runs as an httpx response hook, before the generated client parses anything, so
the generated code only ever sees success bodies: a 2xx that is not a JSON
object with ``"success": true`` (an HTML page, a truncated or absurdly nested
body) is an ``UnexpectedResponse`` here. Bodies are read leniently: an
error that is not the documented envelope (an HTML page from a proxy, an empty or
truncated body) is reported by its HTTP status. Nothing from the request (token,
secret value) is ever put into a message: text the server sends back (an error
message, a ``Location``) is stripped of control characters and of any copy of
the request's token or secret value, in case the server echoes them.
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime

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
from leger.terminal import safe_line


def raise_for_error(response: httpx.Response) -> None:
    """Raise the ``ApiError`` for a redirect, an error, or a 2xx that is no success envelope."""
    status = response.status_code
    if 200 <= status < 300:
        _check_success_envelope(response)
        return
    if 300 <= status < 400:
        location = response.headers.get("location")
        target = (
            safe_line(redact(location, request_secrets(response.request)), 200)
            if location is not None
            else "(no Location header)"
        )
        raise UnexpectedResponse(
            f"leger.run answered with a redirect (HTTP {status} to {target}); "
            "leger does not follow redirects, so your token is never sent to another URL",
            status=status,
            hint="Check LEGER_API_URL: it should point at the API itself.",
        )
    response.read()
    code, server_message = _error_fields(response)
    if server_message is not None:
        server_message = safe_line(redact(server_message, request_secrets(response.request)))
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


def _check_success_envelope(response: httpx.Response) -> None:
    response.read()
    try:
        body = json.loads(response.content)
    except (ValueError, RecursionError):
        content_type = response.headers.get("content-type", "").split(";")[0].strip()
        if content_type and "json" not in content_type.lower():
            why = f"{safe_line(content_type, 60)} instead of JSON"
        else:
            why = "the body is not valid JSON"
    else:
        if not isinstance(body, dict) or body.get("success") is not True:
            why = "not a success envelope"
        elif _has_lone_surrogate(response.content, body):
            why = "it has text that is not valid Unicode"
        else:
            return
    raise UnexpectedResponse(
        f"leger.run sent a response leger cannot read (HTTP {response.status_code}, {why})",
        status=response.status_code,
        hint="The server may be misconfigured or a proxy may be in the way; try again later.",
    )


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _has_lone_surrogate(content: bytes, body: object) -> bool:
    """True if a ``\\uD800``-style escape decoded to half a character.

    JSON lets a body spell one; Python then holds a string that cannot be
    written out as UTF-8. Valid pairs (an escaped emoji) are fine.
    """
    if not _SURROGATE_ESCAPE.search(content):
        return False  # the common case costs one scan of the bytes
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


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


def _error_fields(response: httpx.Response) -> tuple[str | None, str | None]:
    """(code, message) of the documented error envelope, or (None, None)."""
    try:
        body = json.loads(response.content)
    except (ValueError, RecursionError):
        return None, None
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return None, None
    code, message = error.get("code"), error.get("message")
    return (
        code if isinstance(code, str) else None,
        message if isinstance(message, str) and message else None,
    )


# A value this short cannot be redacted without mangling the text around it
# (and is no secret worth the name); anything longer is.
MIN_REDACTED_LENGTH = 4
_SECRET_FIELDS = frozenset({"token", "value", "password", "secret"})


def request_secrets(request: httpx.Request | None) -> list[str]:
    """What in ``request`` must never be shown: the bearer token, the secret value."""
    if request is None:
        return []
    found = []
    auth = request.headers.get("authorization", "")
    scheme, _, credential = auth.partition(" ")
    found += [auth, credential.strip()] if credential else [scheme]
    try:
        content = request.content
    except httpx.RequestNotRead:
        content = b""
    if content:
        try:
            body = json.loads(content)
        except ValueError:
            body = None
        found += _secret_fields(body)
    unique = {text for text in found if len(text) >= MIN_REDACTED_LENGTH}
    return sorted(unique, key=len, reverse=True)


def _secret_fields(node: object) -> list[str]:
    if isinstance(node, dict):
        found = []
        for key, value in node.items():
            if key in _SECRET_FIELDS and isinstance(value, str):
                found.append(value)
            else:
                found += _secret_fields(value)
        return found
    if isinstance(node, list):
        return [text for item in node for text in _secret_fields(item)]
    return []


def redact(text: str, secrets: list[str], placeholder: str = "[redacted]") -> str:
    """``text`` with every occurrence of each of ``secrets`` replaced."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, placeholder)
    return text
