"""Refetching unchanged values writes only their fetch times, and the cache says what it always did.

``leger.cache.fetch_times``: a fetch by name of values the cache holds
unchanged records the new times beside the cache file, without decrypting it
once the times file knows the values. Whatever the order of fetches, what a
cache loads is what ``merge`` says it holds (the model below); the times file
can only make values younger, and one that is altered, stale, foreign or
unsafe is ignored.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leger.api.results import Secret
from leger.cache import CacheInfo, CacheKey, SecretCache, Snapshot, fetch_times
from leger.cache.fileformat import MAX_FILE_BYTES, CacheHeader, read_header
from leger.cache.identity import hashlib_sha256_hex
from leger.cache.snapshot import merge

TOKEN = "tok-TIMES-5d2e9b"
OTHER_TOKEN = "tok-OTHER-0b11c4"
KEY = CacheKey("https://api.leger.run", "550e8400-e29b-41d4-a716-446655440000")
T0 = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)
SECRET_VALUE = "s3cr3t-TIMES-never-on-disk"


def record(
    cache: SecretCache,
    *,
    complete: bool = False,
    at: datetime = T0,
    version: int = 1,
    **values: str,
) -> None:
    fetched = [Secret(name, value, version, None) for name, value in values.items()]
    cache.record_fetch(KEY, TOKEN, fetched, complete=complete, now=at)


def loaded(cache: SecretCache, token: str = TOKEN) -> Snapshot:
    result = cache.load(KEY, token)
    assert isinstance(result, Snapshot), result
    return result


def times(snapshot: Snapshot) -> dict[str, datetime]:
    return {name: secret.fetched_at for name, secret in snapshot.secrets.items()}


def cache_file(cache: SecretCache) -> Path:
    return cache.directory / KEY.file_name


def times_file(cache: SecretCache) -> Path:
    return cache.directory / fetch_times.file_name(KEY.file_name)


def header_of(cache: SecretCache) -> CacheHeader:
    return read_header(cache_file(cache).read_bytes())[0]


# --- what is written ---------------------------------------------------------------------


def test_an_unchanged_refetch_writes_only_the_times_and_the_cache_ages_as_if_resealed(cache):
    record(cache, A="1", B="2")
    sealed = cache_file(cache).read_bytes()
    record(cache, at=T0 + timedelta(minutes=5), A="1")
    assert cache_file(cache).read_bytes() == sealed
    assert times_file(cache).exists()
    snapshot = loaded(cache)
    assert times(snapshot) == {"A": T0 + timedelta(minutes=5), "B": T0}
    assert (snapshot.fetched_at, snapshot.updated_at) == (T0, T0 + timedelta(minutes=5))
    assert snapshot.cached_at(["A"]) == T0 + timedelta(minutes=5)


def test_once_the_times_file_knows_the_values_nothing_is_decrypted(cache, unseals):
    record(cache, A="1")
    record(cache, at=T0 + timedelta(minutes=1), A="1")  # decrypts to see it unchanged
    assert unseals == [KEY.user]
    for minutes in (2, 3, 4):
        record(cache, at=T0 + timedelta(minutes=minutes), A="1")
    assert unseals == [KEY.user]
    assert times(loaded(cache)) == {"A": T0 + timedelta(minutes=4)}


@pytest.mark.parametrize(
    "change",
    [{"value": "2"}, {"version": 2}],
    ids=["value", "version"],
)
def test_a_changed_secret_is_sealed_again_and_its_old_times_dropped(cache, change):
    record(cache, A="1")
    record(cache, at=T0 + timedelta(minutes=1), A="1")
    assert times_file(cache).exists()
    record(
        cache,
        at=T0 + timedelta(minutes=2),
        version=change.get("version", 1),
        A=str(change.get("value", "1")),
    )
    assert not times_file(cache).exists()
    snapshot = loaded(cache)
    assert snapshot.secrets["A"].value == change.get("value", "1")
    assert snapshot.secrets["A"].version == change.get("version", 1)
    assert times(snapshot) == {"A": T0 + timedelta(minutes=2)}


def test_a_new_name_is_sealed_with_the_times_known_so_far(cache):
    record(cache, A="1", B="2")
    record(cache, at=T0 + timedelta(minutes=1), A="1")
    record(cache, at=T0 + timedelta(minutes=2), C="3")
    assert not times_file(cache).exists()
    assert times(loaded(cache)) == {
        "A": T0 + timedelta(minutes=1),
        "B": T0,
        "C": T0 + timedelta(minutes=2),
    }


def test_the_times_file_holds_no_value_name_or_token(cache):
    record(cache, DB_PASSWORD=SECRET_VALUE)
    record(cache, at=T0 + timedelta(minutes=1), DB_PASSWORD=SECRET_VALUE)
    data = times_file(cache).read_bytes()
    for text in (SECRET_VALUE, "DB_PASSWORD", TOKEN):
        assert text.encode() not in data
    assert os.stat(times_file(cache)).st_mode & 0o777 == 0o600


def test_the_file_name_is_the_same_by_hashlib_and_by_cryptography():
    assert KEY.file_name_hashed_by(hashlib_sha256_hex) == KEY.file_name


# --- what is ignored ---------------------------------------------------------------------


def refetched_once(cache: SecretCache) -> None:
    record(cache, A="1", B="2")
    record(cache, at=T0 + timedelta(hours=1), A="1")
    assert times(loaded(cache))["A"] == T0 + timedelta(hours=1)


def test_altered_times_are_ignored(cache, warnings):
    refetched_once(cache)
    body, mac, _ = times_file(cache).read_bytes().split(b"\n")
    later = body.replace(b'"2026-11-28T13:00:00', b'"2027-11-28T13:00:00')
    assert later != body
    times_file(cache).write_bytes(later + b"\n" + mac + b"\n")
    assert times(loaded(cache)) == {"A": T0, "B": T0}
    assert warnings == []


def test_times_for_another_cache_file_are_ignored(cache):
    refetched_once(cache)
    stale = times_file(cache).read_bytes()
    record(cache, complete=True, at=T0 + timedelta(hours=2), A="1", B="2")  # sealed again
    os.chmod(cache.directory, 0o700)
    times_file(cache).write_bytes(stale)
    os.chmod(times_file(cache), 0o600)
    assert times(loaded(cache)) == {"A": T0 + timedelta(hours=2), "B": T0 + timedelta(hours=2)}


def test_times_written_with_another_token_are_ignored(cache):
    refetched_once(cache)
    assert header_of(cache).count == 2
    genuine = fetch_times.peek(times_file(cache).read_bytes(), header_of(cache))
    assert genuine is not None
    forged = fetch_times.FetchTimes(
        genuine.salt,
        ("0" * 64, "1" * 64),
        (T0 + timedelta(days=9), T0 + timedelta(days=9)),
    )
    times_file(cache).write_bytes(
        fetch_times.encode(forged, OTHER_TOKEN, cache_file(cache).read_bytes())
    )
    assert times(loaded(cache)) == {"A": T0, "B": T0}


@pytest.mark.parametrize(
    "content",
    [b"", b"garbage", b"{}\n" + b"0" * 64 + b"\n", b"\xff\n\xfe\n", b"[" * 50_000 + b"\n"],
)
def test_garbage_times_are_ignored_not_a_crash(cache, warnings, content):
    refetched_once(cache)
    times_file(cache).write_bytes(content)
    assert times(loaded(cache)) == {"A": T0, "B": T0}
    record(cache, at=T0 + timedelta(hours=3), A="1")  # and the next refetch writes good ones
    assert times(loaded(cache))["A"] == T0 + timedelta(hours=3)
    assert warnings == []


def test_a_times_file_others_can_read_or_a_symlink_is_ignored(cache, tmp_path):
    refetched_once(cache)
    os.chmod(times_file(cache), 0o644)
    assert times(loaded(cache))["A"] == T0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(times_file(cache).read_bytes())
    times_file(cache).unlink()
    times_file(cache).symlink_to(elsewhere)
    assert times(loaded(cache))["A"] == T0


def test_a_symlinked_times_file_is_not_written_through(cache, tmp_path, warnings):
    refetched_once(cache)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(b"left alone")
    times_file(cache).unlink()
    times_file(cache).symlink_to(elsewhere)
    record(cache, at=T0 + timedelta(hours=4), A="1")
    assert elsewhere.read_bytes() == b"left alone"
    assert len(warnings) == 1
    assert "symlink" in warnings[0]


def test_an_oversized_cache_under_valid_times_is_replaced_as_before(cache, warnings):
    refetched_once(cache)
    with open(cache_file(cache), "r+b") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse
    record(cache, at=T0 + timedelta(hours=5), A="1")
    assert times(loaded(cache)) == {"A": T0 + timedelta(hours=5)}
    assert warnings == []


def test_a_sealed_part_altered_under_valid_times_is_not_confirmed_but_replaced(cache, unseals):
    refetched_once(cache)
    data = bytearray(cache_file(cache).read_bytes())
    data[-3] ^= 0x01
    cache_file(cache).write_bytes(bytes(data))
    record(cache, at=T0 + timedelta(hours=5), A="1")  # the times no longer verify: decrypted
    assert unseals
    snapshot = loaded(cache)
    assert {name: s.value for name, s in snapshot.secrets.items()} == {"A": "1"}


# --- the rest of the cache's life --------------------------------------------------------


def test_forget_clear_and_wipe_remove_the_times_too(cache):
    refetched_once(cache)
    cache.forget(KEY, TOKEN, "B")
    assert not times_file(cache).exists()
    refetched_once(cache)
    assert cache.clear(KEY) == 1
    assert not times_file(cache).exists()
    refetched_once(cache)
    assert cache.wipe_server(KEY.server) == 1
    assert not times_file(cache).exists()
    refetched_once(cache)
    cache_file(cache).unlink()  # as an older leger's clear leaves it
    assert cache.clear() == 0
    assert sorted(path.name for path in cache.directory.iterdir()) == [".lock"]


def test_status_shows_the_times_a_reseal_would_have(cache):
    record(cache, A="1", B="2")
    record(cache, at=T0 + timedelta(minutes=30), A="1")
    record(cache, at=T0 + timedelta(minutes=40), B="2")
    (info,) = cache.status()
    assert isinstance(info, CacheInfo)
    assert (info.fetched_at, info.updated_at) == (
        T0 + timedelta(minutes=30),
        T0 + timedelta(minutes=40),
    )
    assert (info.fetched_at, info.updated_at) == (
        loaded(cache).fetched_at,
        loaded(cache).updated_at,
    )


# --- any order of fetches: what merge says ---------------------------------------------------

NAMES = st.sampled_from(["A", "B", "C"])
FETCH = st.tuples(
    st.booleans(),  # complete
    st.integers(min_value=-3, max_value=6),  # minutes from T0 (clocks go back too)
    # Mostly the value already cached: refetches of unchanged values are the point.
    st.dictionaries(
        NAMES,
        st.tuples(st.sampled_from(["x", "x", "x", "y"]), st.sampled_from([1, 1, 1, 2])),
        max_size=3,
    ),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(FETCH, min_size=1, max_size=8))
def test_whatever_the_fetches_the_cache_holds_what_merge_says(tmp_path_factory, fetches):
    cache = SecretCache(tmp_path_factory.mktemp("c") / "leger", warn=pytest.fail)
    model: Snapshot | None = None
    for complete, minutes, entries in fetches:
        fetched = [Secret(name, value, version, None) for name, (value, version) in entries.items()]
        at = T0 + timedelta(minutes=minutes)
        cache.record_fetch(KEY, TOKEN, fetched, complete=complete, now=at)
        merged = merge(model, fetched, complete=complete, server=KEY.server, user=KEY.user, now=at)
        if merged.secrets or merged.complete:
            model = merged
    result = cache.load(KEY, TOKEN)
    assert result == model
    if isinstance(result, Snapshot):
        (info,) = cache.status()
        assert isinstance(info, CacheInfo)
        assert (info.fetched_at, info.updated_at) == (result.fetched_at, result.updated_at)
