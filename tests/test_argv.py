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

import fire
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import leger.commands.auth
import leger.commands.secrets
from leger.argv import prepare
from leger.errors import ExitCode, UsageError
from leger.tree import Leger
from tests.support import wire
from tests.support.canned import canned_server
from tests.support.httpmock import json_body

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
def root() -> Leger:
    return Leger(None)  # prepare and Fire only walk the tree; commands are recorded


@pytest.fixture
def calls(monkeypatch) -> list[tuple]:
    """Replace the command implementations with recorders."""
    recorded: list[tuple] = []

    def recorder(command: str):
        def record(_ctx, *args, **kwargs):
            recorded.append((command, *args, *sorted(kwargs.items())))

        return record

    for command in ("set_secret", "list_secrets", "get_secret", "delete_secret"):
        monkeypatch.setattr(leger.commands.secrets, command, recorder(command))
    for command in ("login", "status", "logout"):
        monkeypatch.setattr(leger.commands.auth, command, recorder(command))
    return recorded


def run_fire(root: Leger, argv: list[str]) -> None:
    fire.Fire(root, command=prepare(argv, root), name="leger")


def literal(arg: str) -> tuple[str, object]:
    """``--key=<literal>`` back to (key, value), as Fire reads it."""
    assert arg.startswith("--"), arg
    key, _, text = arg[2:].partition("=")
    return key, ast.literal_eval(text)


# --- what prepare hands Fire ------------------------------------------------------


@pytest.mark.parametrize("value", MANGLED)
def test_prepare_passes_every_value_as_a_string_literal(root, value):
    args = prepare(["secrets", "set", "k", "--", value], root)
    assert args[:2] == ["secrets", "set"]
    assert dict(literal(arg) for arg in args[2:]) == {"name": "k", "value": value}


@pytest.mark.parametrize("value", [v for v in MANGLED if not v.startswith("-") or v == "-"])
def test_values_that_do_not_look_like_options_need_no_separator(root, value):
    args = prepare(["secrets", "set", "k", value], root)
    assert dict(literal(arg) for arg in args[2:]) == {"name": "k", "value": value}


@pytest.mark.parametrize("name", ["123", "None", "True", "-", "1e3", "_", "-x"])
def test_names_are_strings_too(root, name):
    args = prepare(["secrets", "get", "--", name], root)
    assert [literal(arg) for arg in args[2:]] == [("name", name)]


def test_a_lone_dash_is_a_value_not_fires_separator(root):
    args = prepare(["secrets", "set", "k", "-"], root)
    assert "-" not in args
    assert dict(literal(arg) for arg in args[2:]) == {"name": "k", "value": "-"}


def test_only_the_first_double_dash_ends_options(root):
    args = prepare(["secrets", "set", "--", "k", "--"], root)
    assert dict(literal(arg) for arg in args[2:]) == {"name": "k", "value": "--"}


def test_everything_after_double_dash_is_positional_even_flags(root):
    args = prepare(["secrets", "delete", "--", "-f"], root)
    assert [literal(arg) for arg in args[2:]] == [("name", "-f")]


def test_value_omitted_is_not_passed(root):
    args = prepare(["secrets", "set", "k"], root)
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
def test_force_flag_spellings(root, flag, force):
    for argv in (["secrets", "delete", "k", flag], ["secrets", "delete", flag, "k"]):
        args = prepare(argv, root)
        assert dict(literal(arg) for arg in args[2:]) == {"name": "k", "force": force}


def test_force_is_false_unless_given(root):
    args = prepare(["secrets", "delete", "k"], root)
    assert dict(literal(arg) for arg in args[2:]) == {"name": "k"}


@pytest.mark.parametrize("flag", ["--json", "-j", "--json=yes"])
def test_json_flag(root, flag):
    assert [literal(a) for a in prepare(["secrets", "list", flag], root)[2:]] == [("json", True)]


def test_force_given_twice_is_a_usage_error(root):
    with pytest.raises(UsageError) as caught:
        prepare(["secrets", "delete", "k", "-f", "--force"], root)
    assert "twice" in caught.value.message


