"""When each cached secret was last fetched, beside its cache file: all an unchanged refetch writes.

A fetch by name of values a cache already holds unchanged (``leger secrets
get NAME`` run again, ``run --only``) changes nothing in it but the times they
were fetched. Sealing the file again for that would load ``cryptography``
(about 7 ms of a 140 ms ``get``). Those times go instead to ``<name>.fetched``
next to the cache file ``<name>.cache``, two lines of ASCII:

    {"leger_fetched":1,"salt":…,"entries":[["<digest>","<time>"],…]}
    <mac>

- ``entries[i]`` is the i-th secret of the sealed part: its digest, and when
  it was last fetched (never earlier than the time sealed with it).
- digest = HMAC-SHA256(token, ``"leger offline cache v1 entry\\n"`` + the JSON
  array [server, user, salt, name, value, version, label]), in hex. A fetched
  secret is known to be the one cached by computing its digest, without
  decrypting anything; without the token a digest tells nothing of the value,
  and the salt of the cache file (new at every write) makes it another one
  at each write.
- mac = HMAC-SHA256(token, ``"leger offline cache v1 fetch times\\n"`` +
  SHA-256 of the whole cache file + the first line), in hex: the times are
  for exactly those bytes, and only a holder of the token wrote them.

Both are the standard library's HMAC-SHA256: ``hashlib`` is already loaded by
httpx in every command that fetches (the one that writes this file), so
confirming a value costs no cryptography import; HMAC is a keyed fingerprint,
not a cipher, and nothing secret is encrypted here. The file can only make
cached values younger than their cache file says, never change one: a
missing, stale (of an earlier cache file), unreadable, altered or foreign file
is ignored, and the cache file's own times stand.
"""

from __future__ import annotations

import binascii
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from leger.cache.fileformat import CacheHeader, Unreadable, utc_time
from leger.cache.identity import FILE_SUFFIX as CACHE_SUFFIX
from leger.cache.identity import is_file_name as is_cache_file_name
from leger.record import Record
from leger.times import rfc3339

if TYPE_CHECKING:
    from datetime import datetime

    from leger.cache.snapshot import FetchedSecret, Snapshot

SUFFIX = ".fetched"
FORMAT_VERSION = 1
_ENTRY_LABEL = b"leger offline cache v1 entry\n"
_MAC_LABEL = b"leger offline cache v1 fetch times\n"
_HEX_DIGEST = 64


class FetchTimes(Record):
    """Each sealed secret's digest and the time it was last fetched, for one cache file."""

    __slots__ = ("digests", "salt", "times")

    def __init__(self, salt: bytes, digests: tuple[str, ...], times: tuple[datetime, ...]) -> None:
        self.salt: Final = salt
        self.digests: Final = digests
        self.times: Final = times


def file_name(cache_name: str) -> str:
    """The fetch times file of the cache file ``cache_name`` (``<hash>.cache``)."""
    return cache_name.removesuffix(CACHE_SUFFIX) + SUFFIX


def is_file_name(name: str) -> bool:
    """True for a name ``file_name`` could give (a cache file's, ending ``.fetched``)."""
    return name.endswith(SUFFIX) and is_cache_file_name(name.removesuffix(SUFFIX) + CACHE_SUFFIX)


def of_snapshot(
    snapshot: Snapshot, sealed: Snapshot, token: str, header: CacheHeader
) -> FetchTimes:
    """The fetch times of ``snapshot``, which holds the values ``sealed`` (the cache file) holds."""
    digests = tuple(digest(token, header, secret) for secret in sealed.secrets.values())
    times = tuple(snapshot.secrets[name].fetched_at for name in sealed.secrets)
    return FetchTimes(header.salt, digests, times)


