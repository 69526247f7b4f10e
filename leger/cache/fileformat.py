"""A cache file's bytes: a plaintext header line, then the sealed secrets.

    {"leger_cache":1,"server":…,"user":…,"complete":…,"count":…,
     "fetched_at":…,"updated_at":…,"salt":…}\\n
    nonce (12 bytes) + AES-256-GCM ciphertext + tag (16 bytes)

The header is one line of JSON that anyone with the file can read (``leger
cache status`` shows every cache, without a token): who and which server it is
for, how many secrets, whether they are all of them, and when. It holds no
value. It is the ciphertext's associated data, so an edited header makes the
file fail to decrypt. The sealed part is JSON too:
``{"secrets": [{"name", "value", "version", "label", "fetched_at"}, …]}``.

``leger_cache`` is the format's version. Everything read is bounded: the file
(32 MiB, checked before reading), the header line (16 KiB), and each field's
type and shape; a file that fails any check is "unreadable", with a reason.
"""

from __future__ import annotations

import binascii
import json
from datetime import UTC, datetime
from typing import Final, TypeGuard

from leger.api.url import checked_base_url
from leger.cache import crypto
from leger.cache.identity import is_user_key
from leger.cache.snapshot import CachedSecret, Snapshot
from leger.errors import UsageError
from leger.record import Record
from leger.times import rfc3339

FORMAT_VERSION = 1
# Thousands of secrets at the largest value size (10 KiB); a bigger file is not
# one leger wrote, and is refused before it is read.
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_HEADER_BYTES = 16 * 1024
_NEWER = "it was written by a newer version of leger"
_DAMAGED = "it is damaged (not a cache file this leger wrote)"


