"""Every way leger can fail, as one hierarchy that knows its exit code.

The CLI entry point turns any ``LegerError`` into its ``message`` and ``hint`` on
stderr and exits with ``exit_code``. Messages never contain a token or a secret
value: they are built from names, URLs, HTTP statuses and server error codes.
"""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Iterator
from enum import IntEnum
from typing import Any

LOGIN_HINT = "Authenticate with: leger auth login"
REDETECT_HINT = (
    "leger finds the server's route form when you log in: run 'leger auth login' again,\n"
    "or set LEGER_API_ROUTES=rest or LEGER_API_ROUTES=v0.1 to say which one it speaks."
)
RELOGIN_HINT = "Re-authenticate with: leger auth login"


class ExitCode(IntEnum):
    """The process exit codes documented in the README."""

    OK = 0
    ERROR = 1
    USAGE = 2
    AUTH_REQUIRED = 4
    # `leger run`, as shells report them: found but not executable, not found.
    CANNOT_EXECUTE = 126
    COMMAND_NOT_FOUND = 127
    INTERRUPTED = 130  # 128 + SIGINT, as shells report a Ctrl-C


class LegerError(Exception):
    """Base of every error leger reports to a user."""

    exit_code: int = ExitCode.ERROR

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class Exit(LegerError):
    """End with ``exit_code`` after the command has already said everything it had to."""

    def __init__(self, exit_code: int) -> None:
        super().__init__("")
        self.exit_code = exit_code


class UsageError(LegerError):
    """The command line is wrong: unknown option, missing or extra argument."""

    exit_code = ExitCode.USAGE


class OutputError(LegerError):
    """stdout did not take the command's output: closed, disk full, I/O error.

    A reader that went away (EPIPE, ``leger … | head``) is not one: that stays
    a BrokenPipeError, which the entry point ends silently.
    """

    def __init__(self, cause: OSError) -> None:
        reason = "it is closed" if cause.errno == errno.EBADF else cause.strerror
        super().__init__(f"Cannot write the output to stdout: {reason or type(cause).__name__}")


@contextlib.contextmanager
def writing_output() -> Iterator[None]:
    """Turn a failed write to stdout inside the block into an OutputError."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(exc) from None


class InputError(LegerError):
    """A value the user gave cannot be used (bad name, empty value, unreadable file)."""


class CommandNotRunnable(LegerError):
    """``leger run`` could not start the command: not found (127) or not executable (126)."""

    def __init__(self, message: str, *, exit_code: ExitCode, hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.exit_code = exit_code


class AuthRequired(LegerError):
    """No usable token: none stored, expired, or rejected by the server."""

    exit_code = ExitCode.AUTH_REQUIRED


class TokenStoreError(LegerError):
    """The token file cannot be read or written safely."""


class TailscaleError(LegerError):
    """The local Tailscale identity cannot be read."""


class PodmanError(LegerError):
    """The ``podman`` command is missing, failed, or answered something unreadable."""


class ApiError(LegerError):
    """The leger.run API answered with an error envelope or an unusable response."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        hint: str | None = None,
        server_message: str | None = None,
        after_lost_answer: bool = False,
    ) -> None:
        super().__init__(message, hint)
        self.status = status
        self.code = code
        # The server's own message, already terminal-safe and scrubbed of credentials.
        self.server_message = server_message
        # The request was sent again after an answer that never arrived: the
        # server may have done the work already (a DELETE's retry then sees 404).
        self.after_lost_answer = after_lost_answer


class InvalidToken(ApiError, AuthRequired):
    """401: the server rejected the token (``invalid_token``)."""

    exit_code = ExitCode.AUTH_REQUIRED


class Forbidden(ApiError):
    """403: identity not verified, account not linked, or not allowed."""


class NotFound(ApiError):
    """404: the server has no such secret, or no such route (the form decides which)."""


class SecretNotFound(NotFound):
    """404 the server says is a missing secret (v0.1 ``secret_not_found``, REST ``not_found``)."""


class RoutesMismatch(ApiError):
    """The server does not speak the route form leger uses: wrong API URL or wrong routes."""


class InvalidRequest(ApiError):
    """400: the server refused the input (``invalid_secret_name``, ``secret_value_too_large``)."""


class RateLimited(ApiError):
    """429 ``rate_limit_exceeded``; ``retry_after`` is in seconds when the server said."""

    def __init__(self, message: str, *, retry_after: float | None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(ApiError):
    """5xx: the backend (or a proxy in front of it) failed."""


class UnexpectedResponse(ApiError):
    """A response the contract does not allow: wrong shape, redirect, not JSON."""


class WrongShape(UnexpectedResponse):
    """A success envelope whose status or data is not what the contract gives the operation."""


class TransportError(LegerError):
    """The request did not complete: refused, DNS, TLS, timeout, insecure URL."""

    def __init__(self, message: str, hint: str | None = None, *, reason: str | None = None) -> None:
        super().__init__(message, hint)
        # The cause alone, without the URL ("[Errno 111] Connection refused"), for
        # one-line reports such as the offline cache's.
        self.reason = reason or message


class RequestTimeout(TransportError):
    """No complete answer within LEGER_TIMEOUT."""


def secret_not_found(name: str) -> LegerError:
    """The error for a secret the server says it does not have, with what to do next."""
    return LegerError(
        f'Secret "{name}" not found',
        hint=f"List available secrets:\n  leger secrets list\n\n"
        f"Create secret:\n  leger secrets set {name} <value>",
    )
