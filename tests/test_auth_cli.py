"""``leger auth login | status | logout`` and the require-auth step, run as a user would."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import time
from datetime import UTC, datetime, timedelta

import pytest

from devtools.processes import free_port
from tests.support.canned import canned_server

PRISM_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI1NTBlODQwMCJ9.c2lnbmF0dXJl"
AUTH_OK = {
    "success": True,
    "data": {
        "token": "server-token-abc",
        "token_type": "Bearer",
        "expires_in": 2592000,
        "user_uuid": "550e8400-e29b-41d4-a716-446655440000",
        "user": {"tailscale_email": "alice@example.com", "display_name": None},
    },
}
LIST_OK = {"success": True, "data": {"secrets": [], "total_count": 0}}


def closed_port_url() -> str:
    """A loopback URL nothing listens on: any request would fail to connect."""
    return f"http://127.0.0.1:{free_port()}"


def write_login(cli, *, expires_at: str, token: str = "stored-token") -> None:
    cli.config_dir.mkdir(parents=True, exist_ok=True)
    cli.auth_file.write_text(
        json.dumps(
            {
                "token": token,
                "token_type": "Bearer",
                "expires_at": expires_at,
                "user_uuid": "550e8400-e29b-41d4-a716-446655440000",
                "user_email": "alice@example.com",
            }
        )
    )
    os.chmod(cli.auth_file, 0o600)


def future(days: int = 10) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def past() -> str:
    return (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- login ------------------------------------------------------------------


def test_login_against_the_contract_mock_stores_a_private_token(cli, prism_mock):
    result = cli.use_api(prism_mock.url).run("auth", "login")
    assert result.returncode == 0, result.stderr
    lines = result.out.splitlines()
    assert lines[0] == "Authenticated as alice@example.com"
    assert lines[1] == "  User UUID: 550e8400-e29b-41d4-a716-446655440000"
    assert lines[2] == "  Tailnet: alice@example.com"
    assert lines[3].startswith("  Token expires: 20")
    assert PRISM_TOKEN not in result.out + result.stderr
    assert stat.S_IMODE(cli.config_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(cli.auth_file.stat().st_mode) == 0o600
    stored = json.loads(cli.auth_file.read_text())
    assert stored["token"] == PRISM_TOKEN
    assert stored["user_email"] == "alice@example.com"
    expires = datetime.fromisoformat(stored["expires_at"])
    assert abs(expires - (datetime.now(UTC) + timedelta(days=30))) < timedelta(minutes=5)


def test_login_sends_the_identity_exactly(cli):
    with canned_server() as server:
        server.respond_json(200, AUTH_OK)
        result = cli.use_api(server.url).run("auth", "login")
    assert result.returncode == 0, result.stderr
    [request] = server.requests
    assert (request.method, request.path) == ("POST", "/auth/cli")
    assert request.headers["User-Agent"] == "leger-cli/0.1.0"
    assert "Authorization" not in request.headers
    body = json.loads(request.body)
    assert body == {
        "tailscale": {
            "user_id": "6251389104827233",
            "login_name": "alice@example.com",
            "device_id": "nQ5bT3kWq811CNTRL",
            "device_hostname": "alice-laptop",
            "tailnet": "alice@example.com",
        },
        "cli_version": "0.1.0",
    }


def test_login_with_a_path_prefix_in_the_api_url(cli):
    with canned_server() as server:
        server.respond_json(200, AUTH_OK)
        result = cli.use_api(server.url).run(
            "auth", "login", env={"LEGER_API_URL": server.url + "/api/"}
        )
    assert result.returncode == 0, result.stderr
    assert [r.path for r in server.requests] == ["/api/auth/cli"]


@pytest.mark.parametrize(
    ("mode", "message", "hint"),
    [
        ("missing", "not installed", "https://tailscale.com/download"),
        ("daemon-down", "failed to connect to local tailscaled", "sudo tailscale up"),
        ("needs-login", "not logged in", "sudo tailscale up"),
        ("stopped", "Tailscale is stopped", "sudo tailscale up"),
        ("raw:this is not json", "not JSON", "tailscale status"),
        ('raw:{"BackendState": "Running"}', "Self is missing", "tailscale status"),
        ('raw:{"BackendState": "NeedsMachineAuth"}', "approval", "admin"),
        ('raw:{"BackendState": "Starting"}', "starting", "try again"),
    ],
)
def test_login_explains_each_tailscale_failure_and_sends_nothing(cli, mode, message, hint):
    cli.tailscale(mode)
    with canned_server() as server:
        server.respond_json(200, AUTH_OK)
        result = cli.use_api(server.url).run("auth", "login")
    assert result.returncode == 1
    assert message in result.stderr
    assert hint in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == b""
    assert server.requests == []
    assert not cli.auth_file.exists()


def test_login_does_not_wait_forever_for_a_wedged_tailscale(cli):
    cli.tailscale("hang")
    started = time.monotonic()
    result = cli.use_api(closed_port_url()).run("auth", "login", env={"LEGER_TIMEOUT": "1"})
    assert time.monotonic() - started < 10
    assert result.returncode == 1
    assert "did not answer within 1 s" in result.stderr


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("account_not_linked", "Tailscale account not linked to leger.run"),
        ("tailscale_verification_failed", "could not verify this device"),
        ("insufficient_permissions", "authentication failed"),
    ],
)
def test_login_refused_by_the_server(cli, code, message):
    with canned_server() as server:
        server.respond_json(403, {"success": False, "error": {"code": code, "message": "no"}})
        result = cli.use_api(server.url).run("auth", "login")
    assert result.returncode == 1
    assert message in result.stderr
    assert not cli.auth_file.exists()


def test_two_logins_at_once_leave_one_valid_file(cli, prism_mock):
    cli.use_api(prism_mock.url)
    procs = [
        subprocess.Popen(
            [str(cli.executable), "auth", "login"], env=cli.env, stdout=subprocess.PIPE
        )
        for _ in range(4)
    ]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0, 0]
    for proc in procs:
        proc.stdout.close()
    assert json.loads(cli.auth_file.read_text())["token"] == PRISM_TOKEN
    assert sorted(p.name for p in cli.config_dir.iterdir()) == ["auth.json"]


# --- status -----------------------------------------------------------------


def test_status_when_not_authenticated_exits_4(cli):
    result = cli.run("auth", "status")
    assert result.returncode == 4
    assert result.out == "Not authenticated\n\nAuthenticate with: leger auth login\n"


def test_status_when_authenticated(cli):
    expires = future()
    write_login(cli, expires_at=expires)
    result = cli.run("auth", "status")
    assert result.returncode == 0, result.stderr
    assert result.out.splitlines() == [
        "Authenticated",
        "  User: alice@example.com",
        "  UUID: 550e8400-e29b-41d4-a716-446655440000",
        f"  Expires: {expires}",
        f"  Source: {cli.auth_file}",
    ]
    assert "stored-token" not in result.out + result.stderr


def test_status_when_expired_exits_4(cli):
    write_login(cli, expires_at=past())
    result = cli.run("auth", "status")
    assert result.returncode == 4
    assert result.out.startswith("Token expired\n\nRe-authenticate with: leger auth login\n")


@pytest.mark.parametrize("content", ["", "{", '{"token": "t"}', "[]"])
def test_status_with_a_broken_file_is_not_authenticated(cli, content):
    cli.config_dir.mkdir(parents=True)
    cli.auth_file.write_text(content)
    os.chmod(cli.auth_file, 0o600)
    result = cli.run("auth", "status")
    assert result.returncode == 4
    assert result.out.startswith("Not authenticated")
    assert "Traceback" not in result.stderr


def test_status_json_fields(cli):
    expires = future()
    write_login(cli, expires_at=expires)
    ok = cli.run("auth", "status", "--json")
    assert ok.returncode == 0
    assert json.loads(ok.stdout) == {
        "authenticated": True,
        "expired": False,
        "source": "file",
        "user_email": "alice@example.com",
        "user_uuid": "550e8400-e29b-41d4-a716-446655440000",
        "expires_at": expires,
    }
    write_login(cli, expires_at=past())
    expired = cli.run("auth", "status", "--json")
    assert expired.returncode == 4
    assert json.loads(expired.stdout)["expired"] is True
    assert json.loads(expired.stdout)["authenticated"] is False
    cli.auth_file.unlink()
    nothing = cli.run("auth", "status", "--json")
    assert nothing.returncode == 4
    assert json.loads(nothing.stdout) == {
        "authenticated": False,
        "expired": False,
        "source": None,
        "user_email": None,
        "user_uuid": None,
        "expires_at": None,
    }


def test_status_with_leger_token_says_env_and_never_prints_it(cli):
    write_login(cli, expires_at=past())
    env = {"LEGER_TOKEN": "env-token-xyz"}
    text = cli.run("auth", "status", env=env)
    assert text.returncode == 0
    assert "LEGER_TOKEN" in text.out
    as_json = cli.run("auth", "status", "--json", env=env)
    assert json.loads(as_json.stdout)["source"] == "env"
    assert json.loads(as_json.stdout)["authenticated"] is True
    assert "env-token-xyz" not in text.out + text.stderr + as_json.out + as_json.stderr


# --- logout -----------------------------------------------------------------


def test_logout_removes_the_token_and_is_idempotent(cli):
    write_login(cli, expires_at=future())
    first = cli.run("auth", "logout")
    assert first.returncode == 0
    assert first.out == "Logged out\n"
    assert not cli.auth_file.exists()
    second = cli.run("auth", "logout")
    assert second.returncode == 0
    assert cli.run("auth", "status").out.startswith("Not authenticated")


def test_logout_warns_when_leger_token_is_still_set(cli):
    result = cli.run("auth", "logout", env={"LEGER_TOKEN": "env-token-xyz"})
    assert result.returncode == 0
    assert "LEGER_TOKEN is still set" in result.stderr
    assert "env-token-xyz" not in result.stderr + result.out


# --- require auth -----------------------------------------------------------

SECRET_COMMANDS = [
    ("secrets", "list"),
    ("secrets", "get", "k"),
    ("secrets", "set", "k", "v"),
    ("secrets", "delete", "k", "--force"),
]


@pytest.mark.parametrize("argv", SECRET_COMMANDS)
def test_no_token_means_exit_4_with_the_login_hint(cli, argv):
    result = cli.use_api(closed_port_url()).run(*argv)
    assert result.returncode == 4
    assert "Not authenticated" in result.stderr
    assert "leger auth login" in result.stderr
    assert result.stdout == b""


@pytest.mark.parametrize("argv", SECRET_COMMANDS)
def test_expired_token_is_refused_before_any_request(cli, argv):
    write_login(cli, expires_at=past())
    with canned_server() as server:
        server.respond_json(200, LIST_OK)
        result = cli.use_api(server.url).run(*argv)
    assert result.returncode == 4
    assert "Token expired" in result.stderr
    assert "Re-authenticate with: leger auth login" in result.stderr
    assert server.requests == []


@pytest.mark.parametrize("argv", SECRET_COMMANDS)
def test_token_rejected_by_the_server_is_exit_4(cli, argv):
    write_login(cli, expires_at=future(), token="revoked-token")
    with canned_server() as server:
        server.respond_json(
            401, {"success": False, "error": {"code": "invalid_token", "message": "expired"}}
        )
        result = cli.use_api(server.url).run(*argv)
    assert result.returncode == 4
    assert "rejected the token" in result.stderr
    assert "leger auth login" in result.stderr
    assert server.requests[0].headers["Authorization"] == "Bearer revoked-token"
    assert "revoked-token" not in result.stderr + result.out


def test_leger_token_is_used_instead_of_the_file(cli):
    write_login(cli, expires_at=past(), token="file-token")
    with canned_server() as server:
        server.respond_json(200, LIST_OK)
        result = cli.use_api(server.url).run("secrets", "list", env={"LEGER_TOKEN": "env-tok"})
    assert result.returncode == 0, result.stderr
    assert server.requests[0].headers["Authorization"] == "Bearer env-tok"


def test_rejected_leger_token_points_at_the_variable(cli):
    with canned_server() as server:
        server.respond_json(
            401, {"success": False, "error": {"code": "invalid_token", "message": "x"}}
        )
        result = cli.use_api(server.url).run("secrets", "list", env={"LEGER_TOKEN": "env-tok"})
    assert result.returncode == 4
    assert "LEGER_TOKEN" in result.stderr
    assert "env-tok" not in result.stderr


# --- the shell ----------------------------------------------------------------


def test_version(cli):
    result = cli.run("--version")
    assert (result.returncode, result.out) == (0, "leger 0.1.0\n")


@pytest.mark.parametrize(
    "argv", [(), ("--help",), ("auth",), ("secrets", "--help"), ("auth", "login", "-h")]
)
def test_help_exits_0_and_shows_the_docstrings(cli, argv):
    result = cli.run(*argv)
    assert result.returncode == 0
    assert "leger" in result.out
    assert "Traceback" not in result.stderr


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
def test_usage_errors_exit_2_without_a_traceback(cli, argv):
    result = cli.run(*argv)
    assert result.returncode == 2
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("timeout", ["abc", "0", "-1", "nan", "inf"])
def test_bad_leger_timeout_is_a_usage_error(cli, timeout):
    result = cli.run("auth", "status", env={"LEGER_TIMEOUT": timeout})
    assert result.returncode == 2
    assert "LEGER_TIMEOUT" in result.stderr


def test_plain_http_to_a_remote_host_is_refused_before_connecting(cli):
    write_login(cli, expires_at=future())
    result = cli.run("secrets", "list", env={"LEGER_API_URL": "http://api.leger.run"})
    assert result.returncode == 2
    assert "HTTPS is required" in result.stderr


@pytest.mark.parametrize("expires_in", [-5, 0, 10**12])
def test_login_refuses_an_unusable_token_lifetime(cli, expires_in):
    body = json.loads(json.dumps(AUTH_OK))
    body["data"]["expires_in"] = expires_in
    with canned_server() as server:
        server.respond_json(200, body)
        result = cli.use_api(server.url).run("auth", "login")
    assert result.returncode == 1
    assert "unusable token lifetime" in result.stderr
    assert "Traceback" not in result.stderr
    assert not cli.auth_file.exists()


def test_login_and_status_do_not_pass_escape_sequences_from_the_server(cli):
    body = json.loads(json.dumps(AUTH_OK))
    body["data"]["user"]["tailscale_email"] = "alice\x1b[2J@example.com"
    with canned_server() as server:
        server.respond_json(200, body)
        login = cli.use_api(server.url).run("auth", "login")
    status = cli.run("auth", "status")
    assert login.returncode == status.returncode == 0
    assert b"\x1b" not in login.stdout + status.stdout
    assert "alice?[2J@example.com" in status.out


@pytest.mark.parametrize("token", ["tok\nen", "tök", "tok\x7f"])
def test_an_unsendable_leger_token_is_a_usage_error_that_does_not_quote_it(cli, token):
    result = cli.run("secrets", "list", env={"LEGER_TOKEN": token})
    assert result.returncode == 2
    assert "LEGER_TOKEN cannot be sent" in result.stderr
    assert token not in result.stderr
