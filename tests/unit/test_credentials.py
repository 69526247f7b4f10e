"""A login belongs to one server, and remembers which route form that server speaks.

The one login-validity rule (leger/credentials.py), seen through the commands'
run functions: they run on ``IOStreams.test()`` buffers and an
``httpx.MockTransport`` that records every request, so a test can prove that a
stored token is never sent to another server, and what login records.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from devtools.login_file import login_text, write_login
from leger.commands.auth_login import login
from leger.commands.auth_status import status as auth_status
from leger.commands.secrets_delete import delete_secret
from leger.commands.secrets_get import get_secret
from leger.commands.secrets_list import list_secrets
from leger.commands.secrets_set import set_secret
from leger.context import Context
from leger.errors import AuthRequired, Exit, ServerError
from leger.iostreams import IOStreams
from leger.settings import Settings
from tests.support.wire import IDENTITY

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
HOME = "https://api.leger.run"
OTHER = "https://leger.example.org/api"
LIST_V01 = {"success": True, "data": {"secrets": [], "total_count": 0}}
LIST_REST = {"success": True, "data": {"secrets": []}}
LOGIN = {
    "success": True,
    "data": {
        "token": "t0ken-BIND-1234",
        "token_type": "Bearer",
        "expires_in": 2592000,
        "user_uuid": "550e8400-e29b-41d4-a716-446655440000",
        "user": {"tailscale_email": "alice@example.com", "display_name": None},
    },
}


NOT_A_ROUTE = {"success": False, "error": {"code": "not_found", "message": "no such route"}}


class Server:
    """Answers by (method, path); records every request."""

    def __init__(self, answers: dict[tuple[str, str], tuple[int, dict]]) -> None:
        self.answers = answers
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        status, body = self.answers.get((request.method, request.url.path), (404, NOT_A_ROUTE))
        return httpx.Response(status, json=body)

    def paths(self) -> list[str]:
        return [f"{r.method} {r.url.host}{r.url.path}" for r in self.requests]


def make_context(tmp_path: Path, server: Server, **env: str) -> tuple[Context, IOStreams]:
    io, _, _, _ = IOStreams.test()
    settings = Settings.from_env(
        {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"), **env}
    )
    ctx = Context(
        io=io,
        settings=settings,
        now=lambda: NOW,
        transport=httpx.MockTransport(server),
        tailscale=lambda timeout: IDENTITY,
    )
    return ctx, io


def store(tmp_path: Path, *, api_url: str | None = None, api_routes: str | None = None) -> Path:
    """Write an auth.json as leger (or an older leger, without api_url) would."""
    expires_at = (NOW + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = login_text(
        "t0ken-STORED-5678", api_url=api_url, api_routes=api_routes, expires_at=expires_at
    )
    return write_login(tmp_path / "config" / "leger", text)


def stdout_of(io: IOStreams) -> str:
    return io.stdout.getvalue().decode()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("server_speaks", "probe_answer"), [("rest", (200, LIST_REST)), ("v0.1", None)]
)
def test_login_records_the_server_and_its_route_form(tmp_path, server_speaks, probe_answer):
    answers = {("POST", "/auth/cli"): (200, LOGIN)}
    if probe_answer is not None:
        answers[("GET", "/secrets")] = probe_answer
    server = Server(answers)
    ctx, io = make_context(tmp_path, server)
    login(ctx)
    stored = ctx.token_store().load()
    assert stored is not None
    assert (stored.api_url, stored.api_routes) == (HOME, server_speaks)
    # The probe is one GET /secrets with the new token; nothing else is sent.
    assert server.paths() == ["POST api.leger.run/auth/cli", "GET api.leger.run/secrets"]
    assert server.requests[1].headers["authorization"] == "Bearer t0ken-BIND-1234"
    assert f"Server: {HOME} ({'REST' if server_speaks == 'rest' else 'v0.1'} routes)" in stdout_of(
        io
    )


def test_login_with_leger_api_routes_skips_the_probe(tmp_path):
    server = Server({("POST", "/auth/cli"): (200, LOGIN)})
    ctx, _ = make_context(tmp_path, server, LEGER_API_ROUTES="rest")
    login(ctx)
    assert ctx.token_store().load().api_routes == "rest"  # type: ignore[union-attr]
    assert server.paths() == ["POST api.leger.run/auth/cli"]


def test_a_probe_that_is_neither_form_fails_the_login_and_saves_nothing(tmp_path):
    server = Server({("POST", "/auth/cli"): (200, LOGIN), ("GET", "/secrets"): (500, NOT_A_ROUTE)})
    ctx, _ = make_context(tmp_path, server)
    with pytest.raises(ServerError, match=r"leger\.run failed"):
        login(ctx)
    assert ctx.token_store().load() is None


@pytest.mark.parametrize("command", ["list", "get", "set", "delete"])
def test_a_stored_token_is_never_sent_to_another_server(tmp_path, command):
    store(tmp_path, api_url=HOME, api_routes="v0.1")
    server = Server({})
    ctx, _ = make_context(tmp_path, server, LEGER_API_URL=OTHER)
    run = {
        "list": lambda: list_secrets(ctx, json=False),
        "get": lambda: get_secret(ctx, "k"),
        "set": lambda: set_secret(ctx, "k", "v4lue"),
        "delete": lambda: delete_secret(ctx, "k", force=True),
    }[command]
    with pytest.raises(AuthRequired) as info:
        run()
    assert info.value.message == f"Not logged in to {OTHER}"
    assert "leger auth login" in (info.value.hint or "")
    assert info.value.exit_code == 4
    assert server.requests == []


def test_a_login_saved_before_logins_were_bound_counts_for_the_default_server_only(tmp_path):
    store(tmp_path)  # no api_url, no api_routes
    elsewhere = Server({})
    ctx, _ = make_context(tmp_path, elsewhere, LEGER_API_URL=OTHER)
    with pytest.raises(AuthRequired, match="Not logged in to"):
        list_secrets(ctx, json=False)
    assert elsewhere.requests == []
    # At the default URL it works, and the form (unknown) is probed first.
    home = Server({("GET", "/secrets/list"): (200, LIST_V01)})
    ctx, io = make_context(tmp_path, home)
    list_secrets(ctx, json=False)
    assert home.paths() == ["GET api.leger.run/secrets", "GET api.leger.run/secrets/list"]
    assert "No secrets configured" in stdout_of(io)


def test_a_stored_route_form_means_no_probe(tmp_path):
    store(tmp_path, api_url=HOME, api_routes="rest")
    server = Server({("GET", "/secrets"): (200, LIST_REST)})
    ctx, _ = make_context(tmp_path, server)
    list_secrets(ctx, json=False)
    assert server.paths() == ["GET api.leger.run/secrets"]


def test_leger_token_probes_once_per_process(tmp_path):
    server = Server({("GET", "/secrets"): (200, LIST_REST)})
    ctx, _ = make_context(tmp_path, server, LEGER_TOKEN="t0ken-ENV-0000")
    list_secrets(ctx, json=True)
    assert server.paths() == ["GET api.leger.run/secrets", "GET api.leger.run/secrets"]


@pytest.mark.parametrize("routes", ["rest", "v0.1"])
def test_status_json_names_the_server_and_form(tmp_path, routes):
    store(tmp_path, api_url=HOME, api_routes=routes)
    ctx, io = make_context(tmp_path, Server({}))
    auth_status(ctx, json=True)
    status = json.loads(stdout_of(io))
    assert status["authenticated"] is True
    assert (status["api_url"], status["api_routes"]) == (HOME, routes)


def test_status_at_another_server_is_not_authenticated(tmp_path):
    store(tmp_path, api_url=HOME, api_routes="rest")
    ctx, io = make_context(tmp_path, Server({}), LEGER_API_URL=OTHER)
    with pytest.raises(Exit) as info:
        auth_status(ctx, json=False)
    assert info.value.exit_code == 4
    assert stdout_of(io).startswith(f"Not logged in to {OTHER}\n  Your login is for {HOME}\n")
