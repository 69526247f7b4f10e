"""``leger podman lookup`` and the offline cache, in-process: what Podman's shell driver
runs at a container's start gets the cached value when leger.run cannot answer."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from leger.cache import CacheInfo, SecretCache
from tests.support import wire
from tests.support.httpmock import fail_with
from tests.support.inprocess import DEFAULT_ENV, Leger

SERVER = DEFAULT_ENV["LEGER_API_URL"]
T0 = datetime(2026, 11, 28, 10, 0, 0, tzinfo=UTC)


@pytest.fixture
def app(leger: Leger) -> Leger:
    """Logged in to a REST server, the form recorded with the login (the lookup asks no other)."""
    leger.speaks(wire.REST)
    leger.logged_in(expires_at="2099-01-01T00:00:00Z")
    login = json.loads(leger.auth_file.read_text())
    leger.auth_file.write_text(json.dumps({**login, "api_routes": "rest"}))
    return leger


def lookup(app: Leger, *options: str, at: datetime = T0):
    return app.run(
        "podman", "lookup", "--server", SERVER, "--config-dir", str(app.config_dir),
        *options, "--", "k", now=lambda: at,
    )  # fmt: skip


def test_the_cached_value_stands_in_and_the_journal_says_so(app):
    app.server.has_secret("k", app.secret("VALUE-of-k"))
    assert lookup(app).stdout == b"VALUE-of-k"
    refused = fail_with(httpx.ConnectError("[Errno 111] Connection refused"))
    app.registry.register(*wire.REST.get("k"), refused, times=None)
    result = lookup(app, at=T0 + timedelta(hours=3))
    assert (result.exit_code, result.stdout) == (0, b"VALUE-of-k")
    assert result.stderr == (
        "leger.run unreachable (Connection refused); "
        "using secrets cached 2026-11-28T10:00:00Z (3h ago)\n"
    )


def test_the_cache_is_the_one_in_cache_dir(app, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    app.server.has_secret("k", app.secret("VALUE-of-k"))
    assert lookup(app, "--cache-dir", str(elsewhere)).exit_code == 0
    [entry] = SecretCache(elsewhere, warn=pytest.fail).status()
    assert isinstance(entry, CacheInfo), entry
    assert (entry.server, entry.user, entry.count) == (SERVER, wire.USER_UUID, 1)
    assert SecretCache(app.cache_dir, warn=pytest.fail).status() == []


def test_a_rejected_login_removes_the_cache_though_the_lookup_reports_the_error_itself(app):
    app.server.has_secret("k", app.secret("VALUE-of-k"))
    assert lookup(app).exit_code == 0
    app.server.rejects_token(wire.REST.get("k"))
    result = lookup(app)
    assert (result.exit_code, result.stdout) == (1, b"")
    assert result.stderr.count("\n") == 1  # the lookup's one line, nothing more
    assert result.stderr.startswith(
        f"leger: cannot read secret k from {SERVER}: leger.run rejected the token"
    )
    assert SecretCache(app.cache_dir, warn=pytest.fail).status() == []
