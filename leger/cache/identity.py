"""Whose cache a file is: one per server URL and user, named by a hash of the two.

The user is the login's ``user_uuid``. ``LEGER_TOKEN`` comes with no stored
login, so ``user_key_for_token`` derives one from the token itself. The file
name is a hash, so listing the directory shows neither the server nor the user
(its header does, for ``leger cache status``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Final, TypeGuard

from leger.record import Record
from leger.token_format import unverified_claims

# Longer, or with unprintable characters, and the ``sub`` is not used as a name.
MAX_USER_LENGTH = 256
FILE_SUFFIX = ".cache"


class CacheKey(Record):
    """Which cache: the API's base URL (as leger normalises it) and the user."""

    __slots__ = ("server", "user")

    def __init__(self, server: str, user: str) -> None:
        self.server: Final = server
        self.user: Final = user

    @property
    def file_name(self) -> str:
        """The cache file's name in the cache directory: never the raw URL."""
        return self.file_name_hashed_by(_sha256_hex)

    def file_name_hashed_by(self, sha256_hex: Callable[[bytes], str]) -> str:
        """``file_name``, with ``sha256_hex`` as the SHA-256 (the same name whichever it is).

        Confirming an unchanged value (``leger.cache.fetch_times``) names the file
        with ``hashlib_sha256_hex``: it decrypts nothing, so it never loads cryptography.
        """
        return sha256_hex(json.dumps([self.server, self.user]).encode("utf-8"))[:32] + FILE_SUFFIX


def is_file_name(name: str) -> bool:
    """True for a name ``CacheKey.file_name`` could give (32 hex digits + ``.cache``)."""
    stem = name.removesuffix(FILE_SUFFIX)
    return (
        name.endswith(FILE_SUFFIX)
        and len(stem) == 32
        and all(c in "0123456789abcdef" for c in stem)
    )


def is_user_key(user: object) -> TypeGuard[str]:
    """True for a user a cache can be kept for: a short, printable, non-empty string."""
    return isinstance(user, str) and 0 < len(user) <= MAX_USER_LENGTH and user.isprintable()


def user_key_for_token(token: str) -> str:
    """The user a ``LEGER_TOKEN`` belongs to, for naming its cache.

    A JWT's ``sub`` claim when the token is a JWT with a usable string ``sub``
    (the payload is only decoded, never verified: this names a file, it grants
    nothing); otherwise ``token-`` and the first 16 hex digits of the token's
    SHA-256, which names the token without revealing it.
    """
    sub = _jwt_subject(token)
    if sub is not None:
        return sub
    return "token-" + _sha256_hex(token.encode("utf-8"))[:16]


def hashlib_sha256_hex(data: bytes) -> str:
    """SHA-256 by the standard library, in hex (httpx has loaded hashlib where this is used)."""
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _sha256_hex(data: bytes) -> str:
    # cryptography's SHA-256, not hashlib's: a command that names a cache file
    # also opens or seals it, so cryptography is loaded anyway, and hashlib would
    # load a second OpenSSL (2-3 ms of what --offline adds to a command).
    try:
        from cryptography.hazmat.primitives import hashes
    except ImportError:  # a broken install: the file is still named (opening it says why not)
        return hashlib_sha256_hex(data)
    digest = hashes.Hash(hashes.SHA256())
    digest.update(data)
    return digest.finalize().hex()


def _jwt_subject(token: str) -> str | None:
    claims = unverified_claims(token)
    sub = claims.get("sub") if claims is not None else None
    return sub if is_user_key(sub) else None
