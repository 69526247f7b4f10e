"""Whose cache a file is: one per server URL and user, named by a hash of the two.

The user is the login's ``user_uuid``. ``LEGER_TOKEN`` comes with no stored
login, so ``user_key_for_token`` derives one from the token itself. The file
name is a hash, so listing the directory shows neither the server nor the user
(its header does, for ``leger cache status``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TypeGuard

from leger.token_format import unverified_claims

# Longer, or with unprintable characters, and the ``sub`` is not used as a name.
MAX_USER_LENGTH = 256
FILE_SUFFIX = ".cache"


@dataclass(frozen=True)
class CacheKey:
    """Which cache: the API's base URL (as leger normalises it) and the user."""

    server: str
    user: str

    @property
    def file_name(self) -> str:
        """The cache file's name in the cache directory: never the raw URL."""
        # Imported here: it loads OpenSSL (2 ms), which only a cache file's name needs.
        import hashlib

        digest = hashlib.sha256(json.dumps([self.server, self.user]).encode("utf-8"))
        return digest.hexdigest()[:32] + FILE_SUFFIX


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
    import hashlib

    sub = _jwt_subject(token)
    if sub is not None:
        return sub
    return "token-" + hashlib.sha256(token.encode("utf-8")).hexdigest()[:16]


def _jwt_subject(token: str) -> str | None:
    claims = unverified_claims(token)
    sub = claims.get("sub") if claims is not None else None
    return sub if is_user_key(sub) else None
