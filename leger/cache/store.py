"""The offline cache's directory: one encrypted file per server and user, written safely.

``$XDG_CACHE_HOME/leger/`` (default ``~/.cache/leger``) holds the user's own
files only, by the rules the login file follows (``leger.private_files``): the
directory is made 0700 (tightened when written to), the files 0600; a directory
or file of another user, or writable by others, a symlink or a non-regular
file is refused. Every write is atomic (temporary file, fsync, rename, fsync
of the directory), and every read-modify-write holds an exclusive lock on
``.lock`` there, so two leger processes never lose each other's update or leave
a broken file. Temporary files are only ever there while their writer holds
the lock, so whoever takes it removes any a killed writer left behind.

Beside a cache file there may be its fetch times file (``<name>.fetched``,
``leger.cache.fetch_times``): a fetch by name that finds the values unchanged
writes only the times they were fetched, and once that file knows the values
it does so without decrypting (or loading cryptography). Reading applies
the times when they verify, so what a cache holds is what ``merge`` says,
whichever of the two files a fetch wrote; sealing the cache again drops them.

A cache serves a command; it never fails one. Writing (after a fetch, after a
404 or a rejected login) reports any failure (a full disk, a read-only or
unsafe directory, a lock held too long) in one warning and returns; reading
returns ``Unusable`` with a reason. Only ``status`` and ``clear``, which a user
asks for by name, raise ``CacheError``. No value or token is ever in a message.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Final

from leger.cache import fetch_times, fileformat
from leger.cache.fetch_times import FetchTimes
from leger.cache.fileformat import MAX_FILE_BYTES, MAX_HEADER_BYTES, CacheHeader, Unreadable
from leger.cache.identity import CacheKey, hashlib_sha256_hex, is_file_name
from leger.cache.snapshot import (
    FetchedSecret,
    Snapshot,
    age_seconds,
    merge,
    with_fetch_times,
    without,
)
from leger.errors import LegerError
from leger.private_files import (
    GROUP_OTHER_ANY,
    NotPrivate,
    Problem,
    check_private_file,
    check_replaceable,
    open_private_dir,
    open_private_file,
    replace_atomically,
    write_all,
)
from leger.record import Record

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

LOCK_NAME = ".lock"
# Another leger holds the lock for milliseconds (one file's read, merge and
# write); one that keeps it this long is stuck, and this command goes on without.
LOCK_TIMEOUT = 5.0
_LOCK_POLL = 0.01
# What ``replace_atomically`` names a cache file's temporary copy.
_TEMP = r"\.[0-9a-f]{32}\.[0-9a-f]{16}\.tmp"


class CacheError(LegerError):
    """``leger cache status`` or ``clear`` cannot use the cache directory."""


class CacheBusy(Exception):
    """Another process held the cache's lock for longer than ``LOCK_TIMEOUT``."""


class Unusable(Record):
    """A cache file there is, but that cannot be used; ``reason`` says why, without values."""

    __slots__ = ("path", "reason")

    def __init__(self, path: Path, reason: str) -> None:
        self.path: Final = path
        self.reason: Final = reason

    @property
    def message(self) -> str:
        """The one line a command shows before going on without it."""
        return f"Ignoring the offline cache {self.path}: {self.reason}"


class CacheInfo(Record):
    """One cache file as ``leger cache status`` shows it: no value, no key needed."""

    __slots__ = ("complete", "count", "fetched_at", "path", "server", "updated_at", "user")

    def __init__(
        self,
        path: Path,
        server: str,
        user: str,
        complete: bool,
        count: int,
        fetched_at: datetime,
        updated_at: datetime,
    ) -> None:
        self.path: Final = path
        self.server: Final = server
        self.user: Final = user
        self.complete: Final = complete
        self.count: Final = count
        self.fetched_at: Final = fetched_at
        self.updated_at: Final = updated_at

    def age_seconds(self, now: datetime) -> float:
        """How old the cache is: since ``fetched_at``, its oldest time."""
        return age_seconds(self.fetched_at, now)


class BrokenCache(Record):
    """A cache file whose header cannot be read; ``reason`` says why."""

    __slots__ = ("path", "reason")

    def __init__(self, path: Path, reason: str) -> None:
        self.path: Final = path
        self.reason: Final = reason


