"""What travels on the wire: requests in, replies out, and the error envelope."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]

INVALID_NAME_MESSAGE = 'Secret names are 1-64 characters of letters, digits, "_" and "-".'
TOO_LARGE_MESSAGE = "Secret values are at most 10240 bytes of UTF-8."
INVALID_TOKEN_MESSAGE = "Token is invalid or expired. Re-authenticate with: leger auth login"


@dataclass(frozen=True)
class Request:
    """One HTTP request, already read off the socket."""

    method: str
    path: str  # percent-encoded, without the query string
    headers: dict[str, str]  # lower-cased names
    body: bytes = b""

    def bearer_token(self) -> str | None:
        """The token of an ``Authorization: Bearer <token>`` header, if there is one."""
        scheme, _, token = self.headers.get("authorization", "").strip().partition(" ")
        token = token.strip()
        return token if scheme.lower() == "bearer" and token else None


@dataclass(frozen=True)
class Reply:
    """A JSON reply: a status, a body and any extra headers."""

    status: int
    body: JSON
    headers: dict[str, str] = field(default_factory=dict)


def success(data: JSON, status: int = 200) -> Reply:
    """The success envelope ``{"success": true, "data": ...}``."""
    return Reply(status, {"success": True, "data": data})


class ApiError(Exception):
    """An error answered with the envelope ``{"success": false, "error": {...}}``."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(f"{status} {code}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}

    def reply(self) -> Reply:
        """This error as a reply."""
        body = {"success": False, "error": {"code": self.code, "message": self.message}}
        return Reply(self.status, body, dict(self.headers))


def invalid_request(message: str) -> ApiError:
    return ApiError(400, "invalid_request", message)


def invalid_secret_name() -> ApiError:
    return ApiError(400, "invalid_secret_name", INVALID_NAME_MESSAGE)


def secret_value_too_large() -> ApiError:
    return ApiError(400, "secret_value_too_large", TOO_LARGE_MESSAGE)


def invalid_token() -> ApiError:
    return ApiError(401, "invalid_token", INVALID_TOKEN_MESSAGE)


def secret_not_found(name: str) -> ApiError:
    return ApiError(404, "secret_not_found", f'Secret "{name}" not found.')


def route_not_found(method: str, path: str) -> ApiError:
    return ApiError(404, "not_found", f"No such endpoint: {method} {path}")


def method_not_allowed(allowed: list[str]) -> ApiError:
    allow = ", ".join(allowed)
    return ApiError(405, "method_not_allowed", f"Allowed: {allow}.", {"Allow": allow})


def rate_limit_exceeded(retry_after: int) -> ApiError:
    message = f"Rate limit exceeded. Try again in {retry_after} seconds."
    return ApiError(429, "rate_limit_exceeded", message, {"Retry-After": str(retry_after)})


def internal_error() -> ApiError:
    return ApiError(500, "internal_error", "An internal error occurred. Try again later.")
