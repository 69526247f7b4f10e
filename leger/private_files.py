"""Files only their owner may use: a checked directory, entries opened in it, atomic writes.

Like OpenSSH with keys, a directory or file is trusted only if it is the user's
own: one owned by someone else, or writable by group or others, is refused
(someone could have planted what leger would then trust). The checks are made
on opened descriptors (the directory opened once, its entries opened relative
to it with O_NOFOLLOW), so nothing can be swapped in between check and use. A
symlink or non-regular entry is refused, so nothing is read from or written
through somewhere else. Used by the login file and by the offline cache, each
of which words its own messages from ``NotPrivate`` and ``OSError``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable
from enum import Enum
from pathlib import Path

GROUP_OTHER_WRITE = stat.S_IWGRP | stat.S_IWOTH
GROUP_OTHER_ANY = 0o077


class Problem(Enum):
    """Why a path is not safely the user's own."""

    OTHER_OWNER = "it belongs to another user"
    WRITABLE = "other users can write to it"
    SYMLINK = "it is a symbolic link"
    NOT_REGULAR = "it is not a regular file"


class NotPrivate(Exception):
    """``path`` is refused; ``message`` says why, with no hint (each caller has its own)."""

    def __init__(self, path: Path, problem: Problem, uid: int | None = None) -> None:
        why = f"{problem.value} (uid {uid})" if uid is not None else problem.value
        self.message = f"Refusing to use {path}: {why}"
        super().__init__(self.message)
        self.path = path
        self.problem = problem


def open_private_dir(path: Path, *, create: bool, tighten: bool) -> int | None:
    """A descriptor of the checked directory ``path``; None if it is missing and not ``create``.

    ``create`` makes it (and its parents) first. Someone else's directory is
    refused; one writable by group or others is refused too, unless ``tighten``
    (for writing), which makes any directory of the user's own 0700 instead.
    Raises NotPrivate, or OSError when it cannot be made, opened or checked.
    """
    try:
        if create:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        dir_fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except FileNotFoundError:
        if create:
            raise
        return None
    try:
        info = os.fstat(dir_fd)
        _check_owner(info, path)
        if tighten and stat.S_IMODE(info.st_mode) != 0o700:
            os.fchmod(dir_fd, 0o700)
        elif stat.S_IMODE(info.st_mode) & GROUP_OTHER_WRITE:
            raise NotPrivate(path, Problem.WRITABLE)
    except BaseException:
        os.close(dir_fd)
        raise
    return dir_fd


def open_private_file(dir_fd: int, name: str, path: Path) -> tuple[int, os.stat_result] | None:
    """``name`` in the directory, opened for reading and checked; None when there is none.

    Returns the descriptor and its status (the caller tightens a file readable
    by others, in its own words). A symlink, a non-regular file, someone else's
    file or one writable by group or others raises NotPrivate (``path`` names
    it); any other failure to open raises OSError.
    """
    # O_NONBLOCK: a FIFO planted here must be refused, not waited on.
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(name, flags, dir_fd=dir_fd)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotPrivate(path, Problem.SYMLINK) from None
        if exc.errno == errno.ENXIO:  # a socket
            raise NotPrivate(path, Problem.NOT_REGULAR) from None
        raise
    try:
        info = os.fstat(fd)
        check_private_file(info, path)
    except BaseException:
        os.close(fd)
        raise
    return fd, info


def check_private_file(info: os.stat_result, path: Path) -> None:
    """Refuse (NotPrivate) a non-regular file, someone else's, or one others can write to."""
    if not stat.S_ISREG(info.st_mode):
        raise NotPrivate(path, Problem.NOT_REGULAR)
    _check_owner(info, path)
    if stat.S_IMODE(info.st_mode) & GROUP_OTHER_WRITE:
        raise NotPrivate(path, Problem.WRITABLE)


def check_replaceable(dir_fd: int, name: str, path: Path) -> None:
    """Refuse (NotPrivate) to replace a symlink or non-regular entry; a missing one is fine."""
    try:
        existing = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(existing.st_mode):
        raise NotPrivate(path, Problem.SYMLINK)
    if not stat.S_ISREG(existing.st_mode):
        raise NotPrivate(path, Problem.NOT_REGULAR)


def write_all(fd: int, data: bytes) -> None:
    """Write every byte of ``data`` to ``fd`` (``os.write`` may take only part)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def replace_atomically(
    dir_fd: int,
    name: str,
    content: bytes,
    *,
    temp_prefix: str,
    write: Callable[[int, bytes], None] = write_all,
) -> None:
    """Make ``name`` hold ``content`` (mode 0600) all at once, or leave it as it was.

    The content goes to a new temporary file in the same directory
    (``<temp_prefix><random>.tmp``), is flushed to disk, then renamed over
    ``name``. On any failure the temporary file is removed and the error
    (OSError) raised. ``write`` is how the bytes reach the file (tests pass one
    that fails like a full disk).
    """
    # os.urandom is what secrets.token_hex reads; the secrets module would add hmac & co.
    temp = f"{temp_prefix}{os.urandom(8).hex()}.tmp"
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        fd = os.open(temp, flags, 0o600, dir_fd=dir_fd)
        try:
            write(fd, content)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp, dir_fd=dir_fd)
        raise
    # The rename is durable only once the directory entry is on disk.
    with contextlib.suppress(OSError):
        os.fsync(dir_fd)


def _check_owner(info: os.stat_result, path: Path) -> None:
    if info.st_uid != os.geteuid():
        raise NotPrivate(path, Problem.OTHER_OWNER, uid=info.st_uid)
