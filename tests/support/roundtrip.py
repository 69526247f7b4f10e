"""Setting a value, then reading it back byte for byte, through either runner.

The in-process ``leger`` and the installed ``cli`` both have ``run(...)`` results with
a ``returncode``, so the round-trip tests of both levels share these checks.
"""

from __future__ import annotations


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
