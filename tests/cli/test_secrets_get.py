"""``leger secrets get`` prints the value and nothing else, and nothing at all on a failure.

Whole command lines in-process (the ``leger`` fixture, tests/support/inprocess.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest

from leger.errors import ExitCode
from tests.support import wire
from tests.support.clock import NOW
from tests.support.faulty import faulty_server, truncated
from tests.support.httpmock import each_form, fail_with
from tests.support.inprocess import Leger


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


# --- the offline cache: the value alone on stdout, always -----------------------------------------
# A get is recorded as one secret (never as all of them); a 404 removes the
# secret from the cache; ``--offline`` reads the cache and sends nothing.

LATER = NOW + timedelta(minutes=5)


@pytest.fixture
def app(leger: Leger) -> Leger:
    leger.with_token().speaks(wire.REST)
    return leger


def get(app: Leger, *args: str, at: datetime = LATER):
    return app.run("secrets", "get", *args, now=lambda: at)


@each_form
def test_get_records_the_value_and_it_stands_in_when_leger_run_is_unreachable(leger, form):
    leger.with_token().speaks(form).has_secret("k", leger.secret("v-1\nwith a newline"))
    assert get(leger, "k", at=NOW).stdout == b"v-1\nwith a newline"
    leger.registry.register(
        *form.get("k"), fail_with(httpx.ConnectError("[Errno 111] Connection refused")), times=None
    )
    result = get(leger, "k")
    assert (result.exit_code, result.stdout) == (0, b"v-1\nwith a newline")
    assert result.stderr == (
        "leger.run unreachable (Connection refused); "
        "using secrets cached 2026-11-28T10:00:00Z (5m ago)\n"
    )


def test_a_get_is_one_secret_not_all_of_them(app):
    app.server.has_secret("k", app.secret("VALUE-of-k"))
    assert get(app, "k").exit_code == 0
    cached = app.run("secrets", "export", "--offline")
    assert cached.exit_code == ExitCode.ERROR
    assert "it holds only secrets fetched by name, not all of them" in cached.stderr


def test_a_secret_the_server_says_is_gone_is_removed_from_the_cache(app):
    for name in ("k", "other"):
        app.server.has_secret(name, app.secret(f"v-{name}"))
        assert get(app, name).exit_code == 0
    app.server.lacks("k")
    gone = get(app, "k")
    assert gone.exit_code == ExitCode.ERROR
    assert gone.stderr.startswith('Error: Secret "k" not found\n')
    offline = get(app, "k", "--offline")
    assert offline.exit_code == ExitCode.ERROR
    assert "for this login: it does not hold k" in offline.stderr
    assert get(app, "other", "--offline").stdout == b"v-other"


def test_offline_prints_the_cached_value_and_sends_nothing(app):
    app.server.has_secret("k", app.secret("VALUE-of-k"))
    assert get(app, "k", at=NOW).exit_code == 0
    sent = len(app.registry.requests)
    result = get(app, "k", "--offline", "--max-age", "10m")
    assert (result.exit_code, result.stdout) == (0, b"VALUE-of-k")
    assert result.stderr == (
        "leger.run not asked (--offline); using secrets cached 2026-11-28T10:00:00Z (5m ago)\n"
    )
    assert len(app.registry.requests) == sent


def test_offline_for_a_name_not_cached_is_an_error_naming_it(app):
    app.server.has_secret("k", app.secret("VALUE-of-k"))
    assert get(app, "k").exit_code == 0
    result = get(app, "other", "--offline")
    assert (result.exit_code, result.stdout) == (ExitCode.ERROR, b"")
    assert result.stderr.startswith(
        "Error: No usable offline cache of http://127.0.0.1:8787 for this login: "
        "it does not hold other\n"
    )


def test_a_bad_max_age_is_a_usage_error_before_anything_is_sent(app):
    result = get(app, "k", "--max-age", "1.5h")
    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, b"")
    assert "--max-age is not a duration: '1.5h'" in result.stderr
    assert app.registry.requests == []
