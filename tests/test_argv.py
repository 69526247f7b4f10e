"""``leger.argv.prepare``: the user's command line reaches each command exactly as typed.

Fire alone would turn ``123`` into an int, ``[1,2]`` into a list, ``None`` into
None and a lone ``-`` into its separator. These tests check what ``prepare``
hands Fire, that Fire then calls the command with exactly the typed strings,
and (through the whole command line in-process, and for a few values through
the installed ``leger``) that those strings are what goes over the wire.
"""

from __future__ import annotations

import ast
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leger.argv import parse
from leger.errors import ExitCode, UsageError
from tests.support import wire
from tests.support.canned import canned_server
from tests.support.commands import fire_call, record
from tests.support.httpmock import json_body
from tests.support.v01_front import v01_front

MANGLED = [
    "123",
    "1e3",
    "0x10",
    "1_000",
    "-5",
    "True",
    "False",
    "None",
    "[1,2]",
    "{'a':1}",
    "(1, 2)",
    "-",
    "--",
    "@x",
    '"quoted"',
    "it's",
    "a=b",
    "a,b",
    "~",
    "$HOME",
    "--help",
    "-h",
    "--trace",
    "--interactive",
    "--force",
    "a\nb",
    "line\n",
    "\r\n",
    "\t",
    " padded ",
    "😀",
    "名前",
    "\\n",
    'b"x"',
    '__import__("os")',
]
SECRET = "SECRETX9"  # a value that must never be repeated in a usage error


@pytest.fixture
def calls(monkeypatch) -> list[tuple]:
    """Replace the command implementations with recorders."""
    return record(monkeypatch)


def prepare(argv: list[str]) -> list[str]:
    """What leger hands Fire for ``argv``: the command path, then ``--key=<literal>``."""
    invocation = parse(argv)
    assert not invocation.help
    return [*invocation.path.split(), *invocation.arguments]


def literal(arg: str) -> tuple[str, object]:
    """``--key=<literal>`` back to (key, value), as Fire reads it."""
    assert arg.startswith("--"), arg
    key, _, text = arg[2:].partition("=")
    return key, ast.literal_eval(text)


# --- what prepare hands Fire ------------------------------------------------------


@pytest.mark.parametrize("value", MANGLED)
def test_prepare_passes_every_value_as_a_string_literal(value):
    args = prepare(["secrets", "set", "k", "--", value])
    assert args[:2] == ["secrets", "set"]
    assert dict(literal(arg) for arg in args[2:]) == {"name": "k", "value": value}


@pytest.mark.parametrize("value", [v for v in MANGLED if not v.startswith("-") or v == "-"])
def test_values_that_do_not_look_like_options_need_no_separator(value):
    args = prepare(["secrets", "set", "k", value])
    assert dict(literal(arg) for arg in args[2:]) == {"name": "k", "value": value}


@pytest.mark.parametrize("name", ["123", "None", "True", "-", "1e3", "_", "-x"])
def test_names_are_strings_too(name):
    args = prepare(["secrets", "get", "--", name])
    assert [literal(arg) for arg in args[2:]] == [("name", name)]


def test_a_lone_dash_is_a_value_not_fires_separator():
    args = prepare(["secrets", "set", "k", "-"])
    assert "-" not in args
    assert dict(literal(arg) for arg in args[2:]) == {"name": "k", "value": "-"}


def test_only_the_first_double_dash_ends_options():
    args = prepare(["secrets", "set", "--", "k", "--"])
    assert dict(literal(arg) for arg in args[2:]) == {"name": "k", "value": "--"}


def test_everything_after_double_dash_is_positional_even_flags():
    args = prepare(["secrets", "delete", "--", "-f"])
    assert [literal(arg) for arg in args[2:]] == [("name", "-f")]


def test_value_omitted_is_not_passed():
    args = prepare(["secrets", "set", "k"])
    assert [literal(arg) for arg in args[2:]] == [("name", "k")]


