"""Every command against a server that misbehaves, fails, hangs or redirects, in-process.

For each fault the raw-socket server in tests/support/faulty.py plays, every
command that talks to the API (``secrets list``, ``secrets get``, ``secrets
set``, ``auth login`` with and without a login stored) must:

- exit 1 (the documented code for a server or network failure),
- say what went wrong on stderr in one clear ``Error:`` line (key words asserted),
- never print a traceback, and print nothing on stdout,
- finish within its bound (LEGER_TIMEOUT per attempt, three attempts, slack),
- never show the token or the secret value (a hostile server may echo them),
- leave the token file byte for byte as it was (and not create one on login).

Commands run in-process (tests/support/inprocess.py) over real loopback
sockets: no interpreter start-up to wait for, so the bounds are tight.
Timeouts, redirects, retries and rate limits have their own tests below; the
transport itself is tested in tests/unit/test_api_transport.py.
"""

from __future__ import annotations

import gzip
import json
import stat
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from devtools.login_file import login_text, write_login
from tests.support import faulty as f
from tests.support import wire
from tests.support.inprocess import Leger, Result

TOKEN = "t0ken-F4ULT-7f3a9c1e"
VALUE = "v4lue-F4ULT-e81b2d0c"
TIMEOUT = 2.0  # LEGER_TIMEOUT for the runs here
SHORT = 1.0  # LEGER_TIMEOUT where the fault makes leger wait for it
ATTEMPTS = 3
SLACK = 4.0  # backoff and a busy 2-core machine
# A v0.1 server's answer to the route-form probe leger sends before a v0.1 set.
PROBE_404 = f.json_response(*wire.V01.probe_answer())


def stored_login(api_url: str) -> str:
    """The login file for ``api_url`` (a login belongs to the server it was made with)."""
    return login_text(TOKEN, api_url=api_url)


COMMANDS = {
    "list": ("secrets", "list"),
    "get": ("secrets", "get", "k"),
    "set": ("secrets", "set", "k", VALUE),
    "login": ("auth", "login"),
}


@dataclass(frozen=True)
class Fault:
    """A misbehaving server and the words leger's message must contain."""

    play: f.Fault
    words: tuple[str, ...]
    timeout: float = TIMEOUT


