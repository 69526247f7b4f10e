"""What leger says when the server has no such secret, rate-limits, or does not match.

The messages and hints of leger/errors.py, through whole command lines
in-process (the ``leger`` fixture, tests/support/inprocess.py).
"""

from __future__ import annotations

import pytest

from tests.support import wire
from tests.support.httpmock import each_form
from tests.support.text import not_found_message


@pytest.mark.parametrize("command", ["get", "delete"])
def test_not_found_prints_the_seeds_message_with_hints(authed, command):
    argv = ("secrets", command, "k") + (("--force",) if command == "delete" else ())
    authed.server.lacks("k", command)
    result = authed.run(*argv)
    assert result.exit_code == 1
    assert result.stdout == b""
    assert result.stderr == not_found_message("k")


@pytest.mark.parametrize(
    "argv",
    [
        ("secrets", "list"),
        ("secrets", "get", "k"),
        ("secrets", "set", "k", "S3CRET-rate"),
        ("secrets", "delete", "k", "--force"),
    ],
)
def test_rate_limit_says_when_to_retry(authed, argv):
    authed.secret("S3CRET-rate")
    route = authed.server.route_of(argv[1])
    authed.server.answers(route, 429, wire.RATE_LIMITED, {"Retry-After": "120"})
    result = authed.run(*argv)
    assert result.exit_code == 1
    assert result.stdout == b""
    assert "try again in 120 seconds" in result.stderr
    assert len(authed.registry.operations()) == 1  # a long wait is not sat out silently


@pytest.mark.parametrize("command", ["get", "delete"])
def test_not_found_from_the_backend(live, command):
    argv = ("secrets", command, "missing") + (("--force",) if command == "delete" else ())
    result = live.run(*argv)
    assert result.exit_code == 1
    assert result.stdout == b""
    assert result.stderr == not_found_message("missing")


def test_rate_limited_by_the_backend(live):
    live.run("secrets", "set", "k", live.secret("S3CRET-rl"))
    live.backend.rate_limit(after=0, retry_after=90)
    try:
        for argv in (
            ("secrets", "list"),
            ("secrets", "get", "k"),
            ("secrets", "set", "k", "S3CRET-rl"),
        ):
            result = live.run(*argv)
            assert result.exit_code == 1
            assert result.stdout == b""
            assert "try again in 90 seconds" in result.stderr
    finally:
        live.backend.rate_limit(after=None)


@each_form
@pytest.mark.parametrize("command", ["get", "delete"])
def test_a_missing_secret_is_the_seeds_message_on_both_forms(authed, form, command):
    authed.speaks(form).lacks("k", command)
    argv = ["secrets", command, "k"] + (["--force"] if command == "delete" else [])
    result = authed.run(*argv)
    assert result.exit_code == 1
    assert result.stderr.startswith('Error: Secret "k" not found\n')


@each_form
def test_an_unknown_route_says_the_url_or_routes_do_not_match(authed, form):
    server = authed.speaks(form)
    server.answers(form.get("k"), 404, wire.error("not_found", "API endpoint not found: GET /x"))
    server.answers_probe()  # the one probe after a mismatch finds the same form
    result = authed.run("secrets", "get", "k")
    assert result.exit_code == 1
    assert "routes do not match" in result.stderr
    assert "http://127.0.0.1:8787" in result.stderr
    assert "not found" not in result.stderr.split("\n")[0].split(":")[0]
    assert "LEGER_API_ROUTES" in result.stderr


def test_the_servers_action_is_the_hint(authed):
    server = authed.speaks(wire.REST)
    body = wire.error("internal_error", "Storage is down")
    body["error"]["action"] = "Try again in a minute\x1b[2J"
    server.answers(wire.REST.list, 500, body)
    result = authed.run("secrets", "list")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: leger.run failed: Storage is down\n\nTry again in a minute?[2J\n"
    )
