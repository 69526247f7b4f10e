"""``leger auth logout`` end to end: then status and commands say not authenticated.

Each test watches the validating proxy's log for contract violations
(tests/fixtures/contract_watch.py).
"""

from __future__ import annotations

from tests.support.flows import (
    LOGIN_HINT,
    get,
    login,
    ok,
)


def test_logout_then_status_says_not_authenticated(cli, any_api):
    api = any_api
    login(cli, api)
    ok(cli.run("secrets", "set", "api_key", "S3CRET-kept"))
    result = ok(cli.run("auth", "logout"))
    assert result.out.startswith("Logged out\n  leger.run cannot revoke tokens: the removed one ")
    assert not cli.auth_file.exists()

    status = cli.run("auth", "status")
    assert status.returncode == 4
    assert status.out == f"Not authenticated\n\n{LOGIN_HINT}\n"

    before = api.backend.state()["requests"]
    listed = cli.run("secrets", "list")
    assert listed.returncode == 4
    assert listed.stderr == f"Error: Not authenticated\n\n{LOGIN_HINT}\n"
    assert api.backend.state()["requests"] == before  # refused before any request

    # logging in again finds the secret where it was
    login(cli, api)
    assert get(cli, "api_key") == b"S3CRET-kept"
