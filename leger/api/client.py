"""``LegerClient``: the leger.run API as typed Python calls.

Adds to the generated client what a CLI needs: the base URL (with any path
prefix), ``User-Agent``, the bearer token, a timeout, bounded retries, a
redacted debug log, and one error hierarchy (``leger.errors``) for every way a
call can fail. Results are the generated models, so a contract change flows
through ``scripts/generate-client`` with little code here to adapt.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any, TextIO

import httpx
from leger_api_client import Client
from leger_api_client.api.auth import authenticate_cli
from leger_api_client.api.secrets import delete_secret, get_secret, list_secrets, set_secret
from leger_api_client.models import (
    AuthData,
    AuthRequest,
    DeleteSecretData,
    SecretData,
    SecretMetadata,
    SetSecretData,
    SetSecretRequest,
    TailscaleIdentity,
)

from leger import __version__
from leger.api.debug import DebugLog
from leger.api.responses import raise_for_error
from leger.api.transport import BoundedRetryTransport
from leger.api.typecheck import well_typed
from leger.api.url import checked_base_url
from leger.errors import LegerError, RequestTimeout, TransportError, UnexpectedResponse

if TYPE_CHECKING:
    from leger.tailscale import Identity

USER_AGENT = f"leger-cli/{__version__}"


@dataclass(frozen=True)
class SetResult:
    """What ``set_secret`` returns: the server's data and whether it was created (201)."""

    created: bool
    data: SetSecretData


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
        log = DebugLog(debug) if debug is not None else None
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        hooks: dict[str, list[Any]] = {"request": [], "response": []}
        if log is not None:
            hooks["request"].append(log.on_request)
            hooks["response"].append(log.on_response)
        hooks["response"].append(raise_for_error)
        self._http = httpx.Client(
            base_url=self.base_url,
            headers=headers,
            timeout=timeout,
            follow_redirects=False,
            event_hooks=hooks,
            transport=BoundedRetryTransport(
                transport or httpx.HTTPTransport(),
                timeout=timeout,
                on_retry=log.on_retry if log is not None else None,
            ),
        )
        self._generated = Client(base_url=self.base_url).set_httpx_client(self._http)

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> LegerClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def authenticate(self, identity: Identity) -> AuthData:
        """POST /auth/cli: exchange a Tailscale identity for a token."""
        tailscale = TailscaleIdentity(**dataclasses.asdict(identity))
        body = AuthRequest(tailscale=tailscale, cli_version=__version__)
        return self._call(authenticate_cli, body=body)[1]

    def list_secrets(self) -> list[SecretMetadata]:
        """GET /secrets/list: metadata of every secret (never values)."""
        return self._call(list_secrets)[1].secrets

    def set_secret(self, name: str, value: str) -> SetResult:
        """POST /secrets/set: create (201) or update (200) a secret."""
        status, data = self._call(set_secret, body=SetSecretRequest(name=name, value=value))
        return SetResult(created=status == 201, data=data)

    def get_secret(self, name: str) -> SecretData:
        """GET /secrets/get/{name}: the secret's value and version."""
        return self._call(get_secret, name=name)[1]

    def delete_secret(self, name: str) -> DeleteSecretData:
        """DELETE /secrets/{name}: delete permanently."""
        return self._call(delete_secret, name=name)[1]

    def _call(self, operation: ModuleType, **kwargs: Any) -> tuple[int, Any]:
        """Run one generated operation; return (status, envelope data) or raise LegerError."""
        try:
            response = operation.sync_detailed(client=self._generated, **kwargs)
        except LegerError:
            raise
        except httpx.TimeoutException:
            raise RequestTimeout(
                f"No complete answer from {self.base_url} within {self._timeout:g} s",
                hint="Set LEGER_TIMEOUT (seconds) to wait longer.",
            ) from None
        except httpx.ConnectError as exc:
            raise TransportError(
                f"Cannot connect to {self.base_url}: {_reason(exc)}",
                hint="Check your network and LEGER_API_URL.",
            ) from None
        except httpx.DecodingError as exc:
            raise UnexpectedResponse(
                f"leger.run sent a response leger cannot read: {_reason(exc)}"
            ) from None
        except httpx.HTTPError as exc:
            raise TransportError(
                f"The connection to {self.base_url} failed: {_reason(exc)}"
            ) from None
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            # The generated parser met a 2xx body the contract does not allow.
            raise _unreadable(None) from None
        envelope = response.parsed
        if getattr(envelope, "success", None) is not True or not well_typed(envelope.data):
            raise _unreadable(response.status_code)
        return response.status_code, envelope.data


def _unreadable(status: int | None) -> UnexpectedResponse:
    shown = f" (HTTP {status})" if status is not None else ""
    return UnexpectedResponse(
        f"leger.run sent a response leger cannot read{shown}",
        status=status,
        hint="The server may be misconfigured or a proxy may be in the way; try again later.",
    )


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:300]
