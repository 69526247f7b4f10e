"""A complete fetch replaces the cache without decrypting it, unless something in it is newer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from leger.api.results import Secret
from leger.cache import CacheKey, SecretCache, Snapshot
from leger.cache import crypto as cache_crypto

TOKEN = "tok-COMPLETE-7c21d0"
KEY = CacheKey("https://api.leger.run", "550e8400-e29b-41d4-a716-446655440000")
T0 = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)


@pytest.fixture
def warnings() -> list[str]:
    return []


@pytest.fixture
def cache(tmp_path: Path, warnings: list[str]) -> SecretCache:
    return SecretCache(tmp_path / "cache" / "leger", warn=warnings.append)


@pytest.fixture
def unseals(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The users whose caches were decrypted from now on."""
    calls: list[str] = []
    original = cache_crypto.unseal

    def counted(token: str, **kwargs: object) -> bytes:
        calls.append(str(kwargs["user"]))
        return original(token, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cache_crypto, "unseal", counted)
    return calls


def record(cache: SecretCache, *, complete: bool, at: datetime, **values: str) -> None:
    fetched = [Secret(name, value, 1, None) for name, value in values.items()]
    cache.record_fetch(KEY, TOKEN, fetched, complete=complete, now=at)


def values(cache: SecretCache) -> dict[str, str]:
    loaded = cache.load(KEY, TOKEN)
    assert isinstance(loaded, Snapshot), loaded
    return {name: secret.value for name, secret in loaded.secrets.items()}


def test_a_later_complete_fetch_replaces_without_decrypting(cache, unseals, warnings):
    record(cache, complete=True, at=T0, A="1", B="2")
    record(cache, complete=False, at=T0 + timedelta(seconds=5), C="3")
    assert unseals == [KEY.user]  # the partial fetch merged into it
    record(cache, complete=True, at=T0 + timedelta(minutes=1), A="one")
    assert unseals == [KEY.user]
    assert values(cache) == {"A": "one"}
    assert warnings == []


def test_entries_fetched_after_a_complete_fetch_are_read_and_kept(cache, unseals):
    record(cache, complete=False, at=T0 + timedelta(seconds=10), LATE="fetched later")
    record(cache, complete=True, at=T0, A="1")
    assert unseals == [KEY.user]
    assert values(cache) == {"A": "1", "LATE": "fetched later"}


def test_a_header_edited_to_claim_a_later_time_is_decrypted_and_replaced(cache, warnings):
    record(cache, complete=False, at=T0, A="1")
    path = cache.directory / KEY.file_name
    data = path.read_bytes()
    header, _, sealed = data.partition(b"\n")
    written, claimed = b'"updated_at":"2026-11-28', b'"updated_at":"2027-11-28'
    later = header.replace(written, claimed)
    assert later != header
    path.write_bytes(later + b"\n" + sealed)
    record(cache, complete=True, at=T0 + timedelta(minutes=1), B="2")
    assert values(cache) == {"B": "2"}
    assert warnings == []
