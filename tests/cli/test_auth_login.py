"""``leger auth login``: what it sends, stores and prints, and what it refuses.

Whole command lines in-process (the ``leger`` fixture,
tests/support/inprocess.py): the fixture injects the Tailscale identity (that of
tests/data/tailscale/running.json), a mock leger.run and a clock. Reading the
real ``tailscale`` and what only a process shows is in
tests/process/test_auth_login.py.
"""

from __future__ import annotations

import json
import stat
from datetime import datetime, timedelta

import pytest

from leger import __version__
from tests.support import wire
from tests.support.clock import NOW
from tests.support.httpmock import json_body


def test_login_against_the_contract_mock_stores_a_private_token(leger, prism_mock):
    result = leger.use_api(prism_mock.url).run("auth", "login", now=lambda: NOW)
    assert result.exit_code == 0, result.stderr
    assert result.out.splitlines() == [
        "Authenticated as alice@example.com",
        "  User UUID: 550e8400-e29b-41d4-a716-446655440000",
        "  Tailnet: alice@example.com",
        "  Token expires: 2026-12-28T10:00:00Z",
        f"  Server: {prism_mock.url} (v0.1 routes)",
    ]
    stored = json.loads(leger.auth_file.read_text())
    assert (stored["api_url"], stored["api_routes"]) == (prism_mock.url, "v0.1")
    assert stored["token"] == leger.secret(wire.EXAMPLE_TOKEN)  # stored, never printed
    assert stat.S_IMODE(leger.config_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(leger.auth_file.stat().st_mode) == 0o600
    assert stored["user_email"] == "alice@example.com"
    assert datetime.fromisoformat(stored["expires_at"]) == NOW + timedelta(days=30)


def test_login_sends_the_identity_exactly(leger):
    leger.server.logs_in()
    result = leger.run("auth", "login")
    assert result.exit_code == 0, result.stderr
    [request] = leger.registry.requests
    assert (request.method, request.url.path) == wire.V01.login
    assert request.headers["User-Agent"] == f"leger-cli/{__version__}"
    assert "Authorization" not in request.headers
    assert json_body(request) == {**wire.login_request(), "cli_version": __version__}
    assert leger.identity_reads == 1


def test_login_with_a_path_prefix_in_the_api_url(leger):
    method, path = wire.V01.login
    leger.server.answers((method, "/api" + path), *wire.login_answer())
    result = leger.run("auth", "login", env={"LEGER_API_URL": "http://127.0.0.1:8787/api/"})
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("account_not_linked", "Tailscale account not linked to leger.run"),
        ("tailscale_verification_failed", "could not verify this device"),
        ("insufficient_permissions", "authentication failed"),
    ],
)
def test_login_refused_by_the_server(leger, code, message):
    leger.server.answers(wire.V01.login, 403, wire.error(code, "no"))
    result = leger.run("auth", "login")
    assert result.exit_code == 1
    assert message in result.stderr
    assert not leger.auth_file.exists()


@pytest.mark.parametrize("expires_in", [-5, 0, 10**12])
def test_login_refuses_an_unusable_token_lifetime(leger, expires_in):
    leger.server.logs_in(expires_in=expires_in)
    result = leger.run("auth", "login")
    assert result.exit_code == 1
    assert "unusable token lifetime" in result.stderr
    assert "Traceback" not in result.stderr
    assert not leger.auth_file.exists()


def test_login_and_status_do_not_pass_escape_sequences_from_the_server(leger):
    status, body = wire.login_answer()
    body["data"]["user"]["tailscale_email"] = "alice\x1b[2J@example.com"
    leger.server.answers(wire.V01.login, status, body)
    login = leger.run("auth", "login")
    state = leger.run("auth", "status")
    assert login.exit_code == state.exit_code == 0
    assert b"\x1b" not in login.stdout + state.stdout
    assert "alice?[2J@example.com" in state.out
