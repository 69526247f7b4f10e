"""Each ``--json`` output has exactly the keys its command documents (help, README)."""

from __future__ import annotations

import json

from leger.commands import auth_status, secrets_list
from tests.support import wire


def test_auth_status_emits_the_documented_keys(leger):
    for setup in (lambda: None, leger.with_token):
        setup()
        result = leger.run("auth", "status", "--json")
        assert list(json.loads(result.stdout)) == list(auth_status.JSON_KEYS)


def test_secrets_list_emits_the_documented_keys(leger):
    leger.with_token().server.lists(wire.row("a"), wire.row("b"))
    [first, _] = json.loads(leger.run("secrets", "list", "--json").stdout)
    assert list(first) == list(secrets_list.JSON_KEYS)
