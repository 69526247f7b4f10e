"""``leger auth login | status | logout`` and the require-auth step, run in-process.

The ``leger`` fixture injects the Tailscale identity (that of
tests/data/tailscale/running.json), a mock leger.run and a clock; reading the
real ``tailscale`` and everything else only a process shows is in
tests/test_auth_process.py.
"""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta

import pytest

from leger import __version__
from leger.errors import ExitCode, UsageError
from leger.settings import Settings
from leger.times import rfc3339_seconds
from tests.support import wire
from tests.support.httpmock import json_body

NOW = datetime(2026, 11, 28, 10, 0, 0, tzinfo=UTC)


def future(days: int = 10) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def past() -> str:
    return (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- login ------------------------------------------------------------------


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


# --- status -----------------------------------------------------------------


def test_status_when_not_authenticated_exits_4(leger):
    result = leger.run("auth", "status")
    assert result.exit_code == 4
    assert result.out == "Not authenticated\n\nAuthenticate with: leger auth login\n"


def test_status_when_authenticated(leger):
    expires = future()
    leger.logged_in(expires_at=expires)
    result = leger.run("auth", "status")
    assert result.exit_code == 0, result.stderr
    assert result.out.splitlines() == [
        "Authenticated",
        "  User: alice@example.com",
        "  UUID: 550e8400-e29b-41d4-a716-446655440000",
        f"  Expires: {expires}",
        f"  Source: {leger.auth_file}",
        "  Server: http://127.0.0.1:8787 (v0.1 routes)",
    ]
    assert "stored-token" not in result.out + result.stderr


def test_status_when_expired_exits_4(leger):
    leger.logged_in(expires_at=past())
    result = leger.run("auth", "status")
    assert result.exit_code == 4
    assert result.out.startswith("Token expired\n\nRe-authenticate with: leger auth login\n")


@pytest.mark.parametrize("content", ["", "{", '{"token": "t"}', "[]"])
def test_status_with_a_broken_file_is_not_authenticated(leger, content):
    leger.config_dir.mkdir(parents=True)
    leger.auth_file.write_text(content)
    leger.auth_file.chmod(0o600)
    result = leger.run("auth", "status")
    assert result.exit_code == 4
    assert result.out.startswith("Not authenticated")
    assert "Traceback" not in result.stderr


def test_status_json_fields(leger):
    expires = future()
    leger.logged_in(expires_at=expires)
    ok = leger.run("auth", "status", "--json")
    assert ok.exit_code == 0
    assert json.loads(ok.stdout) == {
        "authenticated": True,
        "expired": False,
        "source": "file",
        "user_email": "alice@example.com",
        "user_uuid": "550e8400-e29b-41d4-a716-446655440000",
        "expires_at": expires,
        "api_url": "http://127.0.0.1:8787",
        "api_routes": "v0.1",
        "login_api_url": "http://127.0.0.1:8787",
    }
    leger.logged_in(expires_at=past())
    expired = leger.run("auth", "status", "--json")
    assert expired.exit_code == 4
    assert json.loads(expired.stdout)["expired"] is True
    assert json.loads(expired.stdout)["authenticated"] is False
    leger.auth_file.unlink()
    nothing = leger.run("auth", "status", "--json")
    assert nothing.exit_code == 4
    assert json.loads(nothing.stdout) == {
        "authenticated": False,
        "expired": False,
        "source": None,
        "user_email": None,
        "user_uuid": None,
        "expires_at": None,
        "api_url": "http://127.0.0.1:8787",
        "api_routes": "v0.1",
        "login_api_url": None,
    }


def test_status_with_leger_token_says_env_and_never_prints_it(leger):
    leger.logged_in(expires_at=past())
    leger.with_token(leger.secret("env-token-xyz"))
    text = leger.run("auth", "status")
    assert text.exit_code == 0
    assert "LEGER_TOKEN" in text.out
    as_json = leger.run("auth", "status", "--json")
    assert json.loads(as_json.stdout)["source"] == "env"
    assert json.loads(as_json.stdout)["authenticated"] is True


# --- logout -----------------------------------------------------------------


def test_logout_removes_the_token_and_is_idempotent(leger):
    leger.logged_in(expires_at=future())
    first = leger.run("auth", "logout")
    assert first.exit_code == 0
    assert first.out == (
        "Logged out\n  leger.run cannot revoke tokens: the removed one stays valid on the "
        f"server until {rfc3339_seconds(datetime.fromisoformat(future()))}.\n"
    )
    assert not leger.auth_file.exists()
    second = leger.run("auth", "logout")
    assert second.exit_code == 0
    assert leger.run("auth", "status").out.startswith("Not authenticated")


def test_logout_warns_when_leger_token_is_still_set(leger):
    leger.with_token(leger.secret("env-token-xyz"))
    result = leger.run("auth", "logout")
    assert result.exit_code == 0
    assert "LEGER_TOKEN is still set" in result.stderr


# --- require auth -----------------------------------------------------------

SECRET_COMMANDS = [
    ("secrets", "list"),
    ("secrets", "get", "k"),
    ("secrets", "set", "k", "v"),
    ("secrets", "delete", "k", "--force"),
]


@pytest.mark.parametrize("argv", SECRET_COMMANDS)
def test_no_token_means_exit_4_with_the_login_hint(leger, argv):
    result = leger.run(*argv)
    assert result.exit_code == 4
    assert "Not authenticated" in result.stderr
    assert "leger auth login" in result.stderr
    assert result.stdout == b""
    assert leger.registry.requests == []


@pytest.mark.parametrize("argv", SECRET_COMMANDS)
def test_expired_token_is_refused_before_any_request(leger, argv):
    leger.logged_in(expires_at=past())
    result = leger.run(*argv)
    assert result.exit_code == 4
    assert "Token expired" in result.stderr
    assert "Re-authenticate with: leger auth login" in result.stderr
    assert leger.registry.requests == []


@pytest.mark.parametrize("argv", SECRET_COMMANDS)
def test_token_rejected_by_the_server_is_exit_4(leger, argv):
    leger.logged_in(expires_at=future(), token=leger.secret("revoked-token"))
    leger.server.rejects_token(leger.server.route_of(argv[1]))
    result = leger.run(*argv)
    assert result.exit_code == 4
    assert "rejected the token" in result.stderr
    assert "leger auth login" in result.stderr
    assert leger.registry.requests[0].headers["Authorization"] == "Bearer revoked-token"


def test_leger_token_is_used_instead_of_the_file(leger):
    leger.logged_in(expires_at=past(), token="file-token")
    leger.with_token("env-tok").server.lists()
    result = leger.run("secrets", "list")
    assert result.exit_code == 0, result.stderr
    assert leger.registry.requests[0].headers["Authorization"] == "Bearer env-tok"


def test_rejected_leger_token_points_at_the_variable(leger):
    leger.with_token(leger.secret("env-tok"))
    leger.server.rejects_token(wire.V01.list)
    result = leger.run("secrets", "list")
    assert result.exit_code == 4
    assert "LEGER_TOKEN" in result.stderr


# --- the command line -----------------------------------------------------------


@pytest.mark.parametrize(
    "argv", [(), ("--help",), ("auth",), ("secrets", "--help"), ("auth", "login", "-h")]
)
def test_help_exits_0_and_shows_the_docstrings(leger, argv):
    result = leger.run(*argv)
    assert result.exit_code == 0
    assert "leger" in result.out
    assert result.stderr == ""


@pytest.mark.parametrize(
    "argv",
    [
        ("frobnicate",),
        ("auth", "frobnicate"),
        ("auth", "status", "--nope"),
        ("auth", "status", "extra"),
        ("secrets", "get"),
        ("secrets", "set", "a", "b", "c"),
    ],
)
def test_usage_errors_exit_2_without_a_traceback(leger, argv):
    result = leger.run(*argv)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr


def test_plain_http_to_a_remote_host_is_refused_before_connecting(leger):
    leger.logged_in(expires_at=future())
    result = leger.run("secrets", "list", env={"LEGER_API_URL": "http://api.leger.run"})
    assert result.exit_code == 2
    assert "HTTPS is required" in result.stderr
    assert leger.registry.requests == []


# --- settings from the environment (the process reports them: test_auth_process.py) ---------


@pytest.mark.parametrize("timeout", ["abc", "0", "-1", "nan", "inf"])
def test_bad_leger_timeout_is_a_usage_error(timeout):
    with pytest.raises(UsageError) as raised:
        Settings.from_env({"LEGER_TIMEOUT": timeout})
    assert raised.value.exit_code == ExitCode.USAGE
    assert "LEGER_TIMEOUT" in raised.value.message


@pytest.mark.parametrize("token", ["tok\nen", "tök", "tok\x7f"])
def test_an_unsendable_leger_token_is_a_usage_error_that_does_not_quote_it(token):
    with pytest.raises(UsageError) as raised:
        Settings.from_env({"LEGER_TOKEN": token})
    assert raised.value.exit_code == ExitCode.USAGE
    assert "LEGER_TOKEN cannot be sent" in raised.value.message
    assert token not in f"{raised.value.message} {raised.value.hint}"
