"""What travels on the wire: requests in, replies out, times, and both forms' errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs

JSON = dict[str, Any]

INVALID_NAME_MESSAGE = 'Secret names are 1-64 characters of letters, digits, "_" and "-".'
TOO_LARGE_MESSAGE = "Secret values are at most 10240 bytes of UTF-8."
INVALID_TOKEN_MESSAGE = "Token is invalid or expired. Re-authenticate with: leger auth login"
LOGIN_ACTION = "Please run: leger auth login"
AUTH_DOCS = "https://docs.leger.run/authentication"
SECRETS_DOCS = "https://docs.leger.run/secrets"


@dataclass(frozen=True)
class Request:
    """One HTTP request, already read off the socket."""

    method: str
    path: str  # percent-encoded, without the query string
    headers: dict[str, str]  # lower-cased names
    body: bytes = b""
    query: str = ""  # the raw query string, without "?"

    def bearer_token(self) -> str | None:
        """The token of an ``Authorization: Bearer <token>`` header, if there is one."""
        scheme, _, token = self.headers.get("authorization", "").strip().partition(" ")
        token = token.strip()
        return token if scheme.lower() == "bearer" and token else None

    def query_param(self, name: str) -> str | None:
        """The first value of query parameter ``name``, if it was sent."""
        values = parse_qs(self.query, keep_blank_values=True).get(name)
        return values[0] if values else None


@dataclass(frozen=True)
class Reply:
    """A JSON reply: a status, a body and any extra headers."""

    status: int
    body: JSON
    headers: dict[str, str] = field(default_factory=dict)


def success(data: JSON, status: int = 200) -> Reply:
    """The success envelope ``{"success": true, "data": ...}``."""
    return Reply(status, {"success": True, "data": data})


def seconds(when: datetime) -> str:
    """RFC 3339 in UTC to the second, as v0.1 shows times (``2026-11-28T10:00:00Z``)."""
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def milliseconds(when: datetime) -> str:
    """RFC 3339 in UTC with milliseconds, as the REST form shows times."""
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


class ApiError(Exception):
    """An error answered with the envelope ``{"success": false, "error": {...}}``.

    ``action`` (a hint) and ``docs`` (a URL) are optional members of the REST
    form's error object; they are left out when unset.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        headers: dict[str, str] | None = None,
        *,
        action: str | None = None,
        docs: str | None = None,
    ) -> None:
        super().__init__(f"{status} {code}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.action = action
        self.docs = docs

    def reply(self) -> Reply:
        """This error as a reply."""
        error = {"code": self.code, "message": self.message}
        extras = {"action": self.action, "docs": self.docs}
        error.update({key: value for key, value in extras.items() if value is not None})
        return Reply(self.status, {"success": False, "error": error}, dict(self.headers))


# --- both forms ------------------------------------------------------------------


def invalid_request(message: str) -> ApiError:
    """400 ``invalid_request``: a body that is not the expected JSON."""
    return ApiError(400, "invalid_request", message)


def route_not_found(method: str, path: str) -> ApiError:
    """404 ``not_found`` for a route the server does not have (both forms' wording)."""
    return ApiError(404, "not_found", f"API endpoint not found: {method} {path}")


def rate_limit_exceeded(retry_after: int) -> ApiError:
    """429 ``rate_limit_exceeded`` with ``Retry-After``."""
    message = f"Rate limit exceeded. Try again in {retry_after} seconds."
    return ApiError(429, "rate_limit_exceeded", message, {"Retry-After": str(retry_after)})


def internal_error() -> ApiError:
    """500 ``internal_error``."""
    return ApiError(500, "internal_error", "An internal error occurred. Try again later.")


# --- the v0.1 form -------------------------------------------------------------------


def invalid_secret_name() -> ApiError:
    """v0.1: 400 ``invalid_secret_name``."""
    return ApiError(400, "invalid_secret_name", INVALID_NAME_MESSAGE)


def secret_value_too_large() -> ApiError:
    """v0.1: 400 ``secret_value_too_large``."""
    return ApiError(400, "secret_value_too_large", TOO_LARGE_MESSAGE)


def invalid_token() -> ApiError:
    """v0.1: 401 ``invalid_token``, for a missing, unknown or expired token alike."""
    return ApiError(401, "invalid_token", INVALID_TOKEN_MESSAGE)


def secret_not_found(name: str) -> ApiError:
    """v0.1: 404 ``secret_not_found``."""
    return ApiError(404, "secret_not_found", f'Secret "{name}" not found.')


def method_not_allowed(allowed: list[str]) -> ApiError:
    """v0.1: 405 ``method_not_allowed`` with ``Allow``."""
    allow = ", ".join(allowed)
    return ApiError(405, "method_not_allowed", f"Allowed: {allow}.", {"Allow": allow})


# --- the REST form ---------------------------------------------------------------------


def validation_error(message: str) -> ApiError:
    """REST: 400 ``validation_error`` (a bad name, value or body of a secret operation)."""
    return ApiError(400, "validation_error", message, docs=SECRETS_DOCS)


def tailscale_verification_failed(message: str) -> ApiError:
    """REST: 400 ``tailscale_verification_failed`` (identity fields missing at login)."""
    return ApiError(
        400,
        "tailscale_verification_failed",
        message,
        action="Check that Tailscale is running: tailscale status",
        docs=AUTH_DOCS,
    )


def authentication_failed() -> ApiError:
    """REST: 401 ``authentication_failed`` (an unknown or expired token), with a hint."""
    return ApiError(
        401,
        "authentication_failed",
        "JWT validation failed: invalid or expired token",
        action=LOGIN_ACTION,
        docs=AUTH_DOCS,
    )


def unauthorized(message: str) -> ApiError:
    """REST: 401 ``unauthorized`` (no or a malformed ``Authorization`` header)."""
    return ApiError(401, "unauthorized", message)


def not_found(name: str) -> ApiError:
    """REST: 404 ``not_found`` for a missing secret."""
    return ApiError(404, "not_found", f"Secret '{name}' not found")
