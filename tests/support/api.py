"""The API layer as tests drive it directly: a route form's operations over a client.

``v01``/``rest`` talk to a real (loopback) server. A ``MockServer`` is an
``httpx.MockTransport`` handler: its ``client()`` sends every request to it (with
``TOKEN``), so a test can answer anything at all, see every request, and check
that nothing shown to the user holds the token.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import httpx

from leger.api.client import LegerClient
from leger.api.secrets_rest import RestSecrets
from leger.api.secrets_v01 import V01Secrets
from leger.errors import LegerError

TOKEN = "tok-SeCrEt-0123456789"  # the bearer token a MockServer client sends
BASE = "https://api.leger.run"

Handler = Callable[[httpx.Request], httpx.Response]


def v01(base_url: str, **kwargs: Any) -> V01Secrets:
    """The v0.1 routes' operations over a ``LegerClient(base_url, **kwargs)``."""
    return V01Secrets(LegerClient(base_url, **kwargs))


def rest(base_url: str, **kwargs: Any) -> RestSecrets:
    """The REST routes' operations over a ``LegerClient(base_url, **kwargs)``."""
    return RestSecrets(LegerClient(base_url, **kwargs))


class MockServer:
    """A ``MockTransport`` handler that answers every request with ``respond`` and records them."""

    def __init__(self, respond: Handler) -> None:
        self.respond = respond
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.respond(request)

    def client(
        self,
        base_url: str = BASE,
        token: str | None = TOKEN,
        timeout: float = 5,
        debug: io.StringIO | None = None,
    ) -> V01Secrets:
        """The v0.1 form's operations over a client that sends everything to this server."""
        transport = httpx.MockTransport(self)
        return V01Secrets(
            LegerClient(base_url, timeout=timeout, token=token, debug=debug, transport=transport)
        )


def answering(status: int, body: Any = None, **kwargs: Any) -> MockServer:
    """A server that always answers ``status`` with a JSON ``body`` (or raw ``content``)."""
    return MockServer(lambda request: answer(status, body, **kwargs))


def failing(exc: type[httpx.TransportError], text: str) -> MockServer:
    """A server whose connection always fails with ``exc``."""

    def respond(request: httpx.Request) -> httpx.Response:
        raise exc(text, request=request)

    return MockServer(respond)


def answer(status: int, body: object = None, **kwargs: Any) -> httpx.Response:
    """A response of ``status`` with ``body`` as JSON (or ``content=`` raw bytes)."""
    if body is not None:
        kwargs["json"] = body
    return httpx.Response(status, **kwargs)


def shown(error: LegerError) -> str:
    """Everything of ``error`` a user sees: its message and its hint."""
    return f"{error.message}\n{error.hint or ''}"
