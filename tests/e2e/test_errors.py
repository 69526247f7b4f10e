"""A rate limit end to end: leger says when to try again, without waiting a minute.

Each test watches the validating proxy's log for contract violations
(tests/fixtures/contract_watch.py).
"""

from __future__ import annotations

import time

from tests.support.flows import (
    login,
)

# --- rate limiting ------------------------------------------------------------------------------


def test_rate_limited_says_when_to_try_again(cli, api):
    login(cli, api)
    before = api.backend.state()["requests"]
    api.backend.rate_limit(after=0, retry_after=60)
    try:
        started = time.monotonic()
        result = cli.run("secrets", "list")
        took = time.monotonic() - started
        requests = api.backend.state()["requests"] - before
    finally:
        api.backend.rate_limit(None)
    assert result.returncode == 1, (result.out, result.stderr)
    assert result.stdout == b""
    assert "Rate limited by leger.run: try again in 60 seconds" in result.stderr
    assert requests == 1  # a minute is too long to wait: no retry
    assert took < 30
