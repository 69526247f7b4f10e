"""``leger.argv``: the user's command line reaches each command exactly as typed.

Fire alone would turn ``123`` into an int, ``[1,2]`` into a list, ``None`` into
None and a lone ``-`` into its separator. These tests check what ``prepare``
hands Fire and that Fire then calls the command with exactly the typed strings
(tests/support/commands.py records the calls). Also:

- keyword-only parameters are options: ``--format json``, ``--format=json``, ``-f json``;
- ``leger run`` requires ``--`` and hands everything after it over untouched,
  as one list, however much it looks like leger's own options;
- an unknown command or option is named (when it looks like one, never when it
  may be a misplaced secret) with the nearest real one suggested;
- long-only options (``Param(short=False)``) get no one-letter form, and take none from others.

That those strings are what goes over the wire is tested on whole command lines
in tests/cli/test_argv.py, and with the OS's argv in tests/process/test_argv.py.
"""

from __future__ import annotations

import ast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leger import commands as registry
from leger.argv import Signature, parse
from leger.command import Command, Param
from leger.errors import ExitCode, UsageError
from tests.support.argv import MANGLED, SECRET
from tests.support.commands import fire_call, record


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
    assert "--" in (caught.value.hint or "")


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


MISPLACED = "sk-live-4f9Qx"  # a secret typed where a command word or option belongs


def bound(args: list[str]) -> dict[str, object]:
    """Fire's keyword arguments (``--key=<literal>``) back to a dict."""
    pairs = [arg[2:].partition("=") for arg in args if arg.startswith("--")]
    return {key: ast.literal_eval(text) for key, _, text in pairs}


# --- run: everything after '--' is the command, untouched ----------------------------

TAIL = ["--only", "x", "--help", "-h", "--", "123", "None", "[1]", "it's", "a\nb", "-", "😀"]


def test_run_binds_the_tail_as_one_list():
    args = prepare(["run", "--", "cmd", *TAIL])
    assert args[0] == "run"
    assert bound(args[1:]) == {"command": ["cmd", *TAIL]}


@pytest.mark.parametrize("options", [["--only", "a,b"], ["--only=a,b"], ["-o", "a,b"], ["-o=a,b"]])
def test_run_only_spellings(options):
    args = prepare(["run", *options, "--", "env"])
    assert bound(args[1:]) == {"only": "a,b", "command": ["env"]}


def test_fire_calls_run_with_the_exact_list(calls):
    fire_call(["run", "--only", "k", "--", "cmd", *TAIL])
    assert calls == [("run", ["cmd", *TAIL], ("only", "k"))]


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["run", "env"], "Put '--' before the command"),
        (["run", "--only", "k", "env"], "Put '--' before the command"),
        (["run"], "Missing COMMAND after '--'"),
        (["run", "--"], "Missing COMMAND after '--'"),
        (["run", "--only"], "--only needs a value"),
        (["run", "--only", "a", "--only", "b", "--", "x"], "--only is given twice"),
    ],
)
def test_run_usage_errors(argv, says):
    with pytest.raises(UsageError) as caught:
        prepare(argv)
    assert says in caught.value.message
    assert caught.value.exit_code == ExitCode.USAGE


def test_run_usage_line():
    with pytest.raises(UsageError) as caught:
        prepare(["run"])
    assert caught.value.hint == (
        "Usage: leger run [--only NAMES] [--max-age DURATION] [--offline] [--no-cache]"
        " -- COMMAND [ARG...]"
    )


def test_help_before_the_tail_is_leger_help_after_it_is_the_commands():
    assert parse(["run", "--help"]).help
    assert bound(prepare(["run", "--", "git", "--help"])[1:]) == {"command": ["git", "--help"]}


# --- export and import ----------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        ["--format", "json", "--only", "a"],
        ["--format=json", "--only=a"],
        ["-f", "json", "-o", "a"],
        ["--only", "a", "--format", "json"],
    ],
)
def test_export_options(calls, options):
    fire_call(["secrets", "export", *options])
    assert calls == [("export_secrets", ("format", "json"), ("only", "a"))]


def test_export_defaults(calls):
    fire_call(["secrets", "export"])
    assert calls == [("export_secrets",)]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["secrets", "import", "f.env"], ("f.env", False)),
        (["secrets", "import", "-"], ("-", False)),
        (["secrets", "import", "--dry-run", "f.env"], ("f.env", True)),
        (["secrets", "import", "f.env", "-d"], ("f.env", True)),
        (["secrets", "import", "--", "-odd name"], ("-odd name", False)),
    ],
)
def test_import_binding(calls, argv, expected):
    fire_call(argv)
    file, dry_run = expected
    assert calls == [("import_secrets", file, *([("dry_run", True)] if dry_run else []))]


