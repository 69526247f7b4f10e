"""Text from the server cannot send escape sequences to the terminal (leger/terminal.py)."""

from __future__ import annotations

import pytest

from tests.support import wire


@pytest.mark.parametrize(
    ("argv", "data"),
    [
        (
            ("secrets", "list"),
            {
                "secrets": [
                    {
                        "name": "evil\u001b]0;owned\u0007\u001b[2J",
                        "created_at": "2025-10-15T10:00:00Z",
                        "updated_at": "2025-10-15T10:00:00Z",
                        "version": 1,
                    }
                ],
                "total_count": 1,
            },
        ),
        (
            ("secrets", "set", "k", "S3CRET-v"),
            {
                "name": "evil\u001b[2J",
                "version": 1,
                "updated_at": "2025-10-15T10:00:00Z",
                "message": "Secret updated successfully",
            },
        ),
    ],
)
def test_names_from_the_server_cannot_send_escape_sequences_to_the_terminal(authed, argv, data):
    # The contract allows only [A-Za-z0-9_-] in a name; a server that breaks it must
    # not get to clear the screen or retitle the terminal through leger's output.
    authed.secret("S3CRET-v")
    authed.server.answers(authed.server.route_of(argv[1]), 200, wire.ok(data))
    result = authed.run(*argv)
    # A set answer for another name is a server of the other route form, and a listed
    # name that breaks the name rule is not used: both are errors.
    assert result.exit_code == 1, result.stderr
    assert b"\x1b" not in result.stdout
    assert "\x1b" not in result.stderr
    assert b"\x07" not in result.stdout
