"""``leger`` itself: help, usage errors, and a whole session as a new user.

Whole command lines in-process (the ``leger`` fixture,
tests/support/inprocess.py). Help of every command is rendered by leger/help.py
from the registry.
"""

from __future__ import annotations

import pytest

from tests.support.inprocess import get_value, listed
from tests.support.text import PEM


@pytest.mark.parametrize(
    "argv", [(), ("--help",), ("auth",), ("secrets", "--help"), ("auth", "login", "-h")]
)
def test_help_exits_0_and_shows_the_docstrings(leger, argv):
    result = leger.run(*argv)
    assert result.exit_code == 0
    assert "leger" in result.out
    assert result.stderr == ""


@pytest.mark.parametrize(
    "argv",
    [
        ("frobnicate",),
        ("auth", "frobnicate"),
        ("auth", "status", "--nope"),
        ("auth", "status", "extra"),
        ("secrets", "get"),
        ("secrets", "set", "a", "b", "c"),
    ],
)
def test_usage_errors_exit_2_without_a_traceback(leger, argv):
    result = leger.run(*argv)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr


def test_the_whole_story_as_a_new_user(live, tmp_path):
    key = tmp_path / "id"
    key.write_text(PEM)
    live.secret(PEM.strip())
    steps = [
        live.run("secrets", "set", "openai_api_key", live.secret("sk-test-S3CRET")),
        live.run("secrets", "set", "ssh_key", f"@{key}"),
        live.run("secrets", "set", "token", "-", stdin=b"S3CRET-piped\n"),
    ]
    assert [step.exit_code for step in steps] == [0, 0, 0]
    assert listed(live) == {"openai_api_key": 1, "ssh_key": 1, "token": 1}
    assert get_value(live, "openai_api_key") == b"sk-test-S3CRET"
    assert get_value(live, "ssh_key") == PEM.encode()
    assert get_value(live, "token") == b"S3CRET-piped"
    for name in ("openai_api_key", "ssh_key", "token"):
        assert live.run("secrets", "delete", name, "-f").exit_code == 0
    assert listed(live) == {}
