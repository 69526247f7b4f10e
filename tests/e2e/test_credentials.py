"""Tokens end to end: edited, short-lived, no longer accepted, or from LEGER_TOKEN.

The per-command cases run in-process for every command in
tests/cli/test_credentials.py (the same scenarios, tests/support/flows.py) and
here through the installed ``leger`` for one. Each test watches the validating
proxy's log for contract violations (tests/fixtures/contract_watch.py).
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

from tests.fixtures.backend import (
    ALICE,
    LocalBackend,
)
from tests.support.flows import (
    RELOGIN_HINT,
    SECRET_COMMANDS,
    edited_past_expiry_is_refused_before_any_request,
    get,
    jwt_expiry,
    login,
    ok,
    parse_rfc3339,
    rewrite_expiry,
    token_no_longer_accepted_is_exit_4,
)


def test_an_edited_past_expiry_is_refused_by_the_installed_leger(cli, api):
    edited_past_expiry_is_refused_before_any_request(cli, api, SECRET_COMMANDS[0])


def test_a_token_that_lived_one_second(cli, start_backend, start_proxy, watch):
    backend: LocalBackend = start_backend("--token-ttl", "1")
    proxy = start_proxy(backend)
    watch(proxy)
    login(cli, proxy)
    stored = json.loads(cli.auth_file.read_text())
    expires = parse_rfc3339(stored["expires_at"])
    assert expires <= datetime.now(UTC) + timedelta(seconds=1)
    token = stored["token"]

    time.sleep(1.5)

    # leger knows when its token expires: it refuses without asking the server
    before = backend.state()["requests"]
    result = cli.run("secrets", "list")
    assert result.returncode == 4, (result.out, result.stderr)
    assert result.stderr.startswith(f"Error: Token expired\n\n{RELOGIN_HINT}\n")
    assert backend.state()["requests"] == before

    # a client that believes the token is still good meets the server's 401
    rewrite_expiry(cli, datetime.now(UTC) + timedelta(days=1))
    result = cli.run("secrets", "list")
    assert result.returncode == 4, (result.out, result.stderr)
    assert result.stdout == b""
    assert result.stderr == (
        f"Error: leger.run rejected the token (invalid or expired)\n\n{RELOGIN_HINT}\n"
    )
    assert backend.state()["requests"] == before + 1  # one request, not retried

    # the same through LEGER_TOKEN: the JWT's own exp says it has expired
    cli.auth_file.unlink()
    before = backend.state()["requests"]
    result = cli.run("secrets", "list", env={"LEGER_TOKEN": token})
    assert result.returncode == 4, (result.out, result.stderr)
    assert result.stderr.startswith("Error: The token in LEGER_TOKEN expired at ")
    assert token not in result.stderr
    assert backend.state()["requests"] == before

    # a token the server does not know (no exp to read) meets the server's 401
    result = cli.run("secrets", "list", env={"LEGER_TOKEN": "not-a-token-it-knows"})
    assert result.returncode == 4, (result.out, result.stderr)
    assert "leger.run rejected the token in LEGER_TOKEN" in result.stderr


def test_a_token_the_server_no_longer_accepts_is_exit_4_for_the_installed_leger(cli, api):
    token_no_longer_accepted_is_exit_4(cli, api, SECRET_COMMANDS[0], "revoke_all")


def test_leger_token_works_without_any_auth_file(cli, any_api):
    api = any_api
    token = api.login(ALICE)
    env = {"LEGER_TOKEN": token}
    cli.use_api(api.url)

    status = ok(cli.run("auth", "status", env=env))
    expires = jwt_expiry(token)
    assert status.out == (
        "Authenticated\n  Source: LEGER_TOKEN environment variable\n"
        f"  Expires: {expires} (read from the token)\n"
        f"  Server: {api.url} (routes not known yet)\n"
    )
    result = ok(cli.run("secrets", "set", "ci_key", "S3CRET-ci", env=env))
    assert result.out.startswith("Secret created\n")
    assert ok(cli.run("secrets", "get", "ci_key", env=env)).stdout == b"S3CRET-ci"
    listed = json.loads(ok(cli.run("secrets", "list", "--json", env=env)).stdout)
    assert [row["name"] for row in listed] == ["ci_key"]
    assert token not in result.out + result.stderr + status.out
    assert not cli.auth_file.exists()
    assert not cli.config_dir.exists()

    # the same Tailscale user logging in interactively sees the same secret
    login(cli, api)
    assert get(cli, "ci_key") == b"S3CRET-ci"
