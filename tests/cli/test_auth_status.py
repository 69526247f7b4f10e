"""``leger auth status``: logged in, not, expired, a broken file, LEGER_TOKEN, and ``--json``.

Whole command lines in-process (the ``leger`` fixture, tests/support/inprocess.py).
"""

from __future__ import annotations

import json

import pytest

from leger.commands import auth_status
from tests.support.clock import future, past


def test_status_when_not_authenticated_exits_4(leger):
    result = leger.run("auth", "status")
    assert result.exit_code == 4
    assert result.out == "Not authenticated\n\nAuthenticate with: leger auth login\n"


def test_status_when_authenticated(leger):
    expires = future()
    leger.logged_in(expires_at=expires)
    result = leger.run("auth", "status")
    assert result.exit_code == 0, result.stderr
    assert result.out.splitlines() == [
        "Authenticated",
        "  User: alice@example.com",
        "  UUID: 550e8400-e29b-41d4-a716-446655440000",
        f"  Expires: {expires}",
        f"  Source: {leger.auth_file}",
        "  Server: http://127.0.0.1:8787 (v0.1 routes)",
    ]
    assert "stored-token" not in result.out + result.stderr


def test_status_when_expired_exits_4(leger):
    leger.logged_in(expires_at=past())
    result = leger.run("auth", "status")
    assert result.exit_code == 4
    assert result.out.startswith("Token expired\n\nRe-authenticate with: leger auth login\n")


@pytest.mark.parametrize("content", ["", "{", '{"token": "t"}', "[]"])
def test_status_with_a_broken_file_is_not_authenticated(leger, content):
    leger.config_dir.mkdir(parents=True)
    leger.auth_file.write_text(content)
    leger.auth_file.chmod(0o600)
    result = leger.run("auth", "status")
    assert result.exit_code == 4
    assert result.out.startswith("Not authenticated")
    assert "Traceback" not in result.stderr


def test_status_json_fields(leger):
    expires = future()
    leger.logged_in(expires_at=expires)
    ok = leger.run("auth", "status", "--json")
    assert ok.exit_code == 0
    assert json.loads(ok.stdout) == {
        "authenticated": True,
        "expired": False,
        "source": "file",
        "user_email": "alice@example.com",
        "user_uuid": "550e8400-e29b-41d4-a716-446655440000",
        "expires_at": expires,
        "api_url": "http://127.0.0.1:8787",
        "api_routes": "v0.1",
        "login_api_url": "http://127.0.0.1:8787",
    }
    leger.logged_in(expires_at=past())
    expired = leger.run("auth", "status", "--json")
    assert expired.exit_code == 4
    assert json.loads(expired.stdout)["expired"] is True
    assert json.loads(expired.stdout)["authenticated"] is False
    leger.auth_file.unlink()
    nothing = leger.run("auth", "status", "--json")
    assert nothing.exit_code == 4
    assert json.loads(nothing.stdout) == {
        "authenticated": False,
        "expired": False,
        "source": None,
        "user_email": None,
        "user_uuid": None,
        "expires_at": None,
        "api_url": "http://127.0.0.1:8787",
        "api_routes": "v0.1",
        "login_api_url": None,
    }


def test_status_with_leger_token_says_env_and_never_prints_it(leger):
    leger.logged_in(expires_at=past())
    leger.with_token(leger.secret("env-token-xyz"))
    text = leger.run("auth", "status")
    assert text.exit_code == 0
    assert "LEGER_TOKEN" in text.out
    as_json = leger.run("auth", "status", "--json")
    assert json.loads(as_json.stdout)["source"] == "env"
    assert json.loads(as_json.stdout)["authenticated"] is True


def test_auth_status_emits_the_documented_keys(leger):
    for setup in (lambda: None, leger.with_token):
        setup()
        result = leger.run("auth", "status", "--json")
        assert list(json.loads(result.stdout)) == list(auth_status.JSON_KEYS)
