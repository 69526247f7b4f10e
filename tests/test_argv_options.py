"""``leger.argv``: options with values, ``leger run``'s pass-through, and helpful usage errors.

- keyword-only parameters are options: ``--format json``, ``--format=json``, ``-f json``;
- ``leger run`` requires ``--`` and hands everything after it over untouched,
  as one list, however much it looks like leger's own options;
- an unknown command or option is named (when it looks like one, never when it
  may be a misplaced secret) with the nearest real one suggested.
"""

from __future__ import annotations

import ast

import pytest

from leger import commands as registry
from leger.argv import parse
from leger.errors import ExitCode, UsageError
from tests.support.commands import fire_call, record

SECRET = "sk-live-4f9Qx"


def prepare(argv: list[str]) -> list[str]:
    """What leger hands Fire for ``argv``: the command path, then ``--key=<literal>``."""
    invocation = parse(argv)
    assert not invocation.help
    return [*invocation.path.split(), *invocation.arguments]


def bound(args: list[str]) -> dict[str, object]:
    """Fire's keyword arguments (``--key=<literal>``) back to a dict."""
    pairs = [arg[2:].partition("=") for arg in args if arg.startswith("--")]
    return {key: ast.literal_eval(text) for key, _, text in pairs}


@pytest.fixture
def calls(monkeypatch) -> list[tuple]:
    return record(monkeypatch)


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
    assert caught.value.hint.startswith(suggestion + "\n")


def test_nothing_close_suggests_nothing():
    with pytest.raises(UsageError) as caught:
        prepare(["auth", "status", "--verbose"])
    assert caught.value.message == "Unknown option '--verbose' for 'leger auth status'"
    assert "Did you mean" not in caught.value.hint


@pytest.mark.parametrize(
    "argv",
    [
        ["secrets", "set", "k", f"-{SECRET}"],
        ["secrets", "set", "k", f"--{SECRET}"],
        ["secrets", "set", "k", "--Passw0rd"],
        ["secrets", "set", "k", "--json=" + SECRET],
        ["secrets", "export", f"--{SECRET}=x"],
        ["auth", "status", "--hunter2"],
        ["secrets", SECRET],
    ],
)
def test_words_that_may_be_a_misplaced_secret_are_never_echoed(argv):
    with pytest.raises(UsageError) as caught:
        prepare(argv)
    shown = caught.value.message + (caught.value.hint or "")
    for piece in (SECRET, "Passw0rd", "hunter2", "4f9Qx"):
        assert piece not in shown


def test_an_option_with_a_value_is_named_without_the_value():
    with pytest.raises(UsageError) as caught:
        prepare(["auth", "status", f"--token={SECRET}"])
    assert caught.value.message == "Unknown option '--token' for 'leger auth status'"
    assert SECRET not in caught.value.hint
