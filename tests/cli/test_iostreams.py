"""Colour and symbols only on a terminal, never with NO_COLOR, never when piped.

Whole command lines in-process (the ``leger`` fixture,
tests/support/inprocess.py), on streams that claim to be a terminal or not
(leger/iostreams.py decides). A real terminal is in tests/process/.
"""

from __future__ import annotations

import pytest

from tests.support import wire
from tests.support.inprocess import Leger
from tests.support.text import ESC, GREEN_CHECK

SET_AND_DELETE = [
    (("secrets", "set", "k", "S3CRET-colour"), b"Secret updated"),
    (("secrets", "delete", "k", "--force"), b"Secret k deleted"),
]


def answer_set_or_delete(leger: Leger, argv: tuple[str, ...]) -> None:
    if argv[1] == "set":
        leger.server.stores("k", created=False, version=3)
    else:
        leger.server.deletes("k")


@pytest.mark.parametrize(("argv", "line"), SET_AND_DELETE)
def test_success_has_a_green_check_on_a_terminal(authed, argv, line):
    authed.secret("S3CRET-colour")
    answer_set_or_delete(authed, argv)
    result = authed.run(*argv, tty=True)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(GREEN_CHECK + line)
    assert result.stderr == ""


@pytest.mark.parametrize(("argv", "line"), SET_AND_DELETE)
def test_no_color_on_a_terminal_means_plain(authed, argv, line):
    authed.secret("S3CRET-colour")
    answer_set_or_delete(authed, argv)
    result = authed.run(*argv, tty=True, env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(line + b"\n")
    assert ESC not in result.stdout
    assert "✓".encode() not in result.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ("secrets", "set", "k", "S3CRET-colour"),
        ("secrets", "delete", "k", "--force"),
        ("secrets", "list"),
        ("secrets", "get", "k"),
    ],
)
def test_piped_output_is_plain(authed, argv):
    authed.secret("S3CRET-colour")
    if argv[1] == "list":
        authed.server.lists(*wire.EXAMPLE_ROWS)
    elif argv[1] == "get":
        authed.server.has_secret("k", "v")
    else:
        answer_set_or_delete(authed, argv)
    result = authed.run(*argv)
    assert result.exit_code == 0, result.stderr
    assert ESC.decode() not in result.out + result.stderr
    assert "✓" not in result.out + result.stderr
