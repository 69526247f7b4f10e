"""The redaction of leger/api/debug.py: what the server sent back is redacted too.

A fetched value echoed in a response header is redacted in the debug log, and a
value sent earlier is redacted in a later error. The whole LEGER_DEBUG=1 log is
tested through command lines in tests/cli/test_api_debug.py.
"""

from __future__ import annotations

import io

import pytest

from leger.errors import ServerError
from tests.support import wire
from tests.support.api import MockServer, answer, shown

VALUE = "v4lue-H0STILE-9e2c"


def test_a_fetched_value_echoed_in_a_header_is_redacted_in_the_debug_log() -> None:
    body = {"success": True, "data": {"name": "k", "value": VALUE, "version": 1}}
    log = io.StringIO()
    headers = {"X-Echo": f"value={VALUE}", "X-Trace": "plain"}
    server = MockServer(lambda request: answer(200, body, headers=headers))
    with server.client(debug=log) as client:
        assert client.get_secret("k").value == VALUE
    assert VALUE not in log.getvalue()
    assert "x-echo: value=[redacted]" in log.getvalue()
    assert "x-trace: plain" in log.getvalue()


def test_a_value_sent_earlier_is_redacted_in_a_later_error() -> None:
    responses = iter(
        [
            answer(
                201,
                {
                    "success": True,
                    "data": {
                        "name": "k",
                        "version": 1,
                        "updated_at": "2026-01-01T00:00:00Z",
                        "message": "ok",
                    },
                },
            ),
            answer(500, wire.error("internal_error", f"could not store {VALUE}")),
        ]
    )
    with MockServer(lambda request: next(responses)).client() as client:
        client.set_secret("k", VALUE)
        with pytest.raises(ServerError) as info:
            client.list_secrets()
    assert VALUE not in shown(info.value)
    assert "[redacted]" in info.value.message
