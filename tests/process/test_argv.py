"""The installed ``leger``: argv as the OS hands it over reaches the server as typed.

Bytes that are not UTF-8 are refused before any request.
"""

from __future__ import annotations

import json
import os

import pytest

from leger.errors import ExitCode
from tests.support import wire
from tests.support.argv import SECRET, USAGE_ERRORS, typed_set
from tests.support.canned import canned_server
from tests.support.v01_front import v01_front

# --- the installed command: argv as the OS hands it over ------------------------------------


@pytest.mark.parametrize("value", ["123", "-5", "[1,2]", "a\nb", "😀", "--help", "$HOME"])
def test_installed_leger_sends_the_value_exactly_as_typed(cli, value):
    # A v0.1 server: the front answers the probe leger sends before a v0.1 set.
    with canned_server() as server, v01_front(server.url) as url:
        server.respond_json(*wire.V01.set_answer("k", created=True))
        result = cli.use_api(url).run(*typed_set(value), env={"LEGER_TOKEN": "t"})
    assert result.returncode == 0, result.stderr
    [request] = server.requests
    assert (request.method, request.path) == wire.V01.set("k")
    assert json.loads(request.body) == wire.V01.set_body("k", value)


def test_installed_leger_usage_errors_exit_2_and_never_echo_the_value(cli):
    with canned_server() as server:
        result = cli.use_api(server.url).run(*USAGE_ERRORS[0], env={"LEGER_TOKEN": "t"})
    assert result.returncode == ExitCode.USAGE
    assert result.stdout == b""
    assert result.stderr.startswith("Error: ")
    assert SECRET not in result.stderr
    assert server.requests == []


# --- the OS: argv bytes, HOME, closed streams, memory --------------------------------------------


def test_argument_that_is_not_utf8_is_refused_before_any_request(cli):
    with cli.canned() as server:
        result = cli.run("secrets", "set", "k", "S3CRET-raw" + os.fsdecode(b"\xff"))
    assert result.returncode == 1
    assert "not valid UTF-8 text" in result.stderr
    assert server.requests == []
