"""``leger auth logout``: idempotent, and it says when LEGER_TOKEN still logs in.

Whole command lines in-process (the ``leger`` fixture, tests/support/inprocess.py).
"""

from __future__ import annotations

from datetime import datetime

from leger.times import rfc3339_seconds
from tests.support.clock import future


def test_logout_removes_the_token_and_is_idempotent(leger):
    leger.logged_in(expires_at=future())
    first = leger.run("auth", "logout")
    assert first.exit_code == 0
    assert first.out == (
        "Logged out\n  leger.run cannot revoke tokens: the removed one stays valid on the "
        f"server until {rfc3339_seconds(datetime.fromisoformat(future()))}.\n"
    )
    assert not leger.auth_file.exists()
    second = leger.run("auth", "logout")
    assert second.exit_code == 0
    assert leger.run("auth", "status").out.startswith("Not authenticated")


def test_logout_warns_when_leger_token_is_still_set(leger):
    leger.with_token(leger.secret("env-token-xyz"))
    result = leger.run("auth", "logout")
    assert result.exit_code == 0
    assert "LEGER_TOKEN is still set" in result.stderr
