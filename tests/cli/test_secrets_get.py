"""``leger secrets get`` prints the value and nothing else, and nothing at all on a failure.

Whole command lines in-process (the ``leger`` fixture, tests/support/inprocess.py).
"""

from __future__ import annotations

import pytest

from tests.support import wire
from tests.support.faulty import faulty_server, truncated
from tests.support.httpmock import each_form


@pytest.mark.parametrize("tty", [False, True])
def test_get_prints_the_value_and_nothing_else(authed, tty):
    authed.server.has_secret("openai_api_key", wire.EXAMPLE_VALUE)
    result = authed.run("secrets", "get", "openai_api_key", tty=tty)
    assert (result.exit_code, result.stdout, result.stderr) == (0, b"sk-proj-abc123", "")


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b'{"success": true, "data": {"name": "k", "value": "S3CRET-truncated', "cannot read"),
        # A success envelope of the wrong shape is what the other route form answers.
        (
            b'{"success": true, "data": {"name": "k", "value": "S3CRET-truncated"}}',
            "routes do not match",
        ),
        (
            b'{"success": true, "data": {"name": "k", "value": ["S3CRET-truncated"], '
            b'"version": 1}}',
            "routes do not match",
        ),
        (
            b'{"success": false, "data": {"name": "k", "value": "S3CRET-truncated", "version": 1}}',
            "cannot read",
        ),
    ],
)
def test_get_with_an_unreadable_answer_does_not_print_the_value(authed, body, says):
    authed.secret("S3CRET-truncated")
    authed.server.answers_raw(authed.server.form.get("k"), 200, body)
    result = authed.run("secrets", "get", "k")
    assert result.exit_code == 1
    assert result.stdout == b""
    assert says in result.stderr


def test_get_when_the_connection_drops_mid_body_does_not_print_the_value(authed):
    value = authed.secret("S3CRET-dropped")
    partial = f'{{"success": true, "data": {{"name": "k", "value": "{value}'.encode()
    with faulty_server(truncated(200, partial, declared=500)) as server:
        result = authed.use_api(server.url).run("secrets", "get", "k")
    assert result.exit_code == 1
    assert result.stdout == b""
    assert "peer closed connection without sending complete message body" in result.stderr


@each_form
def test_get_prints_the_value_byte_for_byte(authed, form):
    value = authed.secret("line one\nline two \u00e9\U0001f600")
    authed.speaks(form).has_secret("k", value)
    result = authed.run("secrets", "get", "k")
    assert (result.exit_code, result.stdout, result.stderr) == (0, value.encode(), "")
