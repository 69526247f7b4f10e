"""The token file: atomic, private, and forgiving of anything it cannot read."""

from __future__ import annotations

import json
import os
import stat
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from devtools.login_file import login_text, write_login
from leger.errors import TokenStoreError
from leger.token_store import StoredAuth, TokenStore
from tests.fixtures.other_user import NOBODY

NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)


def login(token: str = "tok-123", expires: datetime = NOW + timedelta(days=30)) -> StoredAuth:
    return StoredAuth(
        token=token,
        token_type="Bearer",
        expires_at=expires,
        user_uuid="550e8400-e29b-41d4-a716-446655440000",
        user_email="alice@example.com",
        api_url="https://api.leger.run",
        api_routes="rest",
    )


@pytest.fixture
def store(tmp_path: Path, warnings: list[str]) -> TokenStore:
    return TokenStore(tmp_path / "config" / "leger", warn=warnings.append)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_save_then_load_round_trips(store):
    store.save(login())
    assert store.load() == login()


def test_file_has_the_seed_fields_with_rfc3339_expiry(store):
    store.save(login())
    data = json.loads(store.path.read_text())
    assert data == {
        "token": "tok-123",
        "token_type": "Bearer",
        "expires_at": "2026-12-28T12:00:00Z",
        "user_uuid": "550e8400-e29b-41d4-a716-446655440000",
        "user_email": "alice@example.com",
        "api_url": "https://api.leger.run",
        "api_routes": "rest",
    }


def test_directory_is_0700_and_file_0600(store):
    store.save(login())
    assert mode(store.config_dir) == 0o700
    assert mode(store.path) == 0o600


def test_loose_existing_directory_and_file_are_tightened_on_save(store):
    store.config_dir.mkdir(parents=True, mode=0o755)
    os.chmod(store.config_dir, 0o755)
    store.path.write_text("old")
    os.chmod(store.path, 0o644)
    store.save(login())
    assert mode(store.config_dir) == 0o700
    assert mode(store.path) == 0o600


def test_loose_file_is_tightened_on_load_with_a_warning(store, warnings):
    store.save(login())
    os.chmod(store.path, 0o644)
    assert store.load() == login()
    assert mode(store.path) == 0o600
    assert any("0600" in w for w in warnings)


def test_save_leaves_no_temporary_files(store):
    store.save(login())
    store.save(login("tok-456"))
    assert sorted(p.name for p in store.config_dir.iterdir()) == ["auth.json"]


