"""The cache directory: private files, merge rules, forgetting and wiping, and faults.

A cache serves a command and never fails one: every write failure here must be
one warning and no exception, with no temporary file left and the previous
cache intact; every unreadable or unsafe file must load as Unusable.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from devtools.processes import REPO
from leger.api.results import Secret
from leger.cache import (
    BrokenCache,
    CacheError,
    CacheInfo,
    CacheKey,
    SecretCache,
    Snapshot,
    Unusable,
    default_cache_dir,
    user_key_for_token,
)
from tests.fixtures.other_user import NOBODY

TOKEN = "tok-STORE-3e1f8a"
SERVER = "https://api.leger.run"
KEY = CacheKey(SERVER, "550e8400-e29b-41d4-a716-446655440000")
BOB = CacheKey(SERVER, "6ba7b810-9dad-11d1-80b4-00c04fd430c8")
ELSEWHERE = CacheKey("https://leger.example.com", KEY.user)
T0 = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)
SECRET_VALUE = "s3cr3t-VALUE-never-shown"


def fetched(**values: str) -> list[Secret]:
    return [Secret(name, value, 1, None) for name, value in values.items()]


def record(cache, key=KEY, *, complete, at=T0, token=TOKEN, **values) -> None:
    cache.record_fetch(key, token, fetched(**values), complete=complete, now=at)


def loaded(cache: SecretCache, key: CacheKey = KEY) -> Snapshot:
    result = cache.load(key, TOKEN)
    assert isinstance(result, Snapshot), result
    return result


def values(snapshot: Snapshot) -> dict[str, str]:
    return {name: secret.value for name, secret in snapshot.secrets.items()}


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def listing(cache: SecretCache) -> list[str]:
    return sorted(path.name for path in cache.directory.iterdir())


def assert_quiet_about_secrets(*texts: str) -> None:
    for text in texts:
        assert SECRET_VALUE not in text
        assert TOKEN not in text


# --- location and permissions ------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"XDG_CACHE_HOME": "/var/cache/me", "HOME": "/home/a"}, "/var/cache/me/leger"),
        ({"XDG_CACHE_HOME": "relative/dir", "HOME": "/home/a"}, "/home/a/.cache/leger"),
        ({"XDG_CACHE_HOME": "", "HOME": "/home/a"}, "/home/a/.cache/leger"),
        ({"HOME": "/home/a"}, "/home/a/.cache/leger"),
    ],
)
def test_the_directory_follows_xdg(env, expected):
    assert default_cache_dir(env) == Path(expected)


def test_directory_is_0700_files_0600_and_named_by_a_hash(cache, warnings):
    record(cache, complete=True, A=SECRET_VALUE)
    assert mode(cache.directory) == 0o700
    assert listing(cache) == [".lock", KEY.file_name]
    assert mode(cache.directory / KEY.file_name) == 0o600
    assert mode(cache.directory / ".lock") == 0o600
    assert len(KEY.file_name) == len("0123456789abcdef0123456789abcdef.cache")
    assert "leger" not in KEY.file_name
    assert warnings == []


def test_each_server_and_user_has_its_own_file():
    names = {key.file_name for key in (KEY, BOB, ELSEWHERE, CacheKey(SERVER + "/api", KEY.user))}
    assert len(names) == 4


def test_a_loose_directory_is_tightened_when_written(cache):
    cache.directory.mkdir(parents=True, mode=0o777)
    os.chmod(cache.directory, 0o777)
    record(cache, complete=True, A="1")
    assert mode(cache.directory) == 0o700


def test_a_directory_others_can_write_is_not_read(cache):
    record(cache, complete=True, A="1")
    os.chmod(cache.directory, 0o777)
    result = cache.load(KEY, TOKEN)
    assert result == Unusable(cache.directory, "other users can write to it")
    with pytest.raises(CacheError, match="other users can write to it"):
        cache.status()


def test_a_file_readable_by_others_is_tightened_on_load_with_a_warning(cache, warnings):
    record(cache, complete=True, A="1")
    os.chmod(cache.directory / KEY.file_name, 0o644)
    assert values(loaded(cache)) == {"A": "1"}
    assert mode(cache.directory / KEY.file_name) == 0o600
    path = cache.directory / KEY.file_name
    assert warnings == [f"{path} was readable by other users; its permissions are now 0600"]


def test_another_users_directory_is_refused_for_reading_and_writing(cache, warnings):
    record(cache, complete=True, A="1")
    os.chown(cache.directory, NOBODY, NOBODY)
    assert cache.load(KEY, TOKEN) == Unusable(cache.directory, "it belongs to another user")
    record(cache, complete=True, A="2")
    assert len(warnings) == 1
    assert "it belongs to another user (uid 65534)" in warnings[0]
    with pytest.raises(CacheError, match="belongs to another user"):
        cache.status()
    with pytest.raises(CacheError, match="belongs to another user"):
        cache.clear()
    assert listing(cache) == [".lock", KEY.file_name]


def test_another_users_file_is_refused_and_not_replaced(cache, warnings):
    record(cache, complete=True, A="1")
    path = cache.directory / KEY.file_name
    os.chown(path, NOBODY, NOBODY)
    before = path.read_bytes()
    assert cache.load(KEY, TOKEN) == Unusable(path, "it belongs to another user")
    record(cache, complete=True, A="2")
    assert path.read_bytes() == before
    assert len(warnings) == 1
    assert "Refusing to use" in warnings[0]


def test_a_symlink_is_neither_read_nor_written_through(cache, tmp_path, warnings):
    record(cache, complete=True, A="1")
    target = tmp_path / "elsewhere.cache"
    os.replace(cache.directory / KEY.file_name, target)
    os.chmod(target, 0o600)
    os.symlink(target, cache.directory / KEY.file_name)
    before = target.read_bytes()
    assert cache.load(KEY, TOKEN) == Unusable(
        cache.directory / KEY.file_name, "it is a symbolic link"
    )
    record(cache, complete=True, A="2")
    assert target.read_bytes() == before
    assert os.path.islink(cache.directory / KEY.file_name)
    assert len(warnings) == 1
    assert "it is a symbolic link" in warnings[0]


def test_a_fifo_is_refused_without_blocking(cache):
    cache.directory.mkdir(parents=True, mode=0o700)
    os.mkfifo(cache.directory / KEY.file_name, 0o600)
    assert cache.load(KEY, TOKEN) == Unusable(
        cache.directory / KEY.file_name, "it is not a regular file"
    )
    [entry] = cache.status()
    assert entry == BrokenCache(cache.directory / KEY.file_name, "it is not a regular file")


def test_a_planted_lock_symlink_is_refused(cache, tmp_path, warnings):
    cache.directory.mkdir(parents=True, mode=0o700)
    os.symlink(tmp_path / "victim", cache.directory / ".lock")
    record(cache, complete=True, A="1")
    assert not (tmp_path / "victim").exists()
    assert len(warnings) == 1
    assert "it is a symbolic link" in warnings[0]
    assert cache.load(KEY, TOKEN) is None


def test_nothing_is_created_by_reading_or_forgetting(cache):
    assert cache.load(KEY, TOKEN) is None
    cache.forget(KEY, TOKEN, "A")
    assert cache.wipe_server(SERVER) == 0
    assert cache.status() == []
    assert cache.clear() == 0
    assert not cache.directory.exists()


# --- merge rules ---------------------------------------------------------------------------


def test_a_complete_fetch_replaces_the_snapshot(cache):
    record(cache, complete=True, A="1", B="2")
    record(cache, complete=True, at=T0 + timedelta(hours=1), B="3", C="4")
    snapshot = loaded(cache)
    assert values(snapshot) == {"B": "3", "C": "4"}
    assert snapshot.complete is True
    assert snapshot.fetched_at == T0 + timedelta(hours=1)


def test_a_partial_fetch_updates_its_names_and_keeps_the_snapshots_completeness_and_time(cache):
    record(cache, complete=True, A="1", B="2")
    later = T0 + timedelta(hours=3)
    record(cache, complete=False, at=later, B="new", C="created since")
    snapshot = loaded(cache)
    assert values(snapshot) == {"A": "1", "B": "new", "C": "created since"}
    assert snapshot.complete is True
    assert snapshot.fetched_at == T0
    assert snapshot.updated_at == later
    assert snapshot.secrets["A"].fetched_at == T0
    assert snapshot.secrets["B"].fetched_at == later


def test_partial_fetches_add_up_to_a_partial_cache_as_old_as_its_oldest_entry(cache):
    record(cache, complete=False, A="1")
    record(cache, complete=False, at=T0 + timedelta(hours=1), B="2")
    snapshot = loaded(cache)
    assert values(snapshot) == {"A": "1", "B": "2"}
    assert snapshot.complete is False
    assert snapshot.fetched_at == T0
    record(cache, complete=False, at=T0 + timedelta(hours=2), A="1 again")
    assert loaded(cache).fetched_at == T0 + timedelta(hours=1)


def test_a_complete_fetch_after_partial_ones_makes_it_complete(cache):
    record(cache, complete=False, A="1", GONE="x")
    record(cache, complete=True, at=T0 + timedelta(minutes=1), A="1")
    snapshot = loaded(cache)
    assert values(snapshot) == {"A": "1"}
    assert snapshot.complete is True


def test_an_older_fetch_never_puts_back_an_older_value(cache):
    """A slower process that fetched earlier writes after one that fetched later."""
    record(cache, complete=False, at=T0 + timedelta(seconds=10), A="newer")
    record(cache, complete=False, at=T0, A="older", B="b")
    assert values(loaded(cache)) == {"A": "newer", "B": "b"}


@pytest.mark.parametrize("complete", [True, False])
def test_a_fetch_older_than_a_complete_snapshot_changes_nothing(cache, complete):
    """Every entry of the snapshot is newer, and a name it lacks was gone by then."""
    record(cache, complete=True, at=T0 + timedelta(seconds=10), A="newer", NEW="created")
    before = (cache.directory / KEY.file_name).read_bytes()
    record(cache, complete=complete, at=T0, A="older", OLD="deleted since")
    assert (cache.directory / KEY.file_name).read_bytes() == before
    snapshot = loaded(cache)
    assert values(snapshot) == {"A": "newer", "NEW": "created"}
    assert snapshot.fetched_at == T0 + timedelta(seconds=10)


def test_a_complete_fetch_keeps_entries_fetched_after_it(cache):
    record(cache, complete=False, at=T0 + timedelta(seconds=10), LATE="fetched later")
    record(cache, complete=True, at=T0, A="1")
    snapshot = loaded(cache)
    assert values(snapshot) == {"A": "1", "LATE": "fetched later"}
    assert snapshot.complete is True
    assert snapshot.fetched_at == T0


def test_an_empty_complete_fetch_is_a_snapshot_of_no_secrets(cache):
    record(cache, complete=True, A="1")
    record(cache, complete=True, at=T0 + timedelta(minutes=1))
    snapshot = loaded(cache)
    assert snapshot.secrets == {}
    assert snapshot.complete is True


def test_an_empty_partial_fetch_writes_nothing(cache):
    record(cache, complete=False)
    assert cache.load(KEY, TOKEN) is None


def test_a_cache_of_another_login_is_replaced_by_the_next_fetch(cache):
    record(cache, complete=True, token="old-login-token", A="old")
    record(cache, complete=False, at=T0 + timedelta(minutes=1), B="new")
    snapshot = loaded(cache)
    assert values(snapshot) == {"B": "new"}
    assert snapshot.complete is False


def test_a_damaged_cache_is_replaced_by_the_next_fetch(cache):
    record(cache, complete=True, A="1")
    (cache.directory / KEY.file_name).write_bytes(b"\x00garbage")
    record(cache, complete=True, B="2")
    assert values(loaded(cache)) == {"B": "2"}


# --- cached_at: the age a set of values stands for ----------------------------------------


def test_cached_at_is_the_oldest_time_among_the_values_used(cache):
    record(cache, complete=True, A="1", B="2")
    record(cache, complete=False, at=T0 + timedelta(hours=5), A="fresh")
    snapshot = loaded(cache)
    assert snapshot.cached_at(["A"]) == T0 + timedelta(hours=5)
    assert snapshot.cached_at(["A", "B"]) == T0
    # Every secret: the list of names is as old as the complete fetch.
    assert snapshot.cached_at() == T0


def test_every_secret_of_a_fully_refreshed_snapshot_is_still_as_old_as_its_list(cache):
    record(cache, complete=True, A="1")
    record(cache, complete=False, at=T0 + timedelta(hours=5), A="fresh")
    snapshot = loaded(cache)
    assert snapshot.cached_at(["A"]) == T0 + timedelta(hours=5)
    assert snapshot.cached_at() == T0


def test_a_name_a_complete_snapshot_lacks_is_known_absent_only_as_of_the_snapshot(cache):
    record(cache, complete=True, A="1")
    record(cache, complete=False, at=T0 + timedelta(hours=5), A="fresh")
    assert loaded(cache).cached_at(["A", "MISSING"]) == T0


# --- forget, wipe, clear ------------------------------------------------------------------


def test_forget_removes_one_name_and_keeps_the_rest(cache):
    record(cache, complete=True, A="1", B="2")
    cache.forget(KEY, TOKEN, "A")
    snapshot = loaded(cache)
    assert values(snapshot) == {"B": "2"}
    assert snapshot.complete is True


def test_forgetting_the_last_name_of_a_partial_cache_removes_it(cache):
    record(cache, complete=False, A="1")
    cache.forget(KEY, TOKEN, "A")
    assert cache.load(KEY, TOKEN) is None
    assert listing(cache) == [".lock"]


def test_forget_leaves_a_cache_it_cannot_open_alone(cache, warnings):
    record(cache, complete=True, A="1")
    before = (cache.directory / KEY.file_name).read_bytes()
    cache.forget(KEY, "another-token", "A")
    cache.forget(KEY, TOKEN, "NOT_CACHED")
    assert (cache.directory / KEY.file_name).read_bytes() == before
    assert warnings == []


def test_wipe_server_removes_every_cache_of_that_server_and_no_other(cache):
    record(cache, KEY, complete=True, A="1")
    record(cache, BOB, complete=True, token="bobs-token", A="1")
    record(cache, ELSEWHERE, complete=True, A="1")
    assert cache.wipe_server(SERVER) == 2
    assert cache.load(KEY, TOKEN) is None
    assert cache.load(BOB, "bobs-token") is None
    assert values(loaded(cache, ELSEWHERE)) == {"A": "1"}


def test_wipe_server_leaves_a_file_it_cannot_read_for_clear(cache):
    record(cache, KEY, complete=True, A="1")
    (cache.directory / BOB.file_name).write_bytes(b"damaged")
    assert cache.wipe_server(SERVER) == 1
    assert listing(cache) == [".lock", BOB.file_name]
    assert cache.clear() == 1
    assert listing(cache) == [".lock"]


def test_clear_removes_this_logins_cache_or_all(cache):
    record(cache, KEY, complete=True, A="1")
    record(cache, BOB, complete=True, A="1")
    record(cache, ELSEWHERE, complete=True, A="1")
    assert cache.clear(KEY) == 1
    assert cache.clear(KEY) == 0
    assert cache.load(KEY, TOKEN) is None
    assert isinstance(cache.load(BOB, TOKEN), Snapshot)
    assert cache.clear() == 2
    assert listing(cache) == [".lock"]


def test_clear_leaves_files_that_are_not_caches(cache):
    record(cache, complete=True, A="1")
    (cache.directory / "notes.txt").write_text("mine")
    assert cache.clear() == 1
    assert listing(cache) == [".lock", "notes.txt"]


# --- status ---------------------------------------------------------------------------------


def test_status_lists_every_cache_without_a_token_or_a_value(cache):
    record(cache, ELSEWHERE, complete=False, at=T0 - timedelta(days=1), A=SECRET_VALUE)
    record(cache, BOB, complete=True, token="bobs-token", A=SECRET_VALUE, B="2")
    record(cache, KEY, complete=True, A=SECRET_VALUE)
    (cache.directory / ("f" * 32 + ".cache")).write_bytes(b"not a cache")
    entries = cache.status()
    assert entries == [
        CacheInfo(cache.directory / KEY.file_name, SERVER, KEY.user, True, 1, T0, T0),
        CacheInfo(cache.directory / BOB.file_name, SERVER, BOB.user, True, 2, T0, T0),
        CacheInfo(
            cache.directory / ELSEWHERE.file_name,
            ELSEWHERE.server,
            ELSEWHERE.user,
            False,
            1,
            T0 - timedelta(days=1),
            T0 - timedelta(days=1),
        ),
        BrokenCache(
            cache.directory / ("f" * 32 + ".cache"),
            "it is damaged (not a cache file this leger wrote)",
        ),
    ]
    assert entries[2].age_seconds(T0) == 86_400
    assert_quiet_about_secrets(repr(entries))


def test_snapshots_never_show_a_value_in_their_repr(cache):
    record(cache, complete=True, A=SECRET_VALUE)
    assert_quiet_about_secrets(repr(loaded(cache)))


# --- user keys for LEGER_TOKEN ---------------------------------------------------------------


def jwt(payload: bytes) -> str:
    import base64

    encoded = base64.urlsafe_b64encode(payload).rstrip(b"=").decode()
    return f"eyJhbGciOiJIUzI1NiJ9.{encoded}.c2lnbmF0dXJl"


def test_a_jwt_names_its_subject():
    assert user_key_for_token(jwt(b'{"sub":"550e8400-e29b","exp":1}')) == "550e8400-e29b"


@pytest.mark.parametrize(
    "token",
    [
        "opaque-token-abc",
        jwt(b'{"exp":1}'),
        jwt(b'{"sub":42}'),
        jwt(b'{"sub":""}'),
        jwt(b'{"sub":"a\\nb"}'),
        jwt(b'{"sub":"' + b"u" * 300 + b'"}'),
        jwt(b"[1,2]"),
        jwt(b"not json"),
        jwt(b"[" * 5000),
        "a.!!!.c",
        "a..c",
        "eyJ.eyJ",
        "x." + "A" * 9000 + ".y",
    ],
)
def test_any_other_token_is_named_by_its_hash(token):
    import hashlib

    assert user_key_for_token(token) == "token-" + hashlib.sha256(token.encode()).hexdigest()[:16]


# --- faults: a write that fails is one warning, and nothing is left behind -----------------


def no_space(fd: int, data: bytes) -> None:
    os.write(fd, data[: len(data) // 2])
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_is_one_warning_and_the_old_cache_stays(cache, warnings):
    record(cache, complete=True, A="old")
    full = SecretCache(cache.directory, warn=warnings.append, write=no_space)
    record(full, complete=True, at=T0 + timedelta(minutes=1), A=SECRET_VALUE)
    assert warnings == [
        f"Could not update the offline cache in {cache.directory}: No space left on device"
    ]
    assert listing(cache) == [".lock", KEY.file_name]
    assert values(loaded(cache)) == {"A": "old"}


def test_a_read_only_directory_is_one_warning(cache, warnings, monkeypatch):
    record(cache, complete=True, A="old")
    real_open = os.open

    def read_only(path, flags, *args, **kwargs):
        if flags & os.O_CREAT and not os.path.exists(os.path.join(cache.directory, path)):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    record(cache, complete=True, at=T0 + timedelta(minutes=1), A=SECRET_VALUE)
    monkeypatch.undo()
    assert warnings == [
        f"Could not update the offline cache in {cache.directory}: Read-only file system"
    ]
    assert listing(cache) == [".lock", KEY.file_name]
    assert values(loaded(cache)) == {"A": "old"}


def test_a_failed_rename_leaves_no_temporary_file(cache, warnings, monkeypatch):
    record(cache, complete=True, A="old")

    def failing_replace(*args, **kwargs):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "replace", failing_replace)
    record(cache, complete=True, at=T0 + timedelta(minutes=1), A=SECRET_VALUE)
    monkeypatch.undo()
    assert warnings == [
        f"Could not update the offline cache in {cache.directory}: Input/output error"
    ]
    assert listing(cache) == [".lock", KEY.file_name]
    assert values(loaded(cache)) == {"A": "old"}


def test_an_interrupted_write_leaves_no_temporary_file(cache):
    def interrupted(fd: int, data: bytes) -> None:
        os.write(fd, data[:10])
        raise KeyboardInterrupt

    broken = SecretCache(cache.directory, warn=pytest.fail, write=interrupted)
    with pytest.raises(KeyboardInterrupt):
        record(broken, complete=True, A="1")
    assert listing(cache) == [".lock"]


def test_a_directory_that_cannot_be_made_is_one_warning(tmp_path, warnings):
    (tmp_path / "file").write_text("not a directory")
    cache = SecretCache(tmp_path / "file" / "leger", warn=warnings.append)
    record(cache, complete=True, A=SECRET_VALUE)
    assert warnings == [f"Could not update the offline cache in {cache.directory}: Not a directory"]
    assert cache.load(KEY, TOKEN) == Unusable(
        cache.directory / KEY.file_name, "it cannot be read (Not a directory)"
    )


def test_secrets_too_large_for_a_cache_are_one_warning(cache, warnings):
    big = {f"S{i}": "x" * 10240 for i in range(3300)}
    record(cache, complete=True, **big)
    assert warnings == [
        f"Could not update the offline cache in {cache.directory}: "
        "the secrets are more than a cache file holds (32 MiB)"
    ]
    assert listing(cache) == [".lock"]


def test_without_cryptography_the_cache_is_off_with_one_line(cache, warnings, monkeypatch):
    record(cache, complete=True, A="1")
    # What a broken install does: every import of the package fails.
    for module in [name for name in sys.modules if name.split(".")[0] == "cryptography"]:
        monkeypatch.setitem(sys.modules, module, None)
    monkeypatch.setitem(sys.modules, "cryptography", None)
    result = cache.load(KEY, TOKEN)
    record(cache, complete=True, at=T0 + timedelta(minutes=1), A="2")
    monkeypatch.undo()
    assert result == Unusable(
        cache.directory / KEY.file_name, "the cryptography package is not installed"
    )
    assert warnings == [
        f"Could not update the offline cache in {cache.directory}: "
        "the cryptography package is not installed"
    ]
    assert values(loaded(cache)) == {"A": "1"}


def test_a_temporary_file_left_by_a_killed_writer_is_removed_by_the_next(cache):
    record(cache, complete=True, A="1")
    orphan = cache.directory / f".{KEY.file_name.removesuffix('.cache')}.0123456789abcdef.tmp"
    orphan.write_bytes(b"half a cache")
    record(cache, complete=False, at=T0 + timedelta(minutes=1), B="2")
    assert listing(cache) == [".lock", KEY.file_name]


def test_a_lock_held_too_long_is_one_warning_not_a_hang(cache, warnings):
    record(cache, complete=True, A="old")
    held = os.open(cache.directory / ".lock", os.O_RDWR)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
        impatient = SecretCache(cache.directory, warn=warnings.append, lock_timeout=0.2)
        record(impatient, complete=True, at=T0 + timedelta(minutes=1), A="new")
    finally:
        os.close(held)
    assert warnings == [
        f"Could not update the offline cache in {cache.directory}: "
        "another leger process kept it locked for over 0.2 seconds"
    ]
    assert values(loaded(cache)) == {"A": "old"}


def test_a_failed_wipe_is_one_warning(cache, warnings, monkeypatch):
    record(cache, complete=True, A="1")

    def failing_unlink(*args, **kwargs):
        raise OSError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(os, "unlink", failing_unlink)
    assert cache.wipe_server(SERVER) == 0
    monkeypatch.undo()
    assert warnings == [
        f"Could not remove the caches of a server from the offline cache in {cache.directory}: "
        "Permission denied"
    ]


def test_a_failed_clear_is_a_cache_error(cache, monkeypatch):
    record(cache, complete=True, A="1")

    def failing_unlink(*args, **kwargs):
        raise OSError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(os, "unlink", failing_unlink)
    with pytest.raises(CacheError) as caught:
        cache.clear()
    assert caught.value.message == (
        f"Cannot clear the offline cache in {cache.directory}: Permission denied"
    )


# --- concurrency --------------------------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    from pathlib import Path

    from leger.api.results import Secret
    from leger.cache import CacheKey, SecretCache

    directory, prefix = Path(sys.argv[1]), sys.argv[2]
    cache = SecretCache(directory, warn=lambda line: print(line, file=sys.stderr))
    key = CacheKey("https://api.leger.run", "550e8400-e29b-41d4-a716-446655440000")
    for i in range(50):
        secret = Secret(f"{prefix}_{i:02d}", f"value {prefix} {i}", 1, None)
        cache.record_fetch(key, "tok-STORE-3e1f8a", [secret], complete=False, now=datetime.now(UTC))
    """
)


