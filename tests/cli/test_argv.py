"""Whole command lines, in-process: the server gets exactly the strings typed.

Values and names Fire would mangle (``123``, ``None``, ``[1,2]``, a lone ``-``)
reach the request as typed; a usage error exits 2 and never repeats a value.
"""

from __future__ import annotations

import pytest

from leger.errors import ExitCode
from tests.support import wire
from tests.support.argv import MANGLED, SECRET, USAGE_ERRORS, typed_set
from tests.support.httpmock import json_body
from tests.support.inprocess import get_value, listed


@pytest.mark.parametrize("value", [v for v in MANGLED if v not in ("-", "@x", "\r\n")])
def test_leger_sends_the_value_exactly_as_typed(leger, value):
    leger.with_token().server.stores("k")
    result = leger.run(*typed_set(value))
    assert result.exit_code == 0, result.stderr
    [request] = leger.registry.operations()
    assert json_body(request) == wire.V01.set_body("k", value)
    assert value.strip() == "" or value not in result.stderr


@pytest.mark.parametrize("name", ["123", "None", "True", "1e3", "-", "-5", "_"])
def test_leger_asks_for_the_name_exactly_as_typed(leger, name):
    leger.with_token().server.has_secret(name, "v")  # the route for exactly this name
    result = leger.run("secrets", "get", "--", name)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == b"v"


@pytest.mark.parametrize("argv", USAGE_ERRORS)
def test_usage_errors_exit_2_and_never_echo_the_value(leger, argv):
    result = leger.with_token().run(*argv)
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == b""
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr
    assert SECRET not in result.stderr
    assert leger.registry.requests == []


@pytest.mark.parametrize(
    "value",
    [
        "123",
        "1e3",
        "0x10",
        "True",
        "None",
        "[1,2]",
        "{'a':1}",
        "--",
        "-5",
        "-f",
        "--force",
        "--help",
        '"quoted"',
        "it's",
        "a=b",
        "~",
        "$HOME",
        "line one\nline two",
        "trailing newline\n",
        "\ttab",
        " padded ",
        "😀 名前 ünï",
        "\\n",
    ],
)
def test_values_fire_would_mangle_round_trip_as_arguments(live, value):
    argv = (
        ("secrets", "set", "k", "--", value)
        if value.startswith("-")
        else ("secrets", "set", "k", value)
    )
    result = live.run(*argv)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert get_value(live, "k") == value.encode()


@pytest.mark.parametrize("name", ["123", "None", "True", "1e3", "-", "-5", "_", "a" * 64])
def test_names_fire_would_mangle_round_trip(live, name):
    result = live.run("secrets", "set", "--", name, live.secret("S3CRET-named"))
    assert result.exit_code == 0, result.stderr
    assert f"  Name: {name}\n" in result.out
    assert listed(live) == {name: 1}
    assert live.run("secrets", "get", "--", name).stdout == b"S3CRET-named"
    deleted = live.run("secrets", "delete", "--force", "--", name)
    assert deleted.exit_code == 0, deleted.stderr
    assert listed(live) == {}