def test_import_is_a_command_despite_being_a_keyword():
    assert "import" in registry.children("secrets")
    assert registry.children("") == ["auth", "secrets", "cache", "podman", "run", "completion"]


# --- naming the unknown, suggesting the known -------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message", "suggestion"),
    [
        (["secret", "list"], "Unknown command 'secret' for 'leger'", "Did you mean 'secrets'?"),
        (["secrets", "lst"], "Unknown command 'lst' for 'leger secrets'", "Did you mean 'list'?"),
        (
            ["secrets", "exports"],
            "Unknown command 'exports' for 'leger secrets'",
            "Did you mean 'export'?",
        ),
        (["rnu", "--", "x"], "Unknown command 'rnu' for 'leger'", "Did you mean 'run'?"),
        (
            ["auth", "status", "--jsn"],
            "Unknown option '--jsn' for 'leger auth status'",
            "Did you mean '--json'?",
        ),
        (
            ["secrets", "export", "--formats", "json"],
            "Unknown option '--formats' for 'leger secrets export'",
            "Did you mean '--format'?",
        ),
        (
            ["secrets", "import", "x", "--dryrun"],
            "Unknown option '--dryrun' for 'leger secrets import'",
            "Did you mean '--dry-run'?",
        ),
    ],
)
def test_unknown_words_are_named_with_the_nearest_suggested(argv, message, suggestion):
    with pytest.raises(UsageError) as caught:
        prepare(argv)
    assert caught.value.message == message
    assert (caught.value.hint or "").startswith(suggestion + "\n")


def test_nothing_close_suggests_nothing():
    with pytest.raises(UsageError) as caught:
        prepare(["auth", "status", "--verbose"])
    assert caught.value.message == "Unknown option '--verbose' for 'leger auth status'"
    assert caught.value.hint is not None
    assert "Did you mean" not in caught.value.hint


@pytest.mark.parametrize(
    "argv",
    [
        ["secrets", "set", "k", f"-{MISPLACED}"],
        ["secrets", "set", "k", f"--{MISPLACED}"],
        ["secrets", "set", "k", "--Passw0rd"],
        ["secrets", "set", "k", "--json=" + MISPLACED],
        ["secrets", "export", f"--{MISPLACED}=x"],
        ["auth", "status", "--hunter2"],
        ["secrets", MISPLACED],
    ],
)
def test_words_that_may_be_a_misplaced_secret_are_never_echoed(argv):
    with pytest.raises(UsageError) as caught:
        prepare(argv)
    shown = caught.value.message + (caught.value.hint or "")
    for piece in (MISPLACED, "Passw0rd", "hunter2", "4f9Qx"):
        assert piece not in shown


def test_an_option_with_a_value_is_named_without_the_value():
    with pytest.raises(UsageError) as caught:
        prepare(["auth", "status", f"--token={MISPLACED}"])
    assert caught.value.message == "Unknown option '--token' for 'leger auth status'"
    assert caught.value.hint is not None
    assert MISPLACED not in caught.value.hint


# --- long-only options: no one-letter form, and none taken from others ----------------------------


def cmd(
    _ctx: object, *, only: str | None = None, offline: bool = False, no_cache: bool = False
) -> None:
    """A stand-in with run's options."""


def test_a_long_only_option_neither_gets_nor_takes_a_letter():
    plain = Command(run=cmd, summary="s", params={"only": Param("o"), "offline": Param("x")})
    assert Signature.of(plain).short_names() == {"no_cache": "-n"}
    long_only = Command(
        run=cmd,
        summary="s",
        params={
            "only": Param("o"),
            "offline": Param("x", short=False),
            "no_cache": Param("n", short=False),
        },
    )
    assert Signature.of(long_only).short_names() == {"only": "-o"}


@pytest.mark.parametrize("path", ["run", "secrets export"])
def test_o_is_still_only_where_offline_was_added(path):
    assert Signature.of(registry.load(path)).short_names()["only"] == "-o"


@pytest.mark.parametrize("letter", ["-n", "-m"])
def test_the_cache_options_have_no_one_letter_form(letter):
    with pytest.raises(UsageError, match="Unknown option"):
        parse(["secrets", "get", "k", letter])