def test_two_processes_merging_at_once_lose_nothing(cache):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(cache.directory), prefix],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for prefix in ("P", "Q")
    ]
    results = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], results
    assert [err for _, err in results] == [b"", b""]
    snapshot = loaded(cache)
    expected = {f"{p}_{i:02d}": f"value {p} {i}" for p in ("P", "Q") for i in range(50)}
    assert values(snapshot) == expected
    assert listing(cache) == [".lock", KEY.file_name]


def test_importing_the_cache_loads_neither_the_http_stack_nor_cryptography():
    code = (
        "import sys, leger.cache\n"
        "heavy = {'httpx', 'leger_api_client', 'cryptography', 'leger.api.client'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m in heavy))"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "[]"


# --- a complete fetch replaces the cache without decrypting it, unless something in it is newer


def test_a_later_complete_fetch_replaces_without_decrypting(cache, unseals, warnings):
    record(cache, complete=True, at=T0, A="1", B="2")
    record(cache, complete=False, at=T0 + timedelta(seconds=5), C="3")
    assert unseals == [KEY.user]  # the partial fetch merged into it
    record(cache, complete=True, at=T0 + timedelta(minutes=1), A="one")
    assert unseals == [KEY.user]
    assert values(loaded(cache)) == {"A": "one"}
    assert warnings == []


def test_entries_fetched_after_a_complete_fetch_are_read_and_kept(cache, unseals):
    record(cache, complete=False, at=T0 + timedelta(seconds=10), LATE="fetched later")
    record(cache, complete=True, at=T0, A="1")
    assert unseals == [KEY.user]
    assert values(loaded(cache)) == {"A": "1", "LATE": "fetched later"}


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
    assert values(loaded(cache)) == {"B": "2"}
    assert warnings == []