class Unreadable(Exception):
    """A cache file that cannot be used; ``reason`` says why in a few words, with no value."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CacheHeader(Record):
    """What a cache file says about itself without its key."""

    __slots__ = ("complete", "count", "fetched_at", "salt", "server", "updated_at", "user")

    def __init__(
        self,
        server: str,
        user: str,
        complete: bool,
        count: int,
        fetched_at: datetime,
        updated_at: datetime,
        salt: bytes,
    ) -> None:
        self.server: Final = server
        self.user: Final = user
        self.complete: Final = complete
        self.count: Final = count
        self.fetched_at: Final = fetched_at
        self.updated_at: Final = updated_at
        self.salt: Final = salt

    def to_line(self) -> bytes:
        """The header line, without its newline."""
        fields = {
            "leger_cache": FORMAT_VERSION,
            "server": self.server,
            "user": self.user,
            "complete": self.complete,
            "count": self.count,
            "fetched_at": rfc3339(self.fetched_at),
            "updated_at": rfc3339(self.updated_at),
            "salt": binascii.b2a_base64(self.salt, newline=False).decode("ascii"),
        }
        return json.dumps(fields, separators=(",", ":")).encode("ascii")

    @classmethod
    def from_line(cls, line: bytes) -> CacheHeader:
        """Parse a header line (without its newline); Unreadable if it is not one."""
        try:
            data = json.loads(line)
        except (ValueError, RecursionError):
            raise Unreadable(_DAMAGED) from None
        if not isinstance(data, dict):
            raise Unreadable(_DAMAGED)
        version = data.get("leger_cache")
        if _is_int(version) and version > FORMAT_VERSION:
            raise Unreadable(f"{_NEWER} (cache format {version})")
        if version != FORMAT_VERSION:
            raise Unreadable(_DAMAGED)
        return cls(
            server=_server(data.get("server")),
            user=_user(data.get("user")),
            complete=_bool(data.get("complete")),
            count=_count(data.get("count")),
            fetched_at=utc_time(data.get("fetched_at")),
            updated_at=utc_time(data.get("updated_at")),
            salt=_salt(data.get("salt")),
        )


def read_header(data: bytes) -> tuple[CacheHeader, bytes, bytes]:
    """The header of a file's bytes (or of its first ``MAX_HEADER_BYTES`` + 1), its line, the rest.

    Unreadable when there is no header line within the bound, or it is not one.
    """
    end = data.find(b"\n", 0, MAX_HEADER_BYTES + 1)
    if end < 0:
        raise Unreadable(_DAMAGED)
    line = data[:end]
    return CacheHeader.from_line(line), line, data[end + 1 :]


def encode(snapshot: Snapshot, token: str) -> bytes:
    """The file's bytes for ``snapshot``, sealed with ``token``.

    Unreadable (the same checks as reading) if the header would not read back
    as written, or the file would be over ``MAX_FILE_BYTES``: what cannot be
    read is never written.
    """
    header = CacheHeader(
        server=snapshot.server,
        user=snapshot.user,
        complete=snapshot.complete,
        count=len(snapshot.secrets),
        fetched_at=snapshot.fetched_at,
        updated_at=snapshot.updated_at,
        salt=crypto.new_salt(),
    )
    line = header.to_line()
    if len(line) > MAX_HEADER_BYTES or CacheHeader.from_line(line) != header:
        raise Unreadable("its server URL or user cannot be written in a cache header")
    entries = [
        {
            "name": secret.name,
            "value": secret.value,
            "version": secret.version,
            "label": secret.label,
            "fetched_at": rfc3339(secret.fetched_at),
        }
        for secret in snapshot.secrets.values()
    ]
    try:
        payload = json.dumps({"secrets": entries}, ensure_ascii=False, separators=(",", ":"))
        plaintext = payload.encode("utf-8")
    except UnicodeEncodeError:
        raise Unreadable("a value is not valid Unicode text") from None
    if len(line) + 1 + len(plaintext) + crypto.NONCE_BYTES + crypto.TAG_BYTES > MAX_FILE_BYTES:
        raise Unreadable(f"the secrets are more than a cache file holds ({_mib(MAX_FILE_BYTES)})")
    sealed = crypto.seal(
        token,
        salt=header.salt,
        server=header.server,
        user=header.user,
        header=line,
        data=plaintext,
    )
    return line + b"\n" + sealed


def decode(data: bytes, token: str, *, server: str, user: str) -> Snapshot:
    """The snapshot in a file's bytes, for ``server`` and ``user``.

    Unreadable when it is not a cache file, not for them, or does not decrypt
    with ``token`` (another login's, or altered: GCM cannot tell which).
    """
    if len(data) > MAX_FILE_BYTES:
        raise Unreadable(f"it is larger than {_mib(MAX_FILE_BYTES)}")
    header, line, sealed = read_header(data)
    if (header.server, header.user) != (server, user):
        raise Unreadable("it names another server or user (it was copied or renamed)")
    try:
        plaintext = crypto.unseal(
            token, salt=header.salt, server=server, user=user, header=line, sealed=sealed
        )
    except crypto.Undecryptable:
        raise Unreadable("it was written for another login, or it was altered") from None
    secrets = _entries(plaintext)
    if len(secrets) != header.count:
        raise Unreadable(_DAMAGED)
    return Snapshot(
        server=server,
        user=user,
        secrets=secrets,
        complete=header.complete,
        fetched_at=header.fetched_at,
        updated_at=header.updated_at,
    )


def _entries(plaintext: bytes) -> dict[str, CachedSecret]:
    # Authenticated: only a holder of the token wrote this. Still checked field by
    # field, so a bug or an old leger's file is "unreadable", never a crash.
    try:
        data = json.loads(plaintext.decode("utf-8"))
    except (ValueError, RecursionError):
        raise Unreadable(_DAMAGED) from None
    items = data.get("secrets") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise Unreadable(_DAMAGED)
    secrets: dict[str, CachedSecret] = {}
    for item in items:
        if not isinstance(item, dict):
            raise Unreadable(_DAMAGED)
        secret = CachedSecret(
            name=_name(item.get("name")),
            value=_text(item.get("value")),
            version=_int(item.get("version")),
            label=None if item.get("label") is None else _text(item.get("label")),
            fetched_at=utc_time(item.get("fetched_at")),
        )
        if secret.name in secrets:
            raise Unreadable(_DAMAGED)
        secrets[secret.name] = secret
    return secrets


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _int(value: object) -> int:
    if not _is_int(value):
        raise Unreadable(_DAMAGED)
    return value


def _count(value: object) -> int:
    count = _int(value)
    if count < 0:
        raise Unreadable(_DAMAGED)
    return count


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise Unreadable(_DAMAGED)
    return value


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise Unreadable(_DAMAGED)
    return value


def _name(value: object) -> str:
    if not _text(value):
        raise Unreadable(_DAMAGED)
    return str(value)


def _user(value: object) -> str:
    if not is_user_key(value):
        raise Unreadable(_DAMAGED)
    return str(value)


def _server(value: object) -> str:
    # The URL was normalised by leger before it was written; any other is not its own.
    try:
        if isinstance(value, str) and checked_base_url(value) == value:
            return value
    except UsageError:
        pass
    raise Unreadable(_DAMAGED)


def utc_time(value: object) -> datetime:
    """The time a cache file wrote as ``value`` (RFC 3339, with an offset), in UTC.

    Unreadable for anything else, or for an offset that pushes the time out of
    range (year 1 at +14:00), which would make every later conversion of it fail.
    """
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        if moment is not None and moment.tzinfo is not None:
            return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        pass
    raise Unreadable(_DAMAGED)


def _salt(value: object) -> bytes:
    try:
        salt = binascii.a2b_base64(value, strict_mode=True) if isinstance(value, str) else b""
    except (binascii.Error, ValueError):
        salt = b""
    if len(salt) != crypto.SALT_BYTES:
        raise Unreadable(_DAMAGED)
    return salt


def _mib(size: int) -> str:
    return f"{size // (1024 * 1024)} MiB"
