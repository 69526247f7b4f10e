"""The stored login: ``$XDG_CONFIG_HOME/leger/auth.json`` (default ~/.config/leger).

The directory is 0700 and the file 0600. Writes are atomic (temp file in the same
directory, fsync, rename), so a crash or concurrent logins never leave a partial
file. A missing, empty, corrupted or incomplete file reads as "not logged in".
A file readable by others is tightened on load; a symlink or non-regular file is
refused, so the token is never read from or written through somewhere else.
A token that could not be sent unchanged in a header is neither saved nor loaded.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from leger.errors import TokenStoreError
from leger.times import rfc3339_seconds

FILE_NAME = "auth.json"
_FIELDS = ("token", "token_type", "expires_at", "user_uuid", "user_email")
# A login saved before logins were bound to a server was made against the default one.
LEGACY_API_URL = "https://api.leger.run"
# What an Authorization header carries as is: printable ASCII, spaces only inside
# (a JWT, like any RFC 6750 token, fits; the contract only says "string"). Line
# breaks, other control and non-ASCII characters could not be sent, or would be
# sent as something else.
_SENDABLE_TOKEN = re.compile(r"(?=.{1,16384}\Z)[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?\Z")


def is_sendable_token(token: str) -> bool:
    """True if ``token`` can go into ``Authorization: Bearer <token>`` unchanged."""
    return _SENDABLE_TOKEN.match(token) is not None


@dataclass(frozen=True)
class StoredAuth:
    """A token and who it belongs to, as kept on disk."""

    token: str
    token_type: str
    expires_at: datetime
    user_uuid: str
    user_email: str
    api_url: str = LEGACY_API_URL  # the server the token came from; it is sent nowhere else
    api_routes: str | None = None  # "rest" or "v0.1", found at login

    def is_valid(self, now: datetime) -> bool:
        """True until ``expires_at``."""
        return now < self.expires_at

    def to_json(self) -> str:
        """The file's content."""
        data = asdict(self)
        data["expires_at"] = rfc3339_seconds(self.expires_at)
        return json.dumps(data, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> StoredAuth | None:
        """Parse the file's content; None when it is not a complete, well-formed login."""
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict) or not all(
            isinstance(data.get(key), str) and data[key] for key in _FIELDS
        ):
            return None
        try:
            expires_at = datetime.fromisoformat(data["expires_at"])
        except ValueError:
            return None
        if expires_at.tzinfo is None or not is_sendable_token(data["token"]):
            return None
        api_url = data.get("api_url", LEGACY_API_URL)
        api_routes = data.get("api_routes")
        if not isinstance(api_url, str) or api_routes not in (None, "rest", "v0.1"):
            return None
        return cls(
            **{key: data[key] for key in _FIELDS if key != "expires_at"},
            expires_at=expires_at,
            api_url=api_url,
            api_routes=api_routes,
        )


class TokenStore:
    """Load, save and clear the login in ``config_dir``."""

    def __init__(self, config_dir: Path, warn: Callable[[str], None]) -> None:
        self.config_dir = config_dir
        self.path = config_dir / FILE_NAME
        self._warn = warn

    def load(self) -> StoredAuth | None:
        """The stored login, or None when there is none (or it is unreadable)."""
        try:
            info = os.lstat(self.path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise TokenStoreError(f"Cannot read {self.path}: {exc.strerror}") from None
        self._check_regular(info)
        if stat.S_IMODE(info.st_mode) & 0o077:
            self._tighten()
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(fd, "rb") as handle:
                raw = handle.read(1024 * 1024)
        except OSError as exc:
            raise TokenStoreError(f"Cannot read {self.path}: {exc.strerror}") from None
        stored = StoredAuth.from_json(raw.decode("utf-8", "replace")) if raw.strip() else None
        if stored is None and raw.strip():
            self._warn(f"Ignoring {self.path}: it is not a complete leger login")
        return stored

    def save(self, auth: StoredAuth) -> None:
        """Write the login atomically with mode 0600 in a 0700 directory."""
        if not is_sendable_token(auth.token):
            raise TokenStoreError(
                "leger.run issued a token that cannot be sent back (it is empty, too long, "
                "or has line breaks, control or non-ASCII characters); nothing was saved",
                hint="Try again later; if it persists, the server is misconfigured.",
            )
        self._prepare_dir()
        if self.path.is_symlink() or (self.path.exists() and not self.path.is_file()):
            self._check_regular(os.lstat(self.path))
        fd, temp = tempfile.mkstemp(dir=self.config_dir, prefix=".auth.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(auth.to_json())
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise TokenStoreError(f"Cannot save the login to {self.path}: {exc.strerror}") from None
        self._fsync_dir()

    def clear(self) -> bool:
        """Delete the login; True if there was one. Deleting twice is fine."""
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise TokenStoreError(f"Cannot remove {self.path}: {exc.strerror}") from None
        return True

    def _prepare_dir(self) -> None:
        try:
            self.config_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            if stat.S_IMODE(self.config_dir.stat().st_mode) != 0o700:
                os.chmod(self.config_dir, 0o700)
        except OSError as exc:
            raise TokenStoreError(f"Cannot use {self.config_dir}: {exc.strerror}") from None

    def _check_regular(self, info: os.stat_result) -> None:
        if stat.S_ISLNK(info.st_mode):
            raise TokenStoreError(
                f"Refusing to use {self.path}: it is a symbolic link",
                hint=f"Remove it and log in again:\n  rm {self.path}\n  leger auth login",
            )
        if not stat.S_ISREG(info.st_mode):
            raise TokenStoreError(
                f"Refusing to use {self.path}: it is not a regular file",
                hint="Remove it and log in again: leger auth login",
            )

    def _tighten(self) -> None:
        try:
            os.chmod(self.path, 0o600, follow_symlinks=False)
        except OSError as exc:
            raise TokenStoreError(
                f"{self.path} is readable by others and cannot be restricted: {exc.strerror}"
            ) from None
        self._warn(f"{self.path} was readable by other users; its permissions are now 0600")

    def _fsync_dir(self) -> None:
        # The rename is durable only once the directory entry is on disk.
        with contextlib.suppress(OSError):
            fd = os.open(self.config_dir, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
