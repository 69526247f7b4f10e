"""``leger cache clear [--all]`` and ``auth logout``, in-process: whose caches each removes."""

from __future__ import annotations

import json

from leger.errors import ExitCode
from tests.support import wire
from tests.support.inprocess import Leger

OTHER = {"LEGER_TOKEN": "someone-elses-token"}


def cache_of(leger: Leger, env: dict[str, str] | None = None) -> None:
    """Fetch one secret, which caches it for the login in use (``env``: another one)."""
    leger.server.has_secret("k", leger.secret("VALUE-of-k"))
    assert leger.run("secrets", "get", "k", env=env).exit_code == 0


def users(leger: Leger, env: dict[str, str] | None = None) -> dict[str, bool]:
    """Each cache's user, and whether it is the login's in use (``env``: another one)."""
    result = leger.run("cache", "status", "--json", env=env)
    assert result.exit_code == 0, result.stderr
    return {entry["user"]: entry["this_login"] for entry in json.loads(result.stdout)}


def test_clear_removes_this_logins_cache_only(leger):
    leger.with_token().speaks(wire.REST)
    cache_of(leger)
    cache_of(leger, OTHER)
    others = [user for user, mine in users(leger).items() if not mine]
    first = leger.run("cache", "clear")
    assert (first.exit_code, first.out) == (
        0,
        "Removed the offline cache of http://127.0.0.1:8787 for this login\n",
    )
    assert list(users(leger)) == others
    again = leger.run("cache", "clear")
    assert again.out == (
        "No offline cache of http://127.0.0.1:8787 for this login: nothing to remove\n"
    )
    assert users(leger, OTHER) == {others[0]: True}
    assert leger.run("cache", "clear", env=OTHER).exit_code == 0
    assert users(leger) == {}


def test_clear_all_removes_every_cache(leger):
    leger.with_token().speaks(wire.REST)
    cache_of(leger)
    cache_of(leger, OTHER)
    result = leger.run("cache", "clear", "--all")
    assert (result.exit_code, result.out) == (0, "Removed 2 offline caches\n")
    assert users(leger) == {}
    empty = leger.run("cache", "clear", "--all")
    assert empty.out == f"No offline caches in {leger.cache_dir}: nothing to remove\n"


def test_clear_without_a_login_cannot_tell_whose_and_says_so(leger):
    result = leger.run("cache", "clear")
    assert result.exit_code == ExitCode.AUTH_REQUIRED
    assert result.stderr == (
        "Error: Not logged in, so leger cannot tell which offline cache is yours\n"
        "\n"
        "Authenticate with: leger auth login\n"
        "or remove every cache with: leger cache clear --all\n"
    )


def test_clear_works_for_an_expired_login(leger):
    leger.speaks(wire.REST)
    leger.logged_in(expires_at="2099-01-01T00:00:00Z")
    cache_of(leger)
    leger.logged_in(expires_at="2020-01-01T00:00:00Z")
    assert leger.run("cache", "clear").out.startswith("Removed the offline cache")
    assert users(leger) == {}


def test_logout_removes_the_cache_of_the_login_it_removes_and_no_other(leger):
    leger.speaks(wire.REST)
    leger.logged_in(expires_at="2099-01-01T00:00:00Z")
    cache_of(leger)
    cache_of(leger, OTHER)
    assert wire.USER_UUID in users(leger)
    result = leger.run("auth", "logout")
    assert result.exit_code == 0, result.stderr
    assert result.out.endswith("  Its offline cache of secrets is removed too.\n")
    assert len(users(leger)) == 1
    assert wire.USER_UUID not in users(leger)
    again = leger.run("auth", "logout")
    assert again.out == "Not logged in: nothing to remove\n"
