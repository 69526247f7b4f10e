"""``LegerClient``: one base URL, one token, and every request leger sends.

Adds to the generated client what a CLI needs: the base URL (with any path
prefix), ``User-Agent``, the bearer token, a timeout, bounded retries, a
redacted debug log, and one error hierarchy (``leger.errors``) for every way a
call can fail. Requests are built by the generated operations and answers are
the generated models, so a contract change flows through
``scripts/generate-client`` with little code here to adapt. Which secret routes
to use is not decided here: see ``leger.api.secrets``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, Generic, Protocol, Self, TextIO, TypeVar

import httpx

from leger import __version__
from leger.api.body import json_body
from leger.api.debug import DebugLog, Redactor
from leger.api.error_mapping import UNREADABLE_HINT, ErrorMapper
from leger.api.transport import BoundedRetryTransport
from leger.api.typecheck import well_typed
from leger.api.url import checked_base_url
from leger.errors import RequestTimeout, TransportError, UnexpectedResponse, WrongShape
from leger.record import Record
from leger.terminal import safe_line

if TYPE_CHECKING:
    from leger_api_client.models.auth_data import AuthData

    from leger.tailscale import Identity

USER_AGENT = f"leger-cli/{__version__}"
# The longest a command waits out rate limits in all (a longer Retry-After is reported).
MAX_RATE_LIMIT_WAIT = 30.0


class Envelope(Protocol):
    """A generated success-envelope model: ``{"success": true, "data": ...}``."""

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        """Build the model from a parsed JSON object."""
        ...


E = TypeVar("E", bound=Envelope)


class Answer(Record, Generic[E]):
    """A parsed success: the HTTP status and the envelope model."""

    __slots__ = ("envelope", "response", "status")

    def __init__(self, status: int, envelope: E, response: httpx.Response) -> None:
        self.status: Final = status
        self.envelope: Final = envelope
        self.response: Final = response


class LegerClient:
    """A client for one base URL and (optionally) one token; reuse it for every call."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float,
        token: str | None = None,
        debug: TextIO | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = checked_base_url(base_url)
        self._timeout = timeout
        self.redactor = Redactor()
        log = DebugLog(debug, self.redactor) if debug is not None else None
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        request_hooks: list[Any] = [self.redactor.remember_request]
        response_hooks: list[Any] = [self.redactor.remember_response]
        if log is not None:
            request_hooks.append(log.on_request)
            response_hooks.append(log.on_response)
        response_hooks.append(ErrorMapper(self.redactor))
        self._http = httpx.Client(
            base_url=self.base_url,
            headers=headers,
            timeout=timeout,
            follow_redirects=False,
            event_hooks={"request": request_hooks, "response": response_hooks},
            transport=BoundedRetryTransport(
                transport or httpx.HTTPTransport(),
                timeout=timeout,
                max_retry_wait=min(timeout, MAX_RATE_LIMIT_WAIT),
                on_retry=log.on_retry if log is not None else None,
            ),
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def authenticate(self, identity: Identity) -> AuthData:
        """POST /auth/cli: exchange a Tailscale identity for a token."""
        import dataclasses

        from leger_api_client.api.auth import authenticate_cli
        from leger_api_client.models.auth_request import AuthRequest
        from leger_api_client.models.auth_response import AuthResponse
        from leger_api_client.models.tailscale_identity import TailscaleIdentity

        tailscale = TailscaleIdentity(**dataclasses.asdict(identity))
        body = AuthRequest(tailscale=tailscale, cli_version=__version__)
        return self.call(authenticate_cli._get_kwargs(body=body), AuthResponse).envelope.data

    def call(
        self, request: dict[str, Any], envelope: type[E], ok: tuple[int, ...] = (200,)
    ) -> Answer[E]:
        """Send a request built by a generated operation; its success envelope, typed.

        ``ok`` are the success statuses the contract documents for it. Every
        failure is a ``LegerError``: transport problems, error statuses (mapped by
        ``ErrorMapper``), and a success the contract does not allow.
        """
        response = self._send(request)
        if response.status_code not in ok:
            raise _wrong_shape(response.status_code)
        # Only the model building is guarded: the body is already parsed JSON
        # (leger.api.body), so what fails here is a body of the wrong shape.
        try:
            model = envelope.from_dict(json_body(response))
        except (ValueError, KeyError, TypeError, AttributeError):
            model = None
        if model is None or not well_typed(model):
            raise _wrong_shape(response.status_code)
        return Answer(response.status_code, model, response)

    def _send(self, request: dict[str, Any]) -> httpx.Response:
        try:
            return self._http.request(**request)
        except httpx.TimeoutException:
            raise RequestTimeout(
                f"No complete answer from {self.base_url} within {self._timeout:g} s",
                hint="Set LEGER_TIMEOUT (seconds) to wait longer.",
                reason=f"no complete answer within {self._timeout:g} s",
            ) from None
        except httpx.ConnectError as exc:
            raise TransportError(
                f"Cannot connect to {self.base_url}: {_reason(exc)}",
                hint="Check your network and LEGER_API_URL.",
                reason=_reason(exc),
            ) from None
        except httpx.DecodingError as exc:
            raise UnexpectedResponse(
                f"leger.run sent a response leger cannot read: {_reason(exc)}"
            ) from None
        except httpx.HTTPError as exc:
            raise TransportError(
                f"The connection to {self.base_url} failed: {_reason(exc)}", reason=_reason(exc)
            ) from None


def _wrong_shape(status: int) -> WrongShape:
    """The error for a success whose body does not have the contract's shape."""
    return WrongShape(
        f"leger.run sent a response leger cannot read (HTTP {status})",
        status=status,
        hint=UNREADABLE_HINT,
    )


def _reason(exc: BaseException) -> str:
    return safe_line(str(exc) or type(exc).__name__, 300)
