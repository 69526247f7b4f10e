"""LEGER_DEBUG=1: every request, response and retry on stderr, with nothing secret in it.

Each test scans the whole of stderr (and stdout, but for ``get``'s value) for the
token and the secret value and fails if either appears, in any run: login, set,
get, and servers that fail or echo what they received. Commands run in-process
(``leger`` fixture) over real loopback sockets (tests/support/faulty.py), so the
log shows what the network really did. The redaction itself is tested on
leger/api/debug.py in tests/unit/test_api_debug.py.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.support import faulty as f
from tests.support import wire

DEBUG = {"LEGER_DEBUG": "1"}
TOKEN = "t0ken-D3BUG-5c2e9a7b41"
VALUE = "v4lue-D3BUG-0b8f6d3e22"
ISSUED = "issued-D3BUG-token-9f1c7e"
AUTH_OK = wire.login_answer(ISSUED)[1]
# A v0.1 server's answer to the route-form probe leger sends before a v0.1 set.
PROBE_404 = f.json_response(*wire.V01.probe_answer())
GET_OK = wire.V01.get_answer("k", VALUE)[1]


def logged_in_at(leger, url: str):
    """``leger`` using the server at ``url``, with a login made there (a login is per server)."""
    leger.use_api(url).logged_in(expires_at="2099-01-01T00:00:00Z", token=TOKEN)
    return leger


def url_of(server, route: wire.Route) -> tuple[str, str]:
    """The method and full URL the debug log names for ``route``."""
    method, path = route
    return method, f"{server.url}{path}"


def debug_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("[leger debug] ")]


def assert_nothing_secret(result, *secrets: str, value_on_stdout: bool = False) -> None:
    for secret in secrets:
        assert secret not in result.stderr, f"{secret!r} on stderr:\n{result.stderr}"
        if not (value_on_stdout and secret == VALUE):
            assert secret.encode() not in result.stdout


def assert_request_logged(result, method: str, url: str, status: str) -> None:
    lines = debug_lines(result)
    assert f"[leger debug] > {method} {url}" in lines, result.stderr
    assert "[leger debug] >   authorization: [redacted]" in lines or method == "POST"
    assert any(re.fullmatch(rf"\[leger debug\] < {status} in \d+ ms", line) for line in lines), (
        result.stderr
    )


def test_login_logs_the_exchange_but_not_the_issued_token(leger):
    with f.faulty_server(f.json_response(200, AUTH_OK)) as server:
        result = leger.use_api(server.url).run("auth", "login", env=DEBUG)
    assert result.exit_code == 0, result.stderr
    assert json.loads(leger.auth_file.read_text())["token"] == ISSUED
    assert_request_logged(result, *url_of(server, wire.V01.login), "200 OK")
    assert any("(body: " in line and "not shown" in line for line in debug_lines(result))
    assert_nothing_secret(result, ISSUED)


def test_set_logs_the_request_but_not_the_token_or_the_value(leger):
    with f.faulty_server(PROBE_404, f.json_response(201, wire.SET_CREATED)) as server:
        result = logged_in_at(leger, server.url).run("secrets", "set", "k", VALUE, env=DEBUG)
    assert result.exit_code == 0, result.stderr
    assert json.loads(server.requests[1].body)["value"] == VALUE
    assert_request_logged(result, *url_of(server, wire.V01.set("k")), "201 Created")
    assert "[leger debug] >   authorization: [redacted]" in debug_lines(result)
    assert_nothing_secret(result, TOKEN, VALUE)


def test_get_logs_the_request_and_prints_the_value_only_on_stdout(leger):
    with f.faulty_server(f.json_response(200, GET_OK)) as server:
        result = logged_in_at(leger, server.url).run("secrets", "get", "k", env=DEBUG)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == VALUE.encode()
    assert_request_logged(result, *url_of(server, wire.V01.get("k")), "200 OK")
    assert_nothing_secret(result, TOKEN, VALUE, value_on_stdout=True)


def test_leger_token_from_the_environment_is_redacted_too(leger):
    with f.faulty_server(f.json_response(200, wire.EMPTY_LIST)) as server:
        result = leger.use_api(server.url).run(
            "secrets", "list", env={**DEBUG, "LEGER_TOKEN": TOKEN}
        )
    assert result.exit_code == 0, result.stderr
    assert server.requests[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert_nothing_secret(result, TOKEN)


def echo_credentials(payload: dict) -> f.Fault:
    """A server (or proxy) that copies what it received into response headers."""

    def fault(conn: f.Conn) -> None:
        received = conn.request
        value = json.loads(received.body).get("value", "") if received.body else ""
        headers = [
            ("X-Echo-Authorization", received.headers.get("authorization", "")),
            ("X-Debug", f"value={value}"),
            ("Set-Cookie", f"session={received.headers.get('authorization', '')}"),
            ("X-Issued", str(payload.get("data", {}).get("token", ""))),
            ("Location", f"/seen?auth={received.headers.get('authorization', '')}"),
        ]
        f.json_response(200, payload, headers=headers)(conn)

    return fault


@pytest.mark.parametrize(
    ("argv", "payload"),
    [
        (("secrets", "set", "k", VALUE), wire.SET_CREATED),
        (("secrets", "get", "k"), GET_OK),
        (("secrets", "list"), wire.EMPTY_LIST),
        (("auth", "login"), AUTH_OK),
    ],
    ids=["set", "get", "list", "login"],
)
def test_a_server_echoing_credentials_in_headers_does_not_leak_them(leger, argv, payload):
    probe = [PROBE_404] if argv[1] == "set" else []
    with f.faulty_server(*probe, echo_credentials(payload)) as server:
        result = logged_in_at(leger, server.url).run(*argv, env=DEBUG)
    assert result.exit_code == 0, result.stderr
    assert any("x-echo-authorization: [redacted]" in line for line in debug_lines(result))
    assert any("set-cookie: [redacted]" in line for line in debug_lines(result))
    assert_nothing_secret(result, TOKEN, VALUE, ISSUED, value_on_stdout=argv[1] == "get")


@pytest.mark.parametrize(
    "fault",
    [
        f.respond(502, b"<html>bad gateway</html>", "text/html"),
        f.echo_in_error(500),
        f.echo_request(),
        f.truncated(200, b'{"success": true', declared=100),
    ],
    ids=["html-502", "error-echoing-the-request", "echo-server", "closed-mid-body"],
)
@pytest.mark.parametrize("argv", [("secrets", "set", "k", VALUE), ("secrets", "get", "k")])
def test_a_failing_server_is_logged_without_secrets(leger, fault, argv):
    with f.faulty_server(fault) as server:
        result = logged_in_at(leger, server.url).run(*argv, env=DEBUG)
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] != ""
    assert debug_lines(result), "nothing was logged"
    assert_nothing_secret(result, TOKEN, VALUE)


def test_retries_are_logged_with_their_reason_and_wait(leger):
    busy = f.respond(503, b"", None)
    with f.faulty_server(busy, f.close_at_once(), f.json_response(200, GET_OK)) as server:
        result = logged_in_at(leger, server.url).run("secrets", "get", "k", env=DEBUG)
    assert result.exit_code == 0, result.stderr
    retries = [line for line in debug_lines(result) if "! retrying" in line]
    assert len(retries) == 2, result.stderr
    assert re.search(r"after HTTP 503, in \d+\.\d\d s$", retries[0])
    assert re.search(r"after connection dropped, in \d+\.\d\d s$", retries[1])
    assert_nothing_secret(result, TOKEN, VALUE, value_on_stdout=True)


def test_a_full_session_against_the_local_backend_never_logs_a_credential(leger, fresh_backend):
    leger.use_api(fresh_backend.url)
    runs = [leger.run("auth", "login", env=DEBUG)]
    token = json.loads(leger.auth_file.read_text())["token"]
    runs.append(leger.run("secrets", "set", "api_key", VALUE, env=DEBUG))
    runs.append(leger.run("secrets", "set", "piped", "-", stdin=VALUE.encode() + b"\n", env=DEBUG))
    runs.append(leger.run("secrets", "list", env=DEBUG))
    got = leger.run("secrets", "get", "api_key", env=DEBUG)
    missing = leger.run("secrets", "get", "nope", env=DEBUG)
    assert [r.exit_code for r in runs] == [0, 0, 0, 0], [r.stderr for r in runs]
    assert got.exit_code == 0
    assert got.stdout == VALUE.encode()
    assert missing.exit_code == 1
    for result in [*runs, got, missing]:
        assert debug_lines(result)
        assert_nothing_secret(result, token, VALUE, value_on_stdout=result is got)


def test_without_leger_debug_nothing_is_logged(leger):
    with f.faulty_server(f.json_response(200, GET_OK)) as server:
        result = logged_in_at(leger, server.url).run("secrets", "get", "k")
    assert result.exit_code == 0
    assert result.stderr == ""


def test_debug_log_never_shows_the_value_or_token(authed):
    value = authed.secret("S3CRET-debug-value")
    authed.server.stores("k")
    authed.server.has_secret("k", value)
    result = authed.run("secrets", "set", "k", value, env={"LEGER_DEBUG": "1"})
    assert result.exit_code == 0, result.stderr
    assert "[leger debug] > POST" in result.stderr
    assert "not shown" in result.stderr
    got = authed.run("secrets", "get", "k", env={"LEGER_DEBUG": "1"})
    assert got.exit_code == 0, got.stderr
    assert got.stdout == value.encode()
    assert "[leger debug] < 200" in got.stderr
    assert wire.TOKEN not in result.stderr + got.stderr
