"""Which credentials a command sends (leger/credentials.py), and exit 4 when it has none.

No login, an expired one, or a token the server rejects: exit 4 with the way to
log in, and nothing sent that should not be. LEGER_TOKEN wins over the file.
Whole command lines in-process (the ``leger`` fixture, tests/support/inprocess.py),
against the mock registry or, for the scenarios tests/e2e/test_credentials.py runs
through the installed leger (tests/support/flows.py), the local backend behind a
validating Prism proxy.
"""

from __future__ import annotations

import pytest

from tests.support import wire
from tests.support.clock import future, past
from tests.support.flows import (
    SECRET_COMMANDS,
    edited_past_expiry_is_refused_before_any_request,
    token_no_longer_accepted_is_exit_4,
)
from tests.support.httpmock import each_form

NEEDS_LOGIN = [
    ("secrets", "list"),
    ("secrets", "get", "k"),
    ("secrets", "set", "k", "v"),
    ("secrets", "delete", "k", "--force"),
]


@pytest.mark.parametrize("argv", NEEDS_LOGIN)
def test_no_token_means_exit_4_with_the_login_hint(leger, argv):
    result = leger.run(*argv)
    assert result.exit_code == 4
    assert "Not authenticated" in result.stderr
    assert "leger auth login" in result.stderr
    assert result.stdout == b""
    assert leger.registry.requests == []


@pytest.mark.parametrize("argv", NEEDS_LOGIN)
def test_expired_token_is_refused_before_any_request(leger, argv):
    leger.logged_in(expires_at=past())
    result = leger.run(*argv)
    assert result.exit_code == 4
    assert "Token expired" in result.stderr
    assert "Re-authenticate with: leger auth login" in result.stderr
    assert leger.registry.requests == []


@pytest.mark.parametrize("argv", NEEDS_LOGIN)
def test_token_rejected_by_the_server_is_exit_4(leger, argv):
    leger.logged_in(expires_at=future(), token=leger.secret("revoked-token"))
    leger.server.rejects_token(leger.server.route_of(argv[1]))
    result = leger.run(*argv)
    assert result.exit_code == 4
    assert "rejected the token" in result.stderr
    assert "leger auth login" in result.stderr
    assert leger.registry.requests[0].headers["Authorization"] == "Bearer revoked-token"


def test_leger_token_is_used_instead_of_the_file(leger):
    leger.logged_in(expires_at=past(), token="file-token")
    leger.with_token("env-tok").server.lists()
    result = leger.run("secrets", "list")
    assert result.exit_code == 0, result.stderr
    assert leger.registry.requests[0].headers["Authorization"] == "Bearer env-tok"


def test_rejected_leger_token_points_at_the_variable(leger):
    leger.with_token(leger.secret("env-tok"))
    leger.server.rejects_token(wire.V01.list)
    result = leger.run("secrets", "list")
    assert result.exit_code == 4
    assert "LEGER_TOKEN" in result.stderr


def test_server_rejecting_the_token_is_exit_4(authed):
    authed.server.rejects_token(authed.server.form.set("k"))
    result = authed.run("secrets", "set", "k", authed.secret("S3CRET-401"))
    assert result.exit_code == 4
    assert "LEGER_TOKEN" in result.stderr


def test_token_revoked_by_the_backend_is_exit_4(live):
    live.run("secrets", "set", "k", live.secret("S3CRET-revoked"))
    live.backend.revoke_all()
    result = live.run("secrets", "get", "k")
    assert result.exit_code == 4
    assert result.stdout == b""
    assert "leger auth login" in result.stderr


@each_form
def test_both_forms_401_codes_mean_exit_4(authed, form):
    authed.speaks(form).rejects_token(form.list)
    result = authed.run("secrets", "list")
    assert result.exit_code == 4
    assert "LEGER_TOKEN" in result.stderr


@pytest.mark.parametrize("argv", SECRET_COMMANDS, ids=lambda argv: argv[1])
def test_an_edited_past_expiry_is_refused_before_any_request(leger, api, argv):
    edited_past_expiry_is_refused_before_any_request(leger, api, argv)


@pytest.mark.parametrize("how", ["revoke_all", "expire_all"])
@pytest.mark.parametrize("argv", SECRET_COMMANDS, ids=lambda argv: argv[1])
def test_a_token_the_server_no_longer_accepts_is_exit_4(leger, api, argv, how):
    token_no_longer_accepted_is_exit_4(leger, api, argv, how)
