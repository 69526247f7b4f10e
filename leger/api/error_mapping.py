"""Turn an HTTP response that is not a usable success into the matching ``ApiError``.

Runs as an httpx response hook, before any model is built, so the models only
ever see success envelopes. An error body that is not the documented envelope
(an HTML page from a proxy, an empty or truncated body) is reported by its HTTP
status. Server text (message, ``action``, ``Location``, reason phrase) is scrubbed
of every credential the process knows and made one terminal-safe line.
"""

from __future__ import annotations

from typing import Any

import httpx

from leger.api.body import UnreadableBody, json_body, json_body_or_none
from leger.api.debug import Redactor
from leger.api.transport import after_lost_answer, parse_retry_after
from leger.errors import (
    RELOGIN_HINT,
    ApiError,
    Forbidden,
    InvalidRequest,
    InvalidToken,
    NotFound,
    RateLimited,
    ServerError,
    UnexpectedResponse,
)
from leger.terminal import safe_line

UNREADABLE_HINT = "The server may be misconfigured or a proxy may be in the way; try again later."


class ErrorMapper:
    """The response hook; server text is scrubbed with the client's ``Redactor``."""

    def __init__(self, redactor: Redactor) -> None:
        self._redactor = redactor

    def __call__(self, response: httpx.Response) -> None:
        """Raise the ``ApiError`` for a redirect, an error, or a 2xx that is no success envelope."""
        status = response.status_code
        if 200 <= status < 300:
            _check_success_envelope(response)
        elif 300 <= status < 400:
            raise self._redirect(response)
        else:
            raise self._error(response)

    def _shown(self, text: str, limit: int = 500) -> str:
        return safe_line(self._redactor.scrub(text), limit)

    def _redirect(self, response: httpx.Response) -> ApiError:
        location = response.headers.get("location")
        target = self._shown(location, 200) if location is not None else "(no Location header)"
        return UnexpectedResponse(
            f"leger.run answered with a redirect (HTTP {response.status_code} to {target}); "
            "leger does not follow redirects, so your token is never sent to another URL",
            status=response.status_code,
            hint="Check LEGER_API_URL: it should point at the API itself.",
        )

    def _error(self, response: httpx.Response) -> ApiError:
        status = response.status_code
        code, message, action = _error_fields(json_body_or_none(response))
        shown = self._shown(message) if message else None
        described = shown or self._shown(f"HTTP {status} {response.reason_phrase}".strip())
        if code is None and not shown:
            described += " (the response was not a leger.run error)"
        hint = self._shown(action, 300) if action else None
        kwargs: dict[str, Any] = {
            "status": status,
            "code": code,
            "server_message": shown,
            "after_lost_answer": after_lost_answer(response.request),
        }
        if status == 401:
            return InvalidToken(
                "leger.run rejected the token (invalid or expired)",
                hint=hint or RELOGIN_HINT,
                **kwargs,
            )
        if status == 429:
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            when = f"in {retry_after:g} seconds" if retry_after is not None else "later"
            return RateLimited(
                f"Rate limited by leger.run: try again {when}",
                retry_after=retry_after,
                hint=hint,
                **kwargs,
            )
        if status in _BY_STATUS:
            error_type, prefix = _BY_STATUS[status]
        elif status >= 500:
            error_type, prefix = ServerError, "leger.run failed"
            hint = hint or "Try again later."
        else:
            error_type, prefix = ApiError, "leger.run returned an error"
        return error_type(f"{prefix}: {described}", hint=hint, **kwargs)


_BY_STATUS: dict[int, tuple[type[ApiError], str]] = {
    400: (InvalidRequest, "Rejected by leger.run"),
    403: (Forbidden, "Not allowed"),
    404: (NotFound, "Not found"),
}


def _check_success_envelope(response: httpx.Response) -> None:
    try:
        body = json_body(response)
    except UnreadableBody as unreadable:
        content_type = response.headers.get("content-type", "").split(";")[0].strip()
        if content_type and "json" not in content_type.lower():
            why = f"{safe_line(content_type, 60)} instead of JSON"
        else:
            why = unreadable.why
    else:
        if isinstance(body, dict) and body.get("success") is True:
            return
        why = "not a success envelope"
    raise UnexpectedResponse(
        f"leger.run sent a response leger cannot read (HTTP {response.status_code}, {why})",
        status=response.status_code,
        hint=UNREADABLE_HINT,
    )


def _error_fields(body: object) -> tuple[str | None, str | None, str | None]:
    """(code, message, action) of the documented error envelope, each None when absent."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return None, None, None
    code, message, action = (error.get(key) for key in ("code", "message", "action"))
    return (
        code if isinstance(code, str) else None,
        message if isinstance(message, str) and message else None,
        action if isinstance(action, str) and action.strip() else None,
    )
