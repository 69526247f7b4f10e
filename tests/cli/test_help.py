"""``leger ... --help`` and ``-h`` as a user runs them: help on stdout, exit 0, nothing sent."""

from __future__ import annotations

import pytest

from leger import commands as registry
from leger.help import render


@pytest.mark.parametrize("flag", ["--help", "-h"])
@pytest.mark.parametrize("path", [*registry.GROUPS, *registry.COMMANDS])
def test_help_goes_to_stdout_with_exit_0(leger, path, flag):
    result = leger.run(*path.split(), flag)
    assert (result.exit_code, result.stderr) == (0, "")
    command = registry.load(path) if path in registry.COMMANDS else None
    assert result.out == render(path, command)


@pytest.mark.parametrize("argv", [(), ("secrets",), ("auth",)])
def test_a_group_alone_shows_its_help(leger, argv):
    result = leger.run(*argv)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.out == render(" ".join(argv), None)


def test_help_wins_over_a_missing_argument(leger):
    result = leger.run("secrets", "get", "--help")
    assert result.exit_code == 0
    assert result.out.startswith("Print a secret's value.\n")


def test_help_after_double_dash_is_a_value_not_help(leger):
    leger.with_token().server.has_secret("--help", "v")
    result = leger.run("secrets", "get", "--", "--help")
    assert (result.exit_code, result.stdout) == (0, b"v")