HTML_502 = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
NESTED = b"[" * 100_000 + b"]" * 100_000
FAULTS = {
    "html-502-page": Fault(f.respond(502, HTML_502, "text/html"), ("HTTP 502", "not a leger.run")),
    "empty-500": Fault(f.respond(500, b"", None), ("HTTP 500", "not a leger.run")),
    "truncated-json": Fault(
        f.respond(200, b'{"success": true, "data": {"secr'), ("cannot read", "not valid JSON")
    ),
    # A success envelope of the wrong shape: "cannot read" for login, "routes do not
    # match" for a secret command (the other route form's answer); both name the status.
    "json-of-the-wrong-shape": Fault(
        f.json_response(200, {"success": True, "data": [1, 2, 3]}), ("HTTP 200",)
    ),
    "json-of-the-wrong-types": Fault(
        f.json_response(200, {"success": True, "data": {"name": 7, "value": None, "version": "x"}}),
        ("HTTP 200",),
    ),
    "success-false-with-200": Fault(
        f.json_response(200, {"success": False}), ("cannot read", "not a success envelope")
    ),
    "html-with-200": Fault(
        f.respond(200, b"<html><body>Welcome!</body></html>", "text/html; charset=utf-8"),
        ("cannot read", "text/html instead of JSON"),
    ),
    "deeply-nested-json-200": Fault(f.respond(200, NESTED), ("cannot read", "nested too deeply")),
    "deeply-nested-json-500": Fault(f.respond(500, NESTED), ("HTTP 500",)),
    "lone-surrogate-in-json": Fault(
        f.respond(
            200,
            b'{"success": true, "data": {"name": "k", "value": "\\ud800", "version": 1,'
            b' "token": "\\udfff", "token_type": "Bearer", "expires_in": 60,'
            b' "user_uuid": "550e8400-e29b-41d4-a716-446655440000",'
            b' "user": {"tailscale_email": "\\ud83d", "display_name": null},'
            b' "secrets": [], "total_count": 0, "updated_at": "2025-10-16T15:00:00Z",'
            b' "message": "\\udbff"}}',
        ),
        ("cannot read", "not valid Unicode"),
    ),
    "closed-mid-body": Fault(
        f.truncated(200, b'{"success": true, "data": {', declared=5000), ("peer closed",)
    ),
    "closed-without-an-answer": Fault(f.close_at_once(), ("disconnected",)),
    "reset": Fault(f.reset(), ("failed",)),
    "slower-than-the-timeout": Fault(
        f.slow(SHORT * 3, f.json_response(200, {})), ("within 1 s", "LEGER_TIMEOUT"), SHORT
    ),
    "endless-chunked-body": Fault(f.endless_chunked(), ("within 1 s",), SHORT),
    "body-dripping-a-byte-at-a-time": Fault(f.drip_body(200, every=0.1), ("within 1 s",), SHORT),
    "headers-dripping-forever": Fault(f.drip_headers(every=0.1), ("within 1 s",), SHORT),
    "huge-body-with-length": Fault(
        f.huge_body(40 * 1024 * 1024, declare_length=True), ("more than leger accepts",)
    ),
    "huge-body-chunked": Fault(
        f.huge_body(40 * 1024 * 1024, declare_length=False), ("more than leger accepts",)
    ),
    "gzip-bomb": Fault(
        f.respond(
            200,
            gzip.compress(b" " * (64 * 1024 * 1024)),
            headers=[("Content-Encoding", "gzip")],
        ),
        ("more than leger accepts",),
    ),
    "not-http-at-all": Fault(
        f.raw(b"SSH-2.0-OpenSSH_9.6\r\n\x1b[2J\x00\xff garbage\r\n\r\n"), ("not valid HTTP",)
    ),
    "echoes-the-request": Fault(f.echo_request(), ("not valid HTTP",)),
    "error-message-with-terminal-escapes": Fault(
        f.json_response(500, wire.error("x", "\x1b]0;pwned\x07\x1b[2J!")),
        ("leger.run failed",),
    ),
    "error-message-echoing-the-secrets": Fault(f.echo_in_error(400), ("Rejected by leger.run",)),
    "rate-limited-for-long": Fault(
        f.json_response(
            429,
            wire.RATE_LIMITED,
            headers=[("Retry-After", "120")],
        ),
        ("Rate limited", "try again in 120 seconds"),
    ),
}


def prepared(root: Path, command: str, url: str, timeout: float = TIMEOUT) -> Leger:
    (root / command).mkdir(exist_ok=True)
    app = Leger(root / command).use_api(url)
    app.env["LEGER_TIMEOUT"] = f"{timeout:g}"
    if command != "login":
        write_login(app.config_dir, stored_login(url))
    return app


def timed_run(app: Leger, argv: tuple[str, ...]) -> tuple[Result, float]:
    started = time.monotonic()
    result = app.run(*argv)
    return result, time.monotonic() - started