def test_concurrent_saves_leave_one_complete_file(store):
    tokens = [f"tok-{i}" for i in range(20)]
    threads = [threading.Thread(target=store.save, args=(login(t),)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    loaded = store.load()
    assert loaded is not None
    assert loaded.token in tokens
    assert sorted(p.name for p in store.config_dir.iterdir()) == ["auth.json"]


def test_missing_file_is_not_logged_in(store, warnings):
    assert store.load() is None
    assert warnings == []


@pytest.mark.parametrize(
    "content",
    [
        "{",
        "[]",
        '"token"',
        json.dumps({"token": "t"}),
        json.dumps({**json.loads(login().to_json()), "expires_at": "next week"}),
        json.dumps({**json.loads(login().to_json()), "expires_at": "2026-12-28T12:00:00"}),
        json.dumps({**json.loads(login().to_json()), "token": ""}),
        json.dumps({**json.loads(login().to_json()), "user_email": 5}),
        "\xff\xfe garbage",
    ],
)
def test_corrupted_or_incomplete_file_is_not_logged_in_with_a_warning(store, warnings, content):
    store.config_dir.mkdir(parents=True)
    store.path.write_text(content)
    os.chmod(store.path, 0o600)
    assert store.load() is None
    assert any("not a complete leger login" in w for w in warnings)


def test_empty_file_is_not_logged_in(store):
    store.config_dir.mkdir(parents=True)
    store.path.write_text("")
    assert store.load() is None


def test_symlink_is_refused_for_load_and_save(store, tmp_path):
    target = tmp_path / "elsewhere.json"
    target.write_text(login().to_json())
    store.config_dir.mkdir(parents=True)
    store.path.symlink_to(target)
    with pytest.raises(TokenStoreError, match="symbolic link"):
        store.load()
    with pytest.raises(TokenStoreError, match="symbolic link"):
        store.save(login("tok-new"))
    assert json.loads(target.read_text())["token"] == "tok-123"


def test_directory_in_place_of_the_file_is_refused(store):
    store.path.mkdir(parents=True)
    with pytest.raises(TokenStoreError, match="not a regular file"):
        store.load()


def test_clear_is_idempotent(store):
    store.save(login())
    assert store.clear() is True
    assert store.clear() is False
    assert store.load() is None


def test_is_valid_until_expires_at():
    auth = login(expires=NOW)
    assert auth.is_valid(NOW - timedelta(seconds=1))
    assert not auth.is_valid(NOW)
    assert not auth.is_valid(NOW + timedelta(days=1))


# --- what a login records, and what a file from before records -----------------------------


def test_a_file_from_before_api_url_was_stored_came_from_the_default_api(store):
    store.config_dir.mkdir(parents=True)
    old = {k: v for k, v in json.loads(login().to_json()).items() if not k.startswith("api_")}
    store.path.write_text(json.dumps(old))
    os.chmod(store.path, 0o600)
    loaded = store.load()
    assert loaded is not None
    assert (loaded.api_url, loaded.api_routes) == ("https://api.leger.run", None)
    assert loaded.token == "tok-123"


@pytest.mark.parametrize("routes", [None, "rest", "v0.1"])
def test_api_url_and_routes_round_trip(store, routes):
    auth = login().replace(api_url="http://127.0.0.1:8787/api", api_routes=routes)
    store.save(auth)
    assert store.load() == auth
    assert json.loads(store.path.read_text())["api_routes"] == routes


@pytest.mark.parametrize(
    "change", [{"api_routes": "graphql"}, {"api_routes": 1}, {"api_url": ""}, {"api_url": None}]
)
def test_an_unusable_api_url_or_routes_is_not_a_login(store, warnings, change):
    store.config_dir.mkdir(parents=True)
    store.path.write_text(json.dumps({**json.loads(login().to_json()), **change}))
    os.chmod(store.path, 0o600)
    assert store.load() is None
    assert any("not a complete leger login" in w for w in warnings)


# --- a login is saved only if it reads back ------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"user_email": "a" * (2 * 1024 * 1024)},  # larger than a login file may be
        {"user_email": ""},
        {"user_uuid": ""},
        {"token_type": ""},
        {"api_routes": "graphql"},
    ],
    ids=["2-MB-email", "empty-email", "empty-uuid", "empty-type", "bad-routes"],
)
def test_a_login_that_would_not_read_back_is_refused_and_the_old_one_kept(store, change):
    store.save(login("tok-old"))
    before = store.path.read_bytes()
    with pytest.raises(TokenStoreError, match=r"cannot be stored.*nothing was saved"):
        store.save(login("tok-new").replace(**change))
    assert store.path.read_bytes() == before
    assert sorted(p.name for p in store.config_dir.iterdir()) == ["auth.json"]


# --- only the user's own files -------------------------------------------------------------


def test_a_file_of_another_user_is_refused_and_left_alone(store):
    store.save(login())
    os.chmod(store.path, 0o644)
    os.chown(store.path, NOBODY, NOBODY)
    with pytest.raises(TokenStoreError, match="belongs to another user"):
        store.load()
    assert mode(store.path) == 0o644


def test_saving_into_a_directory_of_another_user_is_refused(store):
    store.config_dir.mkdir(parents=True, mode=0o755)
    os.chown(store.config_dir, NOBODY, NOBODY)
    with pytest.raises(TokenStoreError, match="belongs to another user"):
        store.check_writable()
    with pytest.raises(TokenStoreError, match="belongs to another user"):
        store.save(login())
    assert list(store.config_dir.iterdir()) == []
    assert mode(store.config_dir) == 0o755


def test_check_writable_accepts_a_missing_directory_and_refuses_a_symlink(store, tmp_path):
    store.check_writable()
    store.config_dir.mkdir(parents=True)
    store.path.symlink_to(tmp_path / "elsewhere")
    with pytest.raises(TokenStoreError, match="symbolic link"):
        store.check_writable()


@pytest.mark.parametrize(
    "api_url",
    [
        "https://api.leger.run\x1b]52;c;eA==\x07",
        "https://api.leger.run/\nforged",
        "http://api.leger.run",
        "https://user:pw@api.leger.run",
        "https://api.leger.run/",
        "not a url",
    ],
)
def test_a_stored_api_url_must_be_one_leger_would_use(store, warnings, api_url):
    store.config_dir.mkdir(parents=True)
    store.path.write_text(json.dumps({**json.loads(login().to_json()), "api_url": api_url}))
    os.chmod(store.path, 0o600)
    assert store.load() is None
    assert any("not a complete leger login" in w for w in warnings)


def test_the_login_file_keeps_both_fields(tmp_path):
    other = "https://leger.example.org/api"
    text = login_text("t0ken-STORED-5678", api_url=other, api_routes="v0.1")
    path = write_login(tmp_path / "config" / "leger", text)
    loaded = TokenStore(path.parent, warn=print).load()
    assert isinstance(loaded, StoredAuth)
    assert json.loads(loaded.to_json())["api_url"] == other
    assert json.loads(loaded.to_json())["api_routes"] == "v0.1"
