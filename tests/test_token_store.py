"""The token file: atomic, private, and forgiving of anything it cannot read."""

from __future__ import annotations

import json
import os
import stat
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from leger.errors import TokenStoreError
from leger.token_store import StoredAuth, TokenStore

NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)


def login(token: str = "tok-123", expires: datetime = NOW + timedelta(days=30)) -> StoredAuth:
    return StoredAuth(
        token=token,
        token_type="Bearer",
        expires_at=expires,
        user_uuid="550e8400-e29b-41d4-a716-446655440000",
        user_email="alice@example.com",
    )


@pytest.fixture
def warnings() -> list[str]:
    return []


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