def test_force_with_a_value_that_is_not_a_boolean_does_not_echo_it(root):
    with pytest.raises(UsageError) as caught:
        prepare(["secrets", "delete", "k", f"--force={SECRET}"], root)
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
def test_usage_errors_name_the_problem_and_never_echo_the_value(root, argv, says):
    with pytest.raises(UsageError) as caught:
        prepare(argv, root)
    error = caught.value
    assert error.exit_code == ExitCode.USAGE
    assert says in error.message
    shown = error.message + "\n" + (error.hint or "")
    assert SECRET not in shown
    assert "sk-1234-ABCD" not in shown


def test_missing_argument_hint_is_the_usage_line(root):
    with pytest.raises(UsageError) as caught:
        prepare(["secrets", "delete"], root)
    assert caught.value.hint == "Usage: leger secrets delete NAME [--force]"


def test_unknown_option_hint_explains_double_dash(root):
    with pytest.raises(UsageError) as caught:
        prepare(["secrets", "set", "k", "-x"], root)
    assert "--" in caught.value.hint


def test_an_unknown_command_word_that_looks_like_one_is_named(root):
    with pytest.raises(UsageError) as caught:
        prepare(["secrets", "remove", "k"], root)
    assert "'remove'" in caught.value.message


# --- help -------------------------------------------------------------------------


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_flags_become_fires_help(root, flag):
    assert prepare(["secrets", "set", flag], root) == ["secrets", "set", "--", "--help"]
    assert prepare(["secrets", flag], root) == ["secrets", "--", "--help"]


def test_help_after_double_dash_is_a_value(root):
    args = prepare(["secrets", "set", "k", "--", "--help"], root)
    assert dict(literal(arg) for arg in args[2:]) == {"name": "k", "value": "--help"}


def test_a_group_alone_shows_its_help(root):
    assert prepare(["secrets"], root) == ["secrets"]
    assert prepare([], root) == []


# --- Fire then calls the command with exactly those strings ------------------------


@pytest.mark.parametrize("value", MANGLED)
def test_fire_calls_set_with_the_exact_value(root, calls, value):
    run_fire(root, ["secrets", "set", "k", "--", value])
    assert calls == [("set_secret", "k", value, ("label", None))]
    assert type(calls[0][2]) is str


@pytest.mark.parametrize("name", ["123", "None", "[1,2]", "-", "True", "1e3"])
def test_fire_calls_get_and_delete_with_the_exact_name(root, calls, name):
    run_fire(root, ["secrets", "get", "--", name])
    run_fire(root, ["secrets", "delete", "-f", "--", name])
    run_fire(root, ["secrets", "delete", "--", name])
    assert calls == [
        ("get_secret", name),
        ("delete_secret", name, ("force", True)),
        ("delete_secret", name, ("force", False)),
    ]


def test_fire_calls_set_without_a_value_as_none(root, calls):
    run_fire(root, ["secrets", "set", "k"])
    assert calls == [("set_secret", "k", None, ("label", None))]


def test_fire_calls_list_with_a_boolean(root, calls):
    run_fire(root, ["secrets", "list"])
    run_fire(root, ["secrets", "list", "--json"])
    assert calls == [("list_secrets", ("as_json", False)), ("list_secrets", ("as_json", True))]


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
def test_fire_delivers_any_string_exactly(root, calls, value):
    calls.clear()
    run_fire(root, ["secrets", "set", "--", "name", value])
    assert calls == [("set_secret", "name", value, ("label", None))]


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
    [request] = leger.registry.requests
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
    with canned_server() as server:
        server.respond_json(*wire.V01.set_answer("k", created=True))
        result = cli.use_api(server.url).run(*typed_set(value), env={"LEGER_TOKEN": "t"})
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
def test_label_is_an_option_that_takes_a_value(root, calls, argv):
    run_fire(root, argv)
    assert calls == [("set_secret", "k", "v", ("label", "Prod DB"))]


def test_label_is_never_filled_by_position(root, calls):
    with pytest.raises(UsageError, match="Too many arguments"):
        prepare(["secrets", "set", "k", "v", "extra"], root)


def test_label_without_a_value_is_a_usage_error(root, calls):
    with pytest.raises(UsageError, match="--label needs a value"):
        prepare(["secrets", "set", "k", "v", "--label"], root)