def refetched(
    times: FetchTimes,
    token: str,
    header: CacheHeader,
    fetched: Sequence[FetchedSecret],
    now: datetime,
) -> FetchTimes | None:
    """``times`` with every secret of ``fetched`` fetched at ``now``; None if one is not cached.

    A secret is cached when its digest is: same name, value, version and label.
    A time already later than ``now`` stays (the newest knowledge wins).
    """
    index = {value: position for position, value in enumerate(times.digests)}
    updated = list(times.times)
    for secret in fetched:
        position = index.get(digest(token, header, secret))
        if position is None:
            return None
        updated[position] = max(updated[position], now)
    return FetchTimes(times.salt, times.digests, tuple(updated))


def encode(times: FetchTimes, token: str, cache_file: bytes) -> bytes:
    """The file's bytes for ``times``, for the cache file whose bytes are ``cache_file``."""
    body = json.dumps(
        {
            "leger_fetched": FORMAT_VERSION,
            "salt": binascii.b2a_base64(times.salt, newline=False).decode("ascii"),
            "entries": [
                [value, rfc3339(moment)]
                for value, moment in zip(times.digests, times.times, strict=True)
            ],
        },
        separators=(",", ":"),
    ).encode("ascii")
    return body + b"\n" + _mac(token, cache_file, body).encode("ascii") + b"\n"


def decode(data: bytes, token: str, cache_file: bytes, header: CacheHeader) -> FetchTimes | None:
    """The times in ``data`` if written with ``token`` for the bytes ``cache_file``; else None."""
    import hmac

    parsed = _parse(data, header)
    if parsed is None:
        return None
    body, mac, times = parsed
    if not hmac.compare_digest(mac, _mac(token, cache_file, body).encode("ascii")):
        return None
    return times


def peek(data: bytes, header: CacheHeader) -> FetchTimes | None:
    """The times in ``data`` if they look like ones for the cache file with ``header``, unverified.

    For ``leger cache status``, which has no token and shows the header unverified too.
    """
    parsed = _parse(data, header)
    return None if parsed is None else parsed[2]


def digest(token: str, header: CacheHeader, secret: FetchedSecret) -> str:
    """The keyed fingerprint of ``secret`` in the cache file with ``header``."""
    import hmac

    fields = [
        header.server,
        header.user,
        binascii.b2a_base64(header.salt, newline=False).decode("ascii"),
        secret.name,
        secret.value,
        secret.version,
        secret.label,
    ]
    message = _ENTRY_LABEL + json.dumps(fields).encode("ascii")
    return hmac.digest(token.encode("utf-8"), message, "sha256").hex()


def _mac(token: str, cache_file: bytes, body: bytes) -> str:
    import hashlib
    import hmac

    message = _MAC_LABEL + hashlib.sha256(cache_file).digest() + body
    return hmac.digest(token.encode("utf-8"), message, "sha256").hex()


def _parse(data: bytes, header: CacheHeader) -> tuple[bytes, bytes, FetchTimes] | None:
    """The body line, the MAC line and the times they say, if well formed for ``header``."""
    lines = data.split(b"\n")
    if len(lines) != 3 or lines[2] or len(lines[1]) != _HEX_DIGEST:
        return None
    body, mac = lines[0], lines[1]
    try:
        fields = json.loads(body)
        if not isinstance(fields, dict) or fields.get("leger_fetched") != FORMAT_VERSION:
            return None
        salt = binascii.a2b_base64(str(fields.get("salt")), strict_mode=True)
        entries = fields.get("entries")
        if salt != header.salt or not isinstance(entries, list) or len(entries) != header.count:
            return None
        pairs = [_pair(entry) for entry in entries]
    except (ValueError, RecursionError, Unreadable):  # binascii.Error is a ValueError
        return None
    digests = tuple(value for value, _ in pairs)
    return body, mac, FetchTimes(salt, digests, tuple(moment for _, moment in pairs))


def _pair(entry: object) -> tuple[str, datetime]:
    if not isinstance(entry, list) or len(entry) != 2:
        raise ValueError("not an entry")
    value, moment = entry
    if not isinstance(value, str) or len(value) != _HEX_DIGEST or value.strip("0123456789abcdef"):
        raise ValueError("not a digest")
    return value, utc_time(moment)
