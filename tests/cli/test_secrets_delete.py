"""``leger secrets delete``: ``--force``, the confirmation on a terminal, and both route forms.

Whole command lines in-process (the ``leger`` fixture,
tests/support/inprocess.py), against the mock registry or a live local backend
behind a validating Prism proxy (the ``live`` fixture).
"""

from __future__ import annotations

import pytest

from tests.support import wire
from tests.support.httpmock import each_form
from tests.support.inprocess import get_value, listed
from tests.support.text import ESC, GREEN_CHECK, not_found_message


@pytest.mark.parametrize("flag", ["--force", "-f", "--force=yes"])
def test_delete_with_force(authed, flag):
    authed.server.deletes("openai_api_key")
    result = authed.run("secrets", "delete", "openai_api_key", flag)
    assert result.exit_code == 0, result.stderr
    assert result.out == "Secret openai_api_key deleted\n  Deleted at: 2025-10-16T15:30:00Z\n"
    assert result.stderr == ""


def test_delete_force_before_the_name(authed):
    authed.server.deletes("openai_api_key")
    result = authed.run("secrets", "delete", "-f", "openai_api_key")
    assert result.exit_code == 0, result.stderr
    assert result.out.startswith("Secret openai_api_key deleted\n")


# --- delete's confirmation ----------------------------------------------------------------


@pytest.mark.parametrize("flag", [(), ("--noforce",)])
def test_delete_without_a_terminal_or_force_refuses_and_sends_nothing(authed, flag):
    result = authed.run("secrets", "delete", "k", *flag, stdin=b"y\n")
    assert result.exit_code == 2
    assert result.stdout == b""
    assert "--force" in result.stderr
    assert "leger secrets delete k --force" in result.stderr


@pytest.mark.parametrize("answer", [b"n\n", b"\n", b"no\n", b"nope\n", b"yes please\n", b""])
def test_delete_on_a_terminal_cancels_on_anything_but_yes(authed, answer):
    result = authed.run("secrets", "delete", "k", stdin=answer, tty=True)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == 'Delete secret "k"? [y/N] Cancelled\n'
    assert b"deleted" not in result.stdout


@pytest.mark.parametrize("answer", [b"y\n", b"Y\n", b"yes\n", b"YES\n", b" y \n"])
def test_delete_on_a_terminal_deletes_on_yes(authed, answer):
    authed.server.deletes("k")
    result = authed.run("secrets", "delete", "k", stdin=answer, tty=True)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == 'Delete secret "k"? [y/N] '
    assert result.stdout.startswith(GREEN_CHECK + b"Secret k deleted")
    assert authed.registry.sent() == [wire.V01.delete("k")]


def test_delete_on_a_terminal_with_force_does_not_ask(authed):
    authed.server.deletes("k")
    result = authed.run("secrets", "delete", "k", "-f", tty=True)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert b"Secret k deleted" in result.stdout


def test_delete_on_a_terminal_when_not_logged_in_says_so_before_asking(leger):
    result = leger.run("secrets", "delete", "k", stdin=b"y\n", tty=True)
    assert result.exit_code == 4
    assert "Delete secret" not in result.stderr
    assert "leger auth login" in result.stderr


def test_delete_with_force_removes_it(live):
    live.run("secrets", "set", "k", live.secret("S3CRET-del"))
    live.run("secrets", "set", "keep", live.secret("S3CRET-keep"))
    result = live.run("secrets", "delete", "k", "--force")
    assert result.exit_code == 0, result.stderr
    lines = result.out.splitlines()
    assert lines[0] == "Secret k deleted"
    assert lines[1].startswith("  Deleted at: 20")
    assert listed(live) == {"keep": 1}
    gone = live.run("secrets", "get", "k")
    assert gone.exit_code == 1
    assert gone.stderr == not_found_message("k")


def test_delete_without_a_terminal_refuses_and_keeps_the_secret(live):
    live.run("secrets", "set", "k", live.secret("S3CRET-kept"))
    for stdin in (b"", b"y\n", b"yes\n"):
        result = live.run("secrets", "delete", "k", stdin=stdin)
        assert result.exit_code == 2
        assert "--force" in result.stderr
        assert result.stdout == b""
    assert get_value(live, "k") == b"S3CRET-kept"


@pytest.mark.parametrize("answer", [b"n\n", b"\n", b"N\n", b"x\n"])
def test_delete_on_a_terminal_answered_no_keeps_the_secret(live, answer):
    live.run("secrets", "set", "k", live.secret("S3CRET-kept"))
    result = live.run("secrets", "delete", "k", stdin=answer, tty=True)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == 'Delete secret "k"? [y/N] Cancelled\n'
    assert b"deleted" not in result.stdout
    assert get_value(live, "k") == b"S3CRET-kept"


@pytest.mark.parametrize("answer", [b"y\n", b"yes\n"])
def test_delete_on_a_terminal_answered_yes_deletes(live, answer):
    live.run("secrets", "set", "k", live.secret("S3CRET-gone"))
    result = live.run("secrets", "delete", "k", stdin=answer, tty=True)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == 'Delete secret "k"? [y/N] '
    assert result.stdout.startswith(GREEN_CHECK + b"Secret k deleted")
    assert listed(live) == {}


def test_delete_on_a_terminal_with_no_color_is_plain(live):
    live.run("secrets", "set", "k", live.secret("S3CRET-gone"))
    result = live.run("secrets", "delete", "k", stdin=b"y\n", tty=True, env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.stderr
    assert ESC not in result.stdout
    assert result.stdout.startswith(b"Secret k deleted")


@each_form
def test_delete_says_deleted_at_only_when_the_server_sent_it(authed, form):
    authed.speaks(form).deletes("k")
    result = authed.run("secrets", "delete", "k", "--force")
    assert result.exit_code == 0, result.stderr
    expected = "Secret k deleted\n"
    if form is wire.V01:
        expected += "  Deleted at: 2025-10-16T15:30:00Z\n"
    assert result.out == expected
