"""LEGER_* settings through whole command lines, in-process: refused before any request."""

from __future__ import annotations

from tests.support.clock import future


def test_plain_http_to_a_remote_host_is_refused_before_connecting(leger):
    leger.logged_in(expires_at=future())
    result = leger.run("secrets", "list", env={"LEGER_API_URL": "http://api.leger.run"})
    assert result.exit_code == 2
    assert "HTTPS is required" in result.stderr
    assert leger.registry.requests == []
