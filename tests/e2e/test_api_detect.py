"""Against a REST backend, nothing ever reaches v0.1's ``POST /secrets/set``.

Logged in (the form found and stored), with LEGER_TOKEN (probed), through every
command; the backend's names show no secret called ``set``. Each test watches
the validating proxy's log for contract violations
(tests/fixtures/contract_watch.py).
"""

from __future__ import annotations

import json

from tests.support.flows import (
    assert_not_found,
    login,
    ok,
)


def test_against_the_rest_form_nothing_ever_reaches_secrets_set(
    cli, fresh_proxied_rest_backend, watch, tmp_path
):
    # What leger.run deploys: v0.1's POST /secrets/set would overwrite a secret named "set".
    api = fresh_proxied_rest_backend
    watch(api)
    cli.env.pop("LEGER_API_ROUTES")  # leger finds the form itself
    user = login(cli, api)
    value_file = tmp_path / "value"
    value_file.write_text("S3CRET-from-a-file")
    for argv, stdin in [
        (("secrets", "set", "k", "S3CRET-arg"), b""),
        (("secrets", "set", "k", "-"), b"S3CRET-stdin\n"),
        (("secrets", "set", "k2", f"@{value_file}"), b""),
        (("secrets", "set", "db:url", "postgres://x", "--label", "Prod"), b""),
        (("secrets", "list"), b""),
        (("secrets", "list", "--json"), b""),
        (("secrets", "get", "k"), b""),
        (("secrets", "delete", "k", "--force"), b""),
        (("auth", "status"), b""),
    ]:
        ok(cli.run(*argv, stdin=stdin))
    assert_not_found(cli.run("secrets", "get", "k"), "k")
    assert_not_found(cli.run("secrets", "delete", "k", "--force"), "k")
    token = json.loads(cli.auth_file.read_text())["token"]
    env = {"LEGER_TOKEN": token}  # and the same with a token that has to be probed
    ok(cli.run("secrets", "set", "k3", "S3CRET-env", env=env))
    ok(cli.run("secrets", "list", env=env))
    ok(cli.run("auth", "logout"))

    paths = [request["path"] for request in api.backend.requests()]
    assert "/secrets/set" not in paths
    assert "set" not in api.backend.names(user)
    assert api.backend.names(user) == ["db:url", "k2", "k3"]
    assert ("POST", "/secrets/k") in [(r["method"], r["path"]) for r in api.backend.requests()]
