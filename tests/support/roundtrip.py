"""Setting a value, then reading it back byte for byte, through either runner.

The in-process ``leger`` and the installed ``cli`` both have ``run(...)`` results with
a ``returncode``, so the round-trip tests of both levels share these checks.
"""

from __future__ import annotations

from typing import TypeAlias

from tests.fixtures.cli import Cli
from tests.fixtures.cli import Result as ProcessResult
from tests.support.inprocess import Leger
from tests.support.inprocess import Result as InProcessResult

# Either runner, and either's result: both results have returncode, stdout, out, stderr.
Runner: TypeAlias = Cli | Leger
RunResult: TypeAlias = ProcessResult | InProcessResult


def positionals(*words: str) -> list[str]:
    """``words`` as positional arguments: behind ``--`` when one looks like an option."""
    return ["--", *words] if any(word.startswith("-") for word in words) else list(words)


def read_back(cli: Runner, name: str, value: str, how: str) -> None:
    """``leger secrets get NAME`` prints exactly ``value`` and nothing on stderr."""
    got = cli.run("secrets", "get", *positionals(name))
    assert got.returncode == 0, (how, got.stderr)
    assert got.stdout == value.encode("utf-8"), (how, name, value)
    assert got.stderr == "", (how, got.stderr)


def check_set(result: RunResult, how: str) -> None:
    """The set succeeded, without a traceback."""
    assert result.returncode == 0, (how, result.stderr)
    assert "Traceback" not in result.stderr
