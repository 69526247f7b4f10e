"""``leger secrets delete`` on a real terminal asks on stderr, and only a yes deletes."""

from __future__ import annotations

import pytest

from tests.support import wire
from tests.support.text import GREEN_CHECK


@pytest.mark.parametrize(("answer", "deleted"), [(b"y\n", True), (b"\x04", False)])
def test_delete_on_a_terminal_asks_on_stderr(cli, answer, deleted):
    with cli.canned() as server:
        server.respond_json(*wire.V01.delete_answer("k"))
        session = cli.terminal("secrets", "delete", "k")
        session.send(answer)
        code, output, stderr = session.finish()
    assert code == 0, stderr
    if deleted:
        assert stderr == 'Delete secret "k"? [y/N] '
        assert GREEN_CHECK + b"Secret k deleted" in output
        assert [(r.method, r.path) for r in server.requests] == [wire.V01.delete("k")]
    else:
        assert stderr == 'Delete secret "k"? [y/N] Cancelled\n'
        assert b"deleted" not in output
        assert server.requests == []