def check_failed_safely(
    name: str, app: Leger, result: Result, elapsed: float, words, timeout: float = TIMEOUT
) -> None:
    stderr = result.stderr
    assert result.exit_code == 1, (name, result.exit_code, stderr)
    assert stderr.startswith("Error: "), (name, stderr)
    for word in words:
        assert word in stderr, (name, word, stderr)
    assert "Traceback" not in stderr, (name, stderr)
    assert "\x1b" not in stderr, (name, "a terminal escape reached stderr", stderr)
    assert result.stdout == b"", (name, result.stdout)
    assert elapsed < timeout * ATTEMPTS + SLACK, (name, elapsed)
    for secret in (TOKEN, VALUE):
        assert secret not in stderr, (name, "leaked", stderr)
        assert secret.encode() not in result.stdout, (name, "leaked")
    if name == "login":
        assert not app.auth_file.exists(), "a failed login created a token file"
    else:
        url = app.env["LEGER_API_URL"]
        assert url is not None
        expected = stored_login(url)
        assert app.auth_file.read_text() == expected, (name, "the token file changed")
        assert stat.S_IMODE(app.auth_file.stat().st_mode) == 0o600
        assert sorted(p.name for p in app.config_dir.iterdir()) == ["auth.json"]


def run_each(tmp_path: Path, url: str, commands: dict, timeout: float = TIMEOUT) -> dict:
    """Run each of ``commands`` in its own environment: {name: (app, result, elapsed)}.

    They run at once, each in a thread: a fault that makes leger wait out its
    timeout then costs one timeout, not one per command (each is timed apart).
    """
    apps = {name: prepared(tmp_path, name, url, timeout) for name in commands}
    with ThreadPoolExecutor(max_workers=len(commands)) as pool:
        runs = {name: pool.submit(timed_run, apps[name], argv) for name, argv in commands.items()}
        return {name: (apps[name], *run.result()) for name, run in runs.items()}


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_every_command_fails_clearly_quickly_and_safely(tmp_path, fault):
    with f.faulty_server(fault.play) as server:
        outcomes = run_each(tmp_path, server.url, COMMANDS, fault.timeout)
    assert server.requests, "leger never reached the faulty server"
    for name, (app, result, elapsed) in outcomes.items():
        check_failed_safely(name, app, result, elapsed, fault.words, fault.timeout)


@pytest.mark.parametrize(
    "name", ["html-502-page", "truncated-json", "closed-mid-body", "huge-body-chunked"]
)
def test_a_failed_login_keeps_the_login_already_stored(tmp_path, name):
    fault = FAULTS[name]
    with f.faulty_server(fault.play) as server:
        [(app, result, elapsed)] = run_each(
            tmp_path, server.url, {"login-over-stored": ("auth", "login")}
        ).values()
    check_failed_safely("login-over-stored", app, result, elapsed, fault.words)


def test_a_server_error_is_retried_for_reads_but_not_for_writes(tmp_path):
    fault = FAULTS["html-502-page"]
    for name, expected in [("list", 3), ("get", 3), ("set", 1), ("login", 1)]:
        probe = [PROBE_404] if name == "set" else []
        with f.faulty_server(*probe, fault.play) as server:
            app = prepared(tmp_path, name, server.url)
            result, _ = timed_run(app, COMMANDS[name])
        assert result.exit_code == 1
        assert len(server.requests) - len(probe) == expected, (name, len(server.requests))


def test_the_set_request_reached_the_server_once_with_the_value(tmp_path):
    # The fault tests prove nothing if the value never left: it did, once, intact.
    with f.faulty_server(PROBE_404, FAULTS["empty-500"].play) as server:
        prepared(tmp_path, "set", server.url).run(*COMMANDS["set"])
    _probe, request = server.requests
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert json.loads(request.body) == wire.V01.set_body("k", VALUE)


# --- timeouts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("play", "timeout"),
    [
        (f.hang(), 1),
        (f.hang(), 2.5),
        (f.drip_body(200, every=0.2), 1),
        (f.drip_headers(every=0.2), 1),
    ],
    ids=["hung-server-1s", "hung-server-2.5s", "slow-drip-body-1s", "slow-drip-headers-1s"],
)
def test_leger_timeout_bounds_a_server_that_never_finishes(tmp_path, play, timeout):
    with f.faulty_server(play) as server:
        app = prepared(tmp_path, "list", server.url, timeout)
        result, elapsed = timed_run(app, COMMANDS["list"])
    assert result.exit_code == 1
    assert f"No complete answer from {server.url} within {timeout:g} s" in result.stderr
    assert "Set LEGER_TIMEOUT" in result.stderr
    assert timeout * 0.9 <= elapsed < timeout * ATTEMPTS + SLACK
    assert len(server.requests) == 1, "a timeout is not retried"


