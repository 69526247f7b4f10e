"""A short Retry-After end to end: leger waits it out and the command succeeds.

Each test watches the validating proxy's log for contract violations
(tests/fixtures/contract_watch.py).
"""

from __future__ import annotations

import time

from tests.support.flows import (
    get,
    login,
    names,
    ok,
)


def test_a_short_retry_after_is_waited_out(cli, api):
    login(cli, api)
    before = api.backend.state()["requests"]
    api.backend.rate_limit(after=0, retry_after=1, times=1)
    started = time.monotonic()
    result = ok(cli.run("secrets", "set", "api_key", "S3CRET-patient"))
    took = time.monotonic() - started
    assert result.out.splitlines()[:3] == ["Secret created", "  Name: api_key", "  Version: 1"]
    assert api.backend.state()["requests"] - before == 2  # the 429, then the retry
    assert took >= 1.0

    api.backend.rate_limit(after=0, retry_after=1, times=1)
    assert get(cli, "api_key") == b"S3CRET-patient"
    assert names(cli) == {"api_key": 1}  # the refused attempt changed nothing
