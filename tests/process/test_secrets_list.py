"""``leger secrets list`` on a real terminal: the same table, and plain JSON."""

from __future__ import annotations

import json

from tests.support import wire
from tests.support.text import ESC

# --- a real terminal ---------------------------------------------------------------------------


def test_list_json_on_a_terminal_is_plain_json_too(mocked_cli):
    code, output, stderr = mocked_cli.terminal("secrets", "list", "--json").finish()
    assert code == 0, stderr
    assert json.loads(output.replace(b"\r\n", b"\n")) == [
        {**row, "label": None} for row in wire.EXAMPLE_ROWS
    ]
    assert ESC not in output


def test_list_on_a_terminal_is_the_same_table(mocked_cli):
    code, output, stderr = mocked_cli.terminal("secrets", "list").finish()
    assert code == 0, stderr
    assert output.replace(b"\r\n", b"\n") == wire.EXAMPLE_TABLE.encode()
