"""An httpmock-style registry for in-process tests, used as ``httpx.MockTransport``.

Like gh's ``httpmock.Registry``: a test registers method + path -> response,
every request is recorded, a request nothing matches fails the test (the
command gets an error at once, and ``verify`` reports it), and ``verify`` also
fails when a registered stub was never used.

``Server`` on top of it speaks one route form (tests/support/wire.py), so a test
says what the server holds or answers, not which path that is.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.support import wire

Responder = Callable[[httpx.Request], httpx.Response]

# A test run once on each route form, as ``form`` (ids ``v0.1`` and ``rest``).
each_form = pytest.mark.parametrize("form", wire.FORMS, ids=[form.name for form in wire.FORMS])


@dataclass
class Stub:
    """One registered answer; ``times`` None means any number of times."""

    method: str
    path: str
    respond: Responder
    times: int | None = 1
    used: int = 0

    def matches(self, request: httpx.Request) -> bool:
        left = self.times is None or self.used < self.times
        return left and request.method == self.method and _path(request) == self.path


@dataclass
class Registry:
    """Registered stubs and every request received, in order.

    ``absent`` are routes the server does not have, answered whenever asked
    (after the stubs) and never reported unused: what a v0.1 server answers
    leger's route-form probe, which leger sends before its first v0.1 set.
    """

    stubs: list[Stub] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    absent: dict[tuple[str, str], Responder] = field(default_factory=dict)

    def register(
        self, method: str, path: str, respond: Responder, *, times: int | None = 1
    ) -> None:
        """Answer ``method path`` with ``respond(request)``, ``times`` times (None: always)."""
        self.stubs.append(Stub(method, path, respond, times))

    def transport(self) -> httpx.MockTransport:
        """An httpx transport that answers from this registry."""
        return httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        for stub in self.stubs:
            if stub.matches(request):
                stub.used += 1
                return stub.respond(request)
        if (respond := self.absent.get((request.method, _path(request)))) is not None:
            return respond(request)
        self.unmatched.append(f"{request.method} {_path(request)}")
        raise AssertionError(f"no stub for {request.method} {_path(request)}")

    def verify(self) -> None:
        """Fail on a request nothing matched or a stub that was never used."""
        assert not self.unmatched, f"requests without a stub: {self.unmatched}"
        unused = [f"{s.method} {s.path}" for s in self.stubs if s.used == 0]
        assert not unused, f"stubs never used: {unused}"

    def sent(self) -> list[tuple[str, str]]:
        """(method, path) of every request, in order."""
        return [(r.method, _path(r)) for r in self.requests]

    def operations(self) -> list[httpx.Request]:
        """Every request but those to ``absent`` routes (a v0.1 server's probes), in order."""
        return [r for r in self.requests if (r.method, _path(r)) not in self.absent]


def respond_json(status: int, payload: Any, headers: dict[str, str] | None = None) -> Responder:
    """Always answer ``status`` with ``payload`` as JSON."""
    return respond_raw(status, json.dumps(payload).encode(), "application/json", headers)


def respond_raw(
    status: int,
    body: bytes,
    content_type: str | None = "application/json",
    headers: dict[str, str] | None = None,
) -> Responder:
    """Always answer ``status`` with ``body`` as it is."""
    all_headers = {**({"Content-Type": content_type} if content_type else {}), **(headers or {})}
    return lambda _request: httpx.Response(status, content=body, headers=all_headers)


def fail_with(exception: Exception) -> Responder:
    """Raise ``exception`` (e.g. httpx.ConnectError) instead of answering."""

    def respond(_request: httpx.Request) -> httpx.Response:
        raise exception

    return respond


def json_body(request: httpx.Request) -> Any:
    """The JSON body ``request`` carried."""
    return json.loads(request.content)


def _path(request: httpx.Request) -> str:
    return request.url.raw_path.decode("ascii").split("?", 1)[0]


class Server:
    """A leger.run that speaks ``form``, described by what it holds and answers."""

    def __init__(self, registry: Registry, form: wire.Form = wire.V01) -> None:
        self.registry = registry
        self.form = form
        # A v0.1 server has no route GET /secrets: it says so to any probe.
        registry.absent = (
            {form.probe: respond_json(*form.probe_answer())} if form is wire.V01 else {}
        )

    def _answer(self, route: wire.Route, answer: tuple[int, Any], times: int | None = 1) -> None:
        status, payload = answer
        self.registry.register(*route, respond_json(status, payload), times=times)

    def answers_probe(self) -> None:
        """Answer the route-form probe the way this form does."""
        self._answer(self.form.probe, self.form.probe_answer())

    def logs_in(self, token: str = "server-token-abc", **kwargs: Any) -> None:
        """Accept the next login and hand out ``token``."""
        self._answer(self.form.login, wire.login_answer(token, **kwargs))

    def has_secret(self, name: str, value: str, version: int = 1) -> None:
        """Answer a get of ``name`` with ``value``."""
        self._answer(self.form.get(name), self.form.get_answer(name, value, version))

    def lists(self, *rows: dict[str, Any]) -> None:
        """Answer a list with ``rows`` (metadata)."""
        self._answer(self.form.list, self.form.list_answer(list(rows)))

    def holds(self, secrets: dict[str, str]) -> None:
        """Answer one fetch of every value, as this form serves it: REST lists them with their
        values in one answer; v0.1 lists the names, then answers a get of each."""
        if self.form.name == "rest":
            self.lists_values(secrets)
            return
        self.lists(*(wire.row(name) for name in secrets))
        for name, value in secrets.items():
            self.has_secret(name, value)

    def lists_values(self, values: dict[str, str]) -> None:
        """Answer REST's ``GET /secrets?include_values=true`` with ``values`` (name -> value)."""
        rows = [self.form.value_row(name, value) for name, value in values.items()]
        self._answer(self.form.list, self.form.list_answer(rows))

    def stores(self, name: str, *, created: bool = True, version: int = 1, **kwargs: Any) -> None:
        """Accept a set of ``name``."""
        answer = self.form.set_answer(name, created=created, version=version, **kwargs)
        self._answer(self.form.set(name), answer)

    def deletes(self, name: str, **kwargs: Any) -> None:
        """Accept a delete of ``name``."""
        self._answer(self.form.delete(name), self.form.delete_answer(name, **kwargs))

    def lacks(self, name: str, operation: str = "get") -> None:
        """Answer ``operation`` ("get" or "delete") of ``name`` with not-found."""
        route = self.form.get(name) if operation == "get" else self.form.delete(name)
        self._answer(route, self.form.not_found(name))

    def rejects_token(self, operation: wire.Route) -> None:
        """Answer ``operation`` with 401: the token is not (or no longer) valid."""
        self._answer(operation, self.form.invalid_token())

    def answers(
        self,
        route: wire.Route,
        status: int,
        payload: Any,
        headers: dict[str, str] | None = None,
        times: int | None = 1,
    ) -> None:
        """Answer ``route`` with any JSON (an error envelope, a malformed body)."""
        self.registry.register(*route, respond_json(status, payload, headers), times=times)

    def answers_raw(
        self,
        route: wire.Route,
        status: int,
        body: bytes,
        content_type: str | None = "application/json",
        times: int | None = 1,
    ) -> None:
        """Answer ``route`` with exactly ``body``."""
        self.registry.register(*route, respond_raw(status, body, content_type), times=times)

    def route_of(self, command: str, name: str = "k") -> wire.Route:
        """The route ``secrets COMMAND`` uses: "list", "get", "set" or "delete"."""
        if command == "list":
            return self.form.list
        route: wire.Route = getattr(self.form, command)(name)
        return route