# --- flags ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flag", "force"),
    [
        ("--force", True),
        ("-f", True),
        ("--noforce", False),
        ("--no-force", False),
        ("--force=yes", True),
        ("--force=true", True),
        ("--force=1", True),
        ("--force=no", False),
        ("--force=false", False),
        ("--force=0", False),
    ],
)
def test_force_flag_spellings(flag, force):
    for argv in (["secrets", "delete", "k", flag], ["secrets", "delete", flag, "k"]):
        args = prepare(argv)
        assert dict(literal(arg) for arg in args[2:]) == {"name": "k", "force": force}


def test_force_is_false_unless_given():
    args = prepare(["secrets", "delete", "k"])
    assert dict(literal(arg) for arg in args[2:]) == {"name": "k"}


@pytest.mark.parametrize("flag", ["--json", "-j", "--json=yes"])
def test_json_flag(flag):
    assert [literal(a) for a in prepare(["secrets", "list", flag])[2:]] == [("json", True)]


def test_force_given_twice_is_a_usage_error():
    with pytest.raises(UsageError) as caught:
        prepare(["secrets", "delete", "k", "-f", "--force"])
    assert "twice" in caught.value.message


def test_force_with_a_value_that_is_not_a_boolean_does_not_echo_it():
    with pytest.raises(UsageError) as caught:
        prepare(["secrets", "delete", "k", f"--force={SECRET}"])
    assert caught.value.exit_code == ExitCode.USAGE
    assert SECRET not in caught.value.message + (caught.value.hint or "")
    assert "--force" in caught.value.message


# --- usage errors -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["secrets", "set", "k", f"-{SECRET}"], "Unknown option"),
        (["secrets", "set", "k", f"--{SECRET}"], "Unknown option"),
        (["secrets", "set", "k", f"--{SECRET}=x"], "Unknown option"),
        (["secrets", "set", "k", "--force"], "Unknown option"),
        (["secrets", "get", "k", "-f"], "Unknown option"),
        (["secrets", "delete", "k", "-F"], "Unknown option"),
        (["secrets", "set", "k", "--value"], "Unknown option"),
        (["secrets", "set", "k", "v", SECRET], "Too many arguments"),
        (["secrets", "set", "k", "--", "v", SECRET], "Too many arguments"),
        (["secrets", "get", "k", SECRET], "Too many arguments"),
        (["secrets", "delete", "k", SECRET, "--force"], "Too many arguments"),
        (["secrets", "list", SECRET], "Too many arguments"),
        (["auth", "login", SECRET], "Too many arguments"),
        (["secrets", "set", "--name=k", "v", SECRET], "Too many arguments"),
        (["secrets", "get"], "Missing argument NAME"),
        (["secrets", "set"], "Missing argument NAME"),
        (["secrets", "delete", "--force"], "Missing argument NAME"),
        (["secrets", SECRET], "Unknown command"),
        (["secrets", "sk-1234-ABCD"], "Unknown command"),
        ([SECRET], "Unknown command"),
        (["secrets", "_ctx"], "Unknown command"),
        (["secrets", "__init__"], "Unknown command"),
        (["secrets", "mro"], "Unknown command"),
        (["--", "secrets", "list"], "Unknown command"),
        (["secrets", "--", SECRET], "Unknown command"),
    ],
)
def test_usage_errors_name_the_problem_and_never_echo_the_value(argv, says):
    with pytest.raises(UsageError) as caught:
        prepare(argv)
    error = caught.value
    assert error.exit_code == ExitCode.USAGE
    assert says in error.message
    shown = error.message + "\n" + (error.hint or "")
    assert SECRET not in shown
    assert "sk-1234-ABCD" not in shown


def test_missing_argument_hint_is_the_usage_line():
    with pytest.raises(UsageError) as caught:
        prepare(["secrets", "delete"])
    assert caught.value.hint == "Usage: leger secrets delete NAME [--force]"


def test_unknown_option_hint_explains_double_dash():
    with pytest.raises(UsageError) as caught:
        prepare(["secrets", "set", "k", "-x"])
    assert "--" in caught.value.hint


def test_an_unknown_command_word_that_looks_like_one_is_named():
    with pytest.raises(UsageError) as caught:
        prepare(["secrets", "remove", "k"])
    assert "'remove'" in caught.value.message


