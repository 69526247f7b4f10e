"""The stored login: ``$XDG_CONFIG_HOME/leger/auth.json`` (default ~/.config/leger).

The directory is 0700 and the file 0600. Writes are atomic (temp file in the same
directory, fsync, rename), so a crash or concurrent logins never leave a partial
file. A missing, empty, corrupted or incomplete file reads as "not logged in".

Like OpenSSH with keys, the login is trusted only if it is the user's own: a
file or directory owned by someone else, or writable by group or others, is
refused (someone could have planted a token that sends your secrets to their
account). The checks are made on the opened descriptors (the directory opened
once, the file opened relative to it with O_NOFOLLOW), so nothing can be swapped
in between check and use. The user's own file that is merely readable by
others is tightened on load, with a warning. A symlink or non-regular file is
refused, so the token is never read from or written through somewhere else.
A token that could not be sent unchanged in a header is neither saved nor
loaded, and a login is saved only if it reads back exactly as it was given.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Final

from leger.api.routes import RouteForm, is_route_form
from leger.api.url import checked_base_url
from leger.errors import TokenStoreError, UsageError
from leger.private_files import (
    GROUP_OTHER_ANY,
    NotPrivate,
    Problem,
    check_replaceable,
    open_private_dir,
    open_private_file,
    replace_atomically,
)
from leger.record import Record
from leger.settings import DEFAULT_API_URL
from leger.times import rfc3339_seconds
from leger.token_format import is_sendable_token

FILE_NAME = "auth.json"
# Required non-empty strings; api_url and api_routes came later and are optional.
_FIELDS = ("token", "token_type", "expires_at", "user_uuid", "user_email")
# A login is a few hundred bytes; more is not a login, and is not read further.
MAX_FILE_SIZE = 1024 * 1024


class StoredAuth(Record):
    """A token, who it belongs to, and which API (URL and route form) issued it."""

    __slots__ = (
        "api_routes",
        "api_url",
        "expires_at",
        "token",
        "token_type",
        "user_email",
        "user_uuid",
    )

    def __init__(
        self,
        token: str,
        token_type: str,
        expires_at: datetime,
        user_uuid: str,
        user_email: str,
        api_url: str,
        api_routes: RouteForm | None,
    ) -> None:
        self.token: Final = token
        self.token_type: Final = token_type
        self.expires_at: Final = expires_at
        self.user_uuid: Final = user_uuid
        self.user_email: Final = user_email
        self.api_url: Final = api_url
        self.api_routes: Final = api_routes

    def is_valid(self, now: datetime) -> bool:
        """True until ``expires_at``."""
        return now < self.expires_at

    def to_json(self) -> str:
        """The file's content."""
        data = {
            "token": self.token,
            "token_type": self.token_type,
            "expires_at": rfc3339_seconds(self.expires_at),
            "user_uuid": self.user_uuid,
            "user_email": self.user_email,
            "api_url": self.api_url,
            "api_routes": self.api_routes,
        }
        return json.dumps(data, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> StoredAuth | None:
        """Parse the file's content; None when it is not a complete, well-formed login.

        A file from before api_url was stored came from the default API.
        """
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return None
        if not isinstance(data, dict) or not all(
            isinstance(data.get(key), str) and data[key] for key in _FIELDS
        ):
            return None
        api_url = data.get("api_url", DEFAULT_API_URL)
        api_routes = data.get("api_routes")
        if not _is_base_url(api_url) or not (api_routes is None or is_route_form(api_routes)):
            return None
        try:
            expires_at = datetime.fromisoformat(data["expires_at"])
        except ValueError:
            return None
        if expires_at.tzinfo is None or not is_sendable_token(data["token"]):
            return None
        return cls(
            token=data["token"],
            token_type=data["token_type"],
            expires_at=expires_at,
            user_uuid=data["user_uuid"],
            user_email=data["user_email"],
            api_url=api_url,
            api_routes=api_routes,
        )


def _is_base_url(value: object) -> bool:
    # The URL was checked as LEGER_API_URL when the login was made; a file that
    # says otherwise was edited, and its URL is shown and compared as is.
    try:
        return isinstance(value, str) and checked_base_url(value) == value
    except UsageError:
        return False


class TokenStore:
    """Load, save and clear the login in ``config_dir``."""

    def __init__(self, config_dir: Path, warn: Callable[[str], None]) -> None:
        self.config_dir = config_dir
        self.path = config_dir / FILE_NAME
        self._warn = warn

    def load(self) -> StoredAuth | None:
        """The stored login, or None when there is none (or it is unreadable).

        TokenStoreError when the file or its directory is not safely the user's own.
        """
        with self._opened_dir(create=False) as dir_fd:
            if dir_fd is None:
                return None
            fd = self._open_file(dir_fd)
        if fd is None:
            return None
        with os.fdopen(fd, "rb") as handle:
            try:
                raw = handle.read(MAX_FILE_SIZE + 1)
            except OSError as exc:
                raise TokenStoreError(f"Cannot read {self.path}: {exc.strerror}") from None
        stored = StoredAuth.from_json(raw.decode("utf-8", "replace")) if raw.strip() else None
        if stored is None and raw.strip():
            self._warn(f"Ignoring {self.path}: it is not a complete leger login")
        return stored

    def check_writable(self) -> None:
        """Refuse now, before a login is asked for, what ``save`` would refuse."""
        with self._opened_dir(create=False, tighten=True) as dir_fd:
            if dir_fd is not None:
                self._check_entry(dir_fd)

    def save(self, auth: StoredAuth) -> None:
        """Write the login atomically with mode 0600 in a 0700 directory.

        Only a login that reads back exactly as given is written; otherwise
        TokenStoreError, and the previous file (if any) is left as it was.
        """
        if not is_sendable_token(auth.token):
            raise TokenStoreError(
                "leger.run issued a token that cannot be sent back (it is empty, too long, "
                "or has line breaks, control or non-ASCII characters); nothing was saved",
                hint="Try again later; if it persists, the server is misconfigured.",
            )
        content = auth.to_json()
        readback = StoredAuth.from_json(content)
        if (
            len(content.encode()) > MAX_FILE_SIZE
            or readback is None
            or readback.to_json() != content
        ):
            raise TokenStoreError(
                "leger.run's login answer cannot be stored (a field is empty, malformed "
                "or too long); nothing was saved",
                hint="Try again later; if it persists, the server is misconfigured.",
            )
        with self._opened_dir(create=True, tighten=True) as dir_fd:
            assert dir_fd is not None
            self._check_entry(dir_fd)
            self._write(dir_fd, content)

    def clear(self) -> bool:
        """Delete the login; True if there was one. Deleting twice is fine."""
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise TokenStoreError(f"Cannot remove {self.path}: {exc.strerror}") from None
        return True

    @contextlib.contextmanager
    def _opened_dir(self, *, create: bool, tighten: bool = False) -> Iterator[int | None]:
        """The checked directory's descriptor; None if it does not exist and ``create`` is off.

        Someone else's directory is refused. One writable by group or others is
        refused for reading; ``tighten`` (for writing) makes it 0700 instead.
        """
        try:
            dir_fd = open_private_dir(self.config_dir, create=create, tighten=tighten)
        except NotPrivate as exc:
            raise self._refused(exc) from None
        except OSError as exc:
            raise TokenStoreError(f"Cannot use {self.config_dir}: {exc.strerror}") from None
        if dir_fd is None:
            yield None
            return
        try:
            yield dir_fd
        finally:
            os.close(dir_fd)

    def _open_file(self, dir_fd: int) -> int | None:
        """The login file's descriptor, checked (and tightened), or None when there is none."""
        try:
            opened = open_private_file(dir_fd, FILE_NAME, self.path)
        except NotPrivate as exc:
            raise self._refused(exc) from None
        except OSError as exc:
            raise TokenStoreError(f"Cannot read {self.path}: {exc.strerror}") from None
        if opened is None:
            return None
        fd, info = opened
        if stat.S_IMODE(info.st_mode) & GROUP_OTHER_ANY:
            try:
                self._tighten(fd)
            except BaseException:
                os.close(fd)
                raise
        return fd

    def _check_entry(self, dir_fd: int) -> None:
        """Refuse to replace a symlink or non-regular file with the login."""
        try:
            check_replaceable(dir_fd, FILE_NAME, self.path)
        except NotPrivate as exc:
            raise self._refused(exc) from None
        except OSError as exc:
            raise TokenStoreError(f"Cannot save the login to {self.path}: {exc.strerror}") from None

    def _write(self, dir_fd: int, content: str) -> None:
        try:
            replace_atomically(dir_fd, FILE_NAME, content.encode("utf-8"), temp_prefix=".auth.")
        except OSError as exc:
            raise TokenStoreError(f"Cannot save the login to {self.path}: {exc.strerror}") from None

    def _refused(self, exc: NotPrivate) -> TokenStoreError:
        """The refusal in the login's words: what to do about it."""
        if exc.problem is Problem.OTHER_OWNER:
            hint = (
                "A login is used only from your own files. If you did not create "
                f"{exc.path}, remove it, then log in again: leger auth login"
            )
        elif exc.problem is Problem.WRITABLE and exc.path == self.config_dir:
            hint = f"Make it private if you trust it:\n  chmod 700 {self.config_dir}"
        elif exc.problem is Problem.WRITABLE:
            hint = (
                "Someone may have replaced the token. Remove it and log in again:\n"
                f"  rm {self.path}\n  leger auth login"
            )
        elif exc.problem is Problem.SYMLINK:
            hint = f"Remove it and log in again:\n  rm {self.path}\n  leger auth login"
        else:
            hint = "Remove it and log in again: leger auth login"
        return TokenStoreError(exc.message, hint=hint)

    def _tighten(self, fd: int) -> None:
        try:
            os.fchmod(fd, 0o600)
        except OSError as exc:
            raise TokenStoreError(
                f"{self.path} is readable by others and cannot be restricted: {exc.strerror}"
            ) from None
        self._warn(f"{self.path} was readable by other users; its permissions are now 0600")
