"""``leger secrets get`` and the offline cache, in-process: the value alone on stdout, always.

A get is recorded as one secret (never as all of them); a 404 removes the
secret from the cache; ``--offline`` reads the cache and sends nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from leger.errors import ExitCode
from tests.support import wire
from tests.support.httpmock import fail_with
from tests.support.inprocess import Leger

T0 = datetime(2026, 11, 28, 10, 0, 0, tzinfo=UTC)
LATER = T0 + timedelta(minutes=5)
FORMS = pytest.mark.parametrize("form", wire.FORMS, ids=[form.name for form in wire.FORMS])


@pytest.fixture
def app(leger: Leger) -> Leger:
    leger.with_token().speaks(wire.REST)
    return leger


def get(app: Leger, *args: str, at: datetime = LATER):
    return app.run("secrets", "get", *args, now=lambda: at)


@FORMS
def test_get_records_the_value_and_it_stands_in_when_leger_run_is_unreachable(leger, form):
    leger.with_token().speaks(form).has_secret("k", leger.secret("v-1\nwith a newline"))
    assert get(leger, "k", at=T0).stdout == b"v-1\nwith a newline"
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
    assert get(app, "k", at=T0).exit_code == 0
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