# --- help -------------------------------------------------------------------------


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_flags_ask_for_help(flag):
    for argv, path in ((["secrets", "set", flag], "secrets set"), (["secrets", flag], "secrets")):
        invocation = parse(argv)
        assert (invocation.help, invocation.path) == (True, path)


def test_help_after_double_dash_is_a_value():
    args = prepare(["secrets", "set", "k", "--", "--help"])
    assert dict(literal(arg) for arg in args[2:]) == {"name": "k", "value": "--help"}


def test_a_group_alone_shows_its_help():
    for argv, path in ((["secrets"], "secrets"), ([], "")):
        invocation = parse(argv)
        assert (invocation.help, invocation.path, invocation.command) == (True, path, None)


# --- Fire then calls the command with exactly those strings ------------------------


@pytest.mark.parametrize("value", MANGLED)
def test_fire_calls_set_with_the_exact_value(calls, value):
    fire_call(["secrets", "set", "k", "--", value])
    assert calls == [("set_secret", "k", value)]
    assert type(calls[0][2]) is str


@pytest.mark.parametrize("name", ["123", "None", "[1,2]", "-", "True", "1e3"])
def test_fire_calls_get_and_delete_with_the_exact_name(calls, name):
    fire_call(["secrets", "get", "--", name])
    fire_call(["secrets", "delete", "-f", "--", name])
    fire_call(["secrets", "delete", "--", name])
    assert calls == [
        ("get_secret", name),
        ("delete_secret", name, ("force", True)),
        ("delete_secret", name),
    ]


def test_fire_calls_set_without_a_value_as_none(calls):
    fire_call(["secrets", "set", "k"])
    assert calls == [("set_secret", "k", None)]


def test_fire_calls_list_with_a_boolean(calls):
    fire_call(["secrets", "list"])
    fire_call(["secrets", "list", "--json"])
    assert calls == [("list_secrets",), ("list_secrets", ("json", True))]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    value=st.text(
        st.characters(codec=None, exclude_categories=()),  # any code point, surrogates too
        min_size=0,
        max_size=40,
    )
)
def test_fire_delivers_any_string_exactly(calls, value):
    calls.clear()
    fire_call(["secrets", "set", "--", "name", value])
    assert calls == [("set_secret", "name", value)]


# --- and through the whole command line, the server gets exactly those strings ------


def typed_set(value: str) -> list[str]:
    """``secrets set k VALUE`` as a user types it (after ``--`` when it starts with '-')."""
    return (
        ["secrets", "set", "k", "--", value]
        if value.startswith("-")
        else ["secrets", "set", "k", value]
    )


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


USAGE_ERRORS = [
    ["secrets", "set", "k", "v", SECRET],
    ["secrets", "set", "k", f"-{SECRET}"],
    ["secrets", "delete", "k", f"--force={SECRET}"],
    ["secrets", SECRET],
]


@pytest.mark.parametrize("argv", USAGE_ERRORS)
def test_usage_errors_exit_2_and_never_echo_the_value(leger, argv):
    result = leger.with_token().run(*argv)
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == b""
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr
    assert SECRET not in result.stderr
    assert leger.registry.requests == []


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


@pytest.mark.parametrize(
    "argv",
    [
        ["secrets", "set", "k", "v", "--label", "Prod DB"],
        ["secrets", "set", "--label", "Prod DB", "k", "v"],
        ["secrets", "set", "k", "--label=Prod DB", "v"],
    ],
)
def test_label_is_an_option_that_takes_a_value(calls, argv):
    fire_call(argv)
    assert calls == [("set_secret", "k", "v", ("label", "Prod DB"))]


def test_label_is_never_filled_by_position(calls):
    with pytest.raises(UsageError, match="Too many arguments"):
        prepare(["secrets", "set", "k", "v", "extra"])


def test_label_without_a_value_is_a_usage_error(calls):
    with pytest.raises(UsageError, match="--label needs a value"):
        prepare(["secrets", "set", "k", "v", "--label"])