def test_the_default_timeout_is_ten_seconds():
    # Not waited for: a hung server would cost 10 s. The default is what Settings reads.
    from leger.settings import Settings

    assert Settings.from_env({}).timeout == 10.0


# --- redirects ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_a_redirect_is_an_error_and_nothing_reaches_its_target(tmp_path, code):
    with f.faulty_server(f.json_response(200, {"success": True})) as target:
        location = f"{target.url}/elsewhere"
        redirect = f.respond(code, b"", None, headers=[("Location", location)])
        with f.faulty_server(redirect) as server:
            outcomes = run_each(tmp_path, server.url, COMMANDS)
    assert target.connections == 0, "the redirect target was contacted"
    assert len(server.requests) == len(COMMANDS), "a redirect is not retried"
    for name, (app, result, elapsed) in outcomes.items():
        check_failed_safely(
            name,
            app,
            result,
            elapsed,
            (f"redirect (HTTP {code} to {location})", "does not follow redirects", "LEGER_API_URL"),
        )


def test_a_redirect_location_cannot_show_the_token(tmp_path):
    location = f"https://evil.example/?t={TOKEN}"
    redirect = f.respond(302, b"", None, headers=[("Location", location)])
    with f.faulty_server(redirect) as server:
        result, _ = timed_run(prepared(tmp_path, "list", server.url), COMMANDS["list"])
    assert result.exit_code == 1
    assert "https://evil.example/?t=[redacted]" in result.stderr
    assert TOKEN not in result.stderr


def test_an_escaped_emoji_is_not_mistaken_for_half_a_character(tmp_path):
    # An escaped pair is one emoji; an escaped backslash before "ud800" is plain text.
    value = b'"\\ud83d\\ude00 \\\\ud800"'
    body = b'{"success": true, "data": {"name": "k", "value": ' + value + b', "version": 1}}'
    with f.faulty_server(f.respond(200, body)) as server:
        result = prepared(tmp_path, "get", server.url).run(*COMMANDS["get"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "\U0001f600 \\ud800".encode()


# --- retries and rate limits ------------------------------------------------------------------


def test_leger_timeout_bounds_the_rate_limit_waits(leger) -> None:
    slow = wire.error("rate_limit_exceeded", "slow")
    with f.faulty_server(f.json_response(429, slow, headers=[("Retry-After", "30")])) as server:
        started = time.monotonic()
        result = leger.use_api(server.url).run(
            "secrets", "list", env={"LEGER_TOKEN": TOKEN, "LEGER_TIMEOUT": "1"}
        )
        elapsed = time.monotonic() - started
    assert result.exit_code == 1
    assert "Rate limited by leger.run: try again in 30 seconds" in result.stderr
    assert elapsed < 10
    assert len(server.requests) == 1


def test_secrets_list_succeeds_after_two_503s_and_the_debug_log_shows_the_retries(leger):
    busy = f.respond(503, wire.body_bytes(wire.error("busy", "busy")))
    leger.with_token(leger.secret("t0ken-abc"))
    with f.faulty_server(busy, busy, f.json_response(200, wire.EMPTY_LIST)) as server:
        result = leger.use_api(server.url).run("secrets", "list", env={"LEGER_DEBUG": "1"})
    assert result.exit_code == 0, result.stderr
    assert result.out.startswith("No secrets configured")
    assert len(server.requests) == 3
    retries = [line for line in result.stderr.splitlines() if "retrying" in line]
    assert len(retries) == 2, result.stderr
    method, path = wire.V01.list
    assert all(f"{method} {server.url}{path} after HTTP 503" in line for line in retries)
