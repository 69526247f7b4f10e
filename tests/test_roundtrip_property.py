"""Property: any valid value set through any input path comes back byte for byte.

Hypothesis draws valid names and values (any Unicode but surrogates: emoji, CJK,
combining marks, control characters, newlines and ``\\r\\n``, leading ``-`` or
``@``, text that looks like a number, a bool, None, a list or JSON) and sets
each through one input path of leger (in-process: argv binding, Fire, the
command) against the local backend behind the validating Prism proxy; ``leger
secrets get`` must print exactly the value's UTF-8 bytes. A sample of the tricky
values also goes through the installed ``leger``, to cover the OS's argv.

The paths, and the only values each one cannot carry:

- argument: ``--`` goes before a name or value that starts with ``-``; a NUL
  cannot be in an argv at all, and ``@...`` and a lone ``-`` are not literal
  values there by design (they mean "read a file" and "read stdin");
- ``-`` (stdin): one trailing newline is stripped, so the value is sent with a
  terminator: ``\\r\\n``, or ``\\n`` when the value does not end in ``\\r``;
- ``@file``: the file's exact content.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.support.values import ARGUMENT_VALUES, BIGGEST, NAMES, PEM, VALUES

PROPERTY = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

_counter = itertools.count()


@pytest.fixture
def logged_in(leger, fresh_proxied_backend):
    leger.use_api(fresh_proxied_backend.url)
    login = leger.run("auth", "login")
    assert login.exit_code == 0, login.stderr
    return leger


def positionals(*words: str) -> list[str]:
    """``words`` as positional arguments: behind ``--`` when one looks like an option."""
    return ["--", *words] if any(word.startswith("-") for word in words) else list(words)


def read_back(cli, name: str, value: str, how: str) -> None:
    got = cli.run("secrets", "get", *positionals(name))
    assert got.returncode == 0, (how, got.stderr)
    assert got.stdout == value.encode("utf-8"), (how, name, value)
    assert got.stderr == "", (how, got.stderr)


def check_set(result, how: str) -> None:
    assert result.returncode == 0, (how, result.stderr)
    assert "Traceback" not in result.stderr


@PROPERTY
@given(name=NAMES, value=ARGUMENT_VALUES)
@example(name="-leading-dash", value="-leading dash value")
@example(name="k", value="--")
@example(name="k", value=BIGGEST)
def test_a_value_given_as_an_argument_round_trips(logged_in, name, value):
    check_set(logged_in.run("secrets", "set", *positionals(name, value)), "argument")
    read_back(logged_in, name, value, "argument")


@PROPERTY
@given(name=NAMES, value=VALUES, crlf=st.booleans())
@example(name="k", value="ends in cr\r", crlf=True)
@example(name="k", value="\n", crlf=False)
@example(name="k", value="\x00", crlf=False)
@example(name="k", value=BIGGEST, crlf=False)
def test_a_value_piped_on_stdin_round_trips(logged_in, name, value, crlf):
    terminator = "\r\n" if crlf or value.endswith("\r") else "\n"
    data = (value + terminator).encode("utf-8")
    check_set(logged_in.run("secrets", "set", *positionals(name, "-"), stdin=data), "stdin")
    read_back(logged_in, name, value, "stdin")


@PROPERTY
@given(name=NAMES, value=VALUES)
@example(name="k", value="no newline at the end")
@example(name="k", value="two newlines\n\n")
@example(name="k", value="\r\n")
@example(name="k", value="a\x00b")
@example(name="k", value=BIGGEST)
def test_a_value_read_from_a_file_round_trips(logged_in, tmp_path, name, value):
    path = tmp_path / f"value-{next(_counter)}"
    path.write_bytes(value.encode("utf-8"))
    check_set(logged_in.run("secrets", "set", *positionals(name, f"@{path}")), "@file")
    read_back(logged_in, name, value, "@file")


@pytest.mark.parametrize("how", ["argument", "stdin"])
def test_tricky_values_round_trip_through_the_installed_leger(cli, fresh_proxied_backend, how):
    cli.use_api(fresh_proxied_backend.url)
    assert cli.run("auth", "login").returncode == 0
    values = ["--help", "[1, 2]", "a\r\nb\r\n", "👩‍👩‍👧", "e\u0301", "\u202eright-to-left", PEM]
    for index, value in enumerate(values):
        name = f"k{index}"
        if how == "argument":
            result = cli.run("secrets", "set", *positionals(name, value))
        else:
            result = cli.run("secrets", "set", name, "-", stdin=value.encode("utf-8") + b"\n")
        check_set(result, how)
        read_back(cli, name, value, how)