class _Opened(Record):
    """A cache file as read: its bytes and header, what it seals, and that as of its fetch times."""

    __slots__ = ("data", "header", "sealed", "snapshot")

    def __init__(
        self, data: bytes, header: CacheHeader, sealed: Snapshot, snapshot: Snapshot
    ) -> None:
        self.data: Final = data
        self.header: Final = header
        self.sealed: Final = sealed
        self.snapshot: Final = snapshot

    def times_of(self, snapshot: Snapshot, token: str) -> FetchTimes | None:
        """Fetch times that make this file hold ``snapshot``; None if its values differ."""
        if snapshot.secrets.keys() != self.sealed.secrets.keys():
            return None
        times = [snapshot.secrets[name].fetched_at for name in self.sealed.secrets]
        if with_fetch_times(self.sealed, times) != snapshot:
            return None
        return fetch_times.of_snapshot(snapshot, self.sealed, token, self.header)


class SecretCache:
    """Every cache in one directory: record, load, forget, wipe, clear, list."""

    def __init__(
        self,
        directory: Path,
        *,
        warn: Callable[[str], None],
        write: Callable[[int, bytes], None] = write_all,
        lock_timeout: float = LOCK_TIMEOUT,
    ) -> None:
        """A cache in ``directory``; ``warn`` gets the one line a failed update is.

        ``write`` puts a file's bytes on disk (tests pass one that fails like a
        full disk); ``lock_timeout`` is how long a write waits for another's.
        """
        self.directory = directory
        self._warn = warn
        self._write_bytes = write
        self._lock_timeout = lock_timeout

    # --- one login's cache ---------------------------------------------------------

    def record_fetch(
        self,
        key: CacheKey,
        token: str,
        secrets: Iterable[FetchedSecret],
        *,
        complete: bool,
        now: datetime,
    ) -> None:
        """Store what a successful fetch at ``now`` returned; a failure is one warning.

        ``complete`` says the fetch was of every secret the server has (the
        caller knows; a list that may have been cut short is not complete). The
        rules of ``leger.cache.snapshot.merge`` decide what the cache then holds.

        When only the times the cached values were fetched change (a fetch by
        name of unchanged values), only the fetch times file is written
        (``leger.cache.fetch_times``); when the file already knows the values,
        that is found without decrypting the cache.
        """
        fetched = list(secrets)
        with self._reporting("update"), self._locked_dir(create=True) as dir_fd:
            assert dir_fd is not None  # made if missing
            if not complete and fetched and self._refetch(dir_fd, key, token, fetched, now):
                return
            current = self._current(dir_fd, key, token, replaced_at=now if complete else None)
            old = None if current is None else current.snapshot
            snapshot = merge(
                old, fetched, complete=complete, server=key.server, user=key.user, now=now
            )
            if snapshot == old or not (snapshot.secrets or snapshot.complete):
                return
            times = None if current is None or complete else current.times_of(snapshot, token)
            if current is not None and times is not None:
                self._save_times(dir_fd, key.file_name, token, times, current.data)
            else:
                self._save(dir_fd, key, token, snapshot)

    def load(self, key: CacheKey, token: str) -> Snapshot | Unusable | None:
        """The cache of ``key`` opened with ``token``; None when there is none.

        Unusable (never an exception) when it cannot be used: another login's,
        damaged or altered, too large, or not safely the user's own.
        """
        path = self.directory / key.file_name
        try:
            dir_fd = open_private_dir(self.directory, create=False, tighten=False)
            if dir_fd is None:
                return None
            try:
                opened = self._read(dir_fd, key, token)
            finally:
                os.close(dir_fd)
        except NotPrivate as exc:
            return Unusable(exc.path, exc.problem.value)
        except Unreadable as exc:
            return Unusable(path, exc.reason)
        except OSError as exc:
            return Unusable(path, f"it cannot be read ({_why(exc)})")
        except ImportError:
            return Unusable(path, "the cryptography package is not installed")
        return None if opened is None else opened.snapshot

    def forget(self, key: CacheKey, token: str, name: str) -> None:
        """Remove ``name`` from the cache of ``key`` (the server says it does not exist).

        A cache that is missing or cannot be opened is left alone; a failure is
        one warning. A partial cache left with nothing in it is removed.
        """
        with self._reporting("update"), self._locked_dir(create=False) as dir_fd:
            current = None if dir_fd is None else self._current(dir_fd, key, token)
            if dir_fd is None or current is None or name not in current.snapshot.secrets:
                return
            snapshot = without(current.snapshot, name)
            if snapshot.secrets or snapshot.complete:
                self._save(dir_fd, key, token, snapshot)
            else:
                os.unlink(key.file_name, dir_fd=dir_fd)
                _drop_times(dir_fd, key.file_name)

    # --- every cache -------------------------------------------------------------------

    def wipe_server(self, server: str) -> int:
        """Remove every cache of ``server``, whoever's (it rejected a login): how many.

        Needs no token: the server is in each file's header. A file whose
        header cannot be read is left for ``clear``. A failure is one warning.
        """
        removed = 0
        action = "remove the caches of a server from"
        with self._reporting(action), self._locked_dir(create=False) as dir_fd:
            for name, header in self._headers(dir_fd):
                if isinstance(header, CacheHeader) and header.server == server:
                    assert dir_fd is not None  # there are headers only in a directory
                    os.unlink(name, dir_fd=dir_fd)
                    _drop_times(dir_fd, name)
                    removed += 1
        return removed

    def clear(self, key: CacheKey | None = None) -> int:
        """Remove the cache of ``key``, or every cache when it is None: how many.

        CacheError when the directory cannot be used or a file cannot be removed.
        """
        removed = 0
        try:
            with self._locked_dir(create=False) as dir_fd:
                if dir_fd is None:
                    return 0
                names = [key.file_name] if key is not None else self._entries(dir_fd, is_file_name)
                for name in names:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(name, dir_fd=dir_fd)
                        removed += 1
                    _drop_times(dir_fd, name)
                if key is None:  # and any a cache removed by an older leger left behind
                    for name in self._entries(dir_fd, fetch_times.is_file_name):
                        with contextlib.suppress(FileNotFoundError):
                            os.unlink(name, dir_fd=dir_fd)
        except (OSError, NotPrivate, CacheBusy) as exc:
            raise CacheError(
                f"Cannot clear the offline cache in {self.directory}: {self._describe(exc)}"
            ) from None
        return removed

    def status(self) -> list[CacheInfo | BrokenCache]:
        """Every cache file, from its header alone (no token, no value), by server and user.

        CacheError when the directory itself cannot be used.
        """
        try:
            dir_fd = open_private_dir(self.directory, create=False, tighten=False)
            if dir_fd is None:
                return []
            try:
                found = [
                    (name, header, self._peek_times(dir_fd, name, header))
                    for name, header in self._headers(dir_fd)
                ]
            finally:
                os.close(dir_fd)
        except (OSError, NotPrivate) as exc:
            raise CacheError(
                f"Cannot read the offline cache in {self.directory}: {self._describe(exc)}"
            ) from None
        infos: list[CacheInfo | BrokenCache] = [
            _info(self.directory / name, header, times)
            if isinstance(header, CacheHeader)
            else BrokenCache(self.directory / name, header)
            for name, header, times in found
        ]
        return sorted(infos, key=_status_order)

    # --- the parts ---------------------------------------------------------------------

    @contextlib.contextmanager
    def _reporting(self, action: str) -> Iterator[None]:
        """Turn a failure to write into one warning: the command goes on without the cache."""
        try:
            yield
        except (OSError, NotPrivate, CacheBusy, Unreadable, ImportError) as exc:
            self._warn(
                f"Could not {action} the offline cache in {self.directory}: {self._describe(exc)}"
            )

    @contextlib.contextmanager
    def _locked_dir(self, *, create: bool) -> Iterator[int | None]:
        """The directory (None if it is missing and not ``create``), with its lock held.

        Temporary files left by a writer that was killed are removed once the
        lock is ours: no one else can be writing one.
        """
        dir_fd = open_private_dir(self.directory, create=create, tighten=True)
        if dir_fd is None:
            yield None
            return
        try:
            lock_fd = self._lock(dir_fd)
            try:
                for name in self._entries(dir_fd, _is_temp):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(name, dir_fd=dir_fd)
                yield dir_fd
            finally:
                os.close(lock_fd)  # which releases the lock
        finally:
            os.close(dir_fd)

    def _lock(self, dir_fd: int) -> int:
        # Imported here: only a write takes the lock, and an offline read needs none.
        import fcntl

        path = self.directory / LOCK_NAME
        # O_NONBLOCK: a FIFO planted here is refused (below), not waited on.
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        try:
            fd = os.open(LOCK_NAME, flags, 0o600, dir_fd=dir_fd)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise NotPrivate(path, Problem.SYMLINK) from None
            if exc.errno == errno.ENXIO:  # a socket
                raise NotPrivate(path, Problem.NOT_REGULAR) from None
            raise
        try:
            check_private_file(os.fstat(fd), path)
            deadline = time.monotonic() + self._lock_timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return fd
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise CacheBusy from None
                    time.sleep(_LOCK_POLL)
        except BaseException:
            os.close(fd)
            raise

    def _current(
        self, dir_fd: int, key: CacheKey, token: str, *, replaced_at: datetime | None = None
    ) -> _Opened | None:
        """The cache a write starts from: None when there is none or it cannot be used.

        One that cannot be used (another login's, damaged) is replaced; one that
        is not safely the user's own (a symlink, someone else's) raises NotPrivate.
        ``replaced_at`` is the time of a complete fetch, which keeps nothing of
        the snapshot but entries fetched after it (``merge``).
        """
        try:
            return self._read(dir_fd, key, token, replaced_at=replaced_at)
        except Unreadable:
            return None

    def _read(
        self, dir_fd: int, key: CacheKey, token: str, *, replaced_at: datetime | None = None
    ) -> _Opened | None:
        name = key.file_name
        data = self._cache_bytes(dir_fd, name, replaced_at=replaced_at)
        if data is None:
            return None
        sealed = fileformat.decode(data, token, server=key.server, user=key.user)
        header = fileformat.read_header(data)[0]
        times = self._fetch_times(dir_fd, name, token, data, header)
        snapshot = sealed if times is None else with_fetch_times(sealed, times.times)
        return _Opened(data, header, sealed, snapshot)

    def _cache_bytes(
        self, dir_fd: int, name: str, *, replaced_at: datetime | None = None
    ) -> bytes | None:
        """The cache file's bytes; None when there is none, or nothing in it outlives
        a complete fetch at ``replaced_at`` (see ``_outlives``: then only its header is read).
        """
        path = self.directory / name
        opened = open_private_file(dir_fd, name, path)
        if opened is None:
            return None
        fd, info = opened
        with os.fdopen(fd, "rb") as handle:
            if stat.S_IMODE(info.st_mode) & GROUP_OTHER_ANY:
                os.fchmod(fd, 0o600)
                self._warn(f"{path} was readable by other users; its permissions are now 0600")
            if info.st_size > MAX_FILE_BYTES:
                raise Unreadable(f"it is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
            data = handle.read(MAX_HEADER_BYTES + 1)
            if replaced_at is not None and not self._outlives(dir_fd, name, data, replaced_at):
                return None
            return data + handle.read(MAX_FILE_BYTES + 1 - len(data))

    def _outlives(self, dir_fd: int, name: str, start: bytes, replaced_at: datetime) -> bool:
        """Whether anything in the cache file that starts with ``start`` outlives a complete fetch.

        Only entries fetched after it do (``merge``), and its header (and fetch
        times file) say when its newest entry was fetched: when that is not
        later, the file is replaced without being decrypted. Neither is
        authenticated before decrypting, but here they can only decide that a
        file is replaced, as any file that cannot be used is; one that claims
        a later time is decrypted, as before.
        """
        header = fileformat.read_header(start)[0]
        times = self._peek_times(dir_fd, name, header)
        return max((header.updated_at, *(times.times if times else ()))) > replaced_at

    def _refetch(
        self,
        dir_fd: int,
        key: CacheKey,
        token: str,
        fetched: list[FetchedSecret],
        now: datetime,
    ) -> bool:
        """Record ``fetched`` as fetched again at ``now`` if the cache holds each unchanged.

        Known from the fetch times file alone (its digests), without decrypting:
        whether that was so (and the times are written); if not, the caller
        merges as for any fetch. Needs only the standard library (hashlib is
        loaded by httpx in every command that fetches).
        """
        name = key.file_name_hashed_by(hashlib_sha256_hex)
        try:
            data = self._cache_bytes(dir_fd, name)
            if data is None:
                return False
            header = fileformat.read_header(data)[0]
        except Unreadable:
            return False  # which the merge replaces
        times = self._fetch_times(dir_fd, name, token, data, header)
        if times is None or (header.server, header.user) != (key.server, key.user):
            return False
        if header.complete and now < header.fetched_at:
            return True  # a fetch older than a complete snapshot changes nothing (merge)
        updated = fetch_times.refetched(times, token, header, fetched, now)
        if updated is None:
            return False
        if updated != times:
            self._save_times(dir_fd, name, token, updated, data)
        return True

    def _fetch_times(
        self, dir_fd: int, name: str, token: str, data: bytes, header: CacheHeader
    ) -> FetchTimes | None:
        """The fetch times of the cache file ``name`` (bytes ``data``), verified; else None."""
        found = self._times_bytes(dir_fd, name)
        return None if found is None else fetch_times.decode(found, token, data, header)

    def _peek_times(self, dir_fd: int, name: str, header: CacheHeader | str) -> FetchTimes | None:
        """The fetch times of the cache file ``name``, unverified (no token: as its header)."""
        if not isinstance(header, CacheHeader):
            return None
        found = self._times_bytes(dir_fd, name)
        return None if found is None else fetch_times.peek(found, header)

    def _times_bytes(self, dir_fd: int, cache_name: str) -> bytes | None:
        """The fetch times file's bytes, if there is one that is safely the user's own.

        Anything else is no fetch times file: it can only make values younger.
        """
        name = fetch_times.file_name(cache_name)
        try:
            opened = open_private_file(dir_fd, name, self.directory / name)
            if opened is None:
                return None
            fd, info = opened
            with os.fdopen(fd, "rb") as handle:
                if stat.S_IMODE(info.st_mode) & GROUP_OTHER_ANY:
                    return None
                return handle.read(MAX_FILE_BYTES + 1)
        except (OSError, NotPrivate):
            return None

    def _save(self, dir_fd: int, key: CacheKey, token: str, snapshot: Snapshot) -> None:
        name = key.file_name
        check_replaceable(dir_fd, name, self.directory / name)
        content = fileformat.encode(snapshot, token)
        replace_atomically(
            dir_fd,
            name,
            content,
            temp_prefix=_temp_prefix(name),
            write=self._write_bytes,
        )
        # Its times were for the file just replaced (and no longer verify).
        _drop_times(dir_fd, name)

    def _save_times(
        self, dir_fd: int, cache_name: str, token: str, times: FetchTimes, cache_file: bytes
    ) -> None:
        name = fetch_times.file_name(cache_name)
        check_replaceable(dir_fd, name, self.directory / name)
        replace_atomically(
            dir_fd,
            name,
            fetch_times.encode(times, token, cache_file),
            temp_prefix=_temp_prefix(cache_name),
            write=self._write_bytes,
        )

    def _headers(self, dir_fd: int | None) -> Iterator[tuple[str, CacheHeader | str]]:
        """Each cache file's name and header, or the reason it has none."""
        if dir_fd is None:
            return
        for name in sorted(self._entries(dir_fd, is_file_name)):
            path = self.directory / name
            try:
                opened = open_private_file(dir_fd, name, path)
                if opened is None:
                    continue  # removed since it was listed
                with os.fdopen(opened[0], "rb") as handle:
                    start = handle.read(MAX_HEADER_BYTES + 1)
                yield name, fileformat.read_header(start)[0]
            except NotPrivate as exc:
                yield name, exc.problem.value
            except Unreadable as exc:
                yield name, exc.reason
            except OSError as exc:
                yield name, f"it cannot be read ({_why(exc)})"

    @staticmethod
    def _entries(dir_fd: int, wanted: Callable[[str], object]) -> list[str]:
        return [name for name in os.listdir(dir_fd) if wanted(name)]

    def _describe(self, exc: BaseException) -> str:
        if isinstance(exc, NotPrivate):
            return exc.message
        if isinstance(exc, CacheBusy):
            return f"another leger process kept it locked for over {self._lock_timeout:g} seconds"
        if isinstance(exc, Unreadable):
            return exc.reason
        if isinstance(exc, ImportError):
            return "the cryptography package is not installed"
        if isinstance(exc, OSError):
            return _why(exc)
        return type(exc).__name__


def _info(path: Path, header: CacheHeader, times: FetchTimes | None) -> CacheInfo:
    fetched_at, updated_at = header.fetched_at, header.updated_at
    if times is not None and times.times:  # as a rewrite would have sealed them (merge)
        fetched_at = fetched_at if header.complete else min(times.times)
        updated_at = max(times.times)
    return CacheInfo(
        path=path,
        server=header.server,
        user=header.user,
        complete=header.complete,
        count=header.count,
        fetched_at=fetched_at,
        updated_at=updated_at,
    )


def _status_order(entry: CacheInfo | BrokenCache) -> tuple[int, str, str, str]:
    if isinstance(entry, CacheInfo):
        return (0, entry.server, entry.user, entry.path.name)
    return (1, "", "", entry.path.name)


def _is_temp(name: str) -> bool:
    # Compiled on first use (by re): a read, which takes no lock, never needs it.
    return re.fullmatch(_TEMP, name) is not None


def _temp_prefix(cache_name: str) -> str:
    # Every temporary file of a cache's (its file, its fetch times) matches _TEMP.
    return f".{cache_name.removesuffix('.cache')}."


def _drop_times(dir_fd: int, cache_name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(fetch_times.file_name(cache_name), dir_fd=dir_fd)


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__
