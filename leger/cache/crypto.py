"""The cache's envelope: AES-256-GCM under a key derived from the login's token.

key   = HKDF-SHA256(ikm = token, salt = 16 random bytes of this file,
                    info = JSON ["leger offline cache v1", server URL, user])
nonce = 12 random bytes, new for every write
AD    = the file's plaintext header line, so changing it (a later time, another
        count, "complete") makes the file fail to decrypt

The salt is random per file (it is written again with each write): every
version of a file has its own key, so a nonce is never reused under a key
however many times a cache is rewritten, and no two users' keys can be
computed ahead together. The token stays the secret; nothing here is
home-made: both primitives come from ``cryptography``, imported only when a
cache is sealed or opened so that importing ``leger.cache`` stays cheap.
"""

from __future__ import annotations

import json
import os

SALT_BYTES = 16
NONCE_BYTES = 12
TAG_BYTES = 16
_INFO_LABEL = "leger offline cache v1"


class Undecryptable(Exception):
    """The sealed bytes do not open with this token for this server and user.

    A wrong token (another login) and tampering cannot be told apart: GCM only
    says that the key, header and ciphertext do not belong together.
    """


def new_salt() -> bytes:
    """A fresh random salt for one write of a cache file."""
    return os.urandom(SALT_BYTES)


def seal(token: str, *, salt: bytes, server: str, user: str, header: bytes, data: bytes) -> bytes:
    """``data`` encrypted and authenticated together with ``header``: nonce + ciphertext + tag."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(_key(token, salt, server, user)).encrypt(nonce, data, header)


def unseal(
    token: str, *, salt: bytes, server: str, user: str, header: bytes, sealed: bytes
) -> bytes:
    """The data ``seal`` was given; Undecryptable when the token, header or bytes differ."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if len(sealed) < NONCE_BYTES + TAG_BYTES:
        raise Undecryptable
    nonce, ciphertext = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    try:
        return AESGCM(_key(token, salt, server, user)).decrypt(nonce, ciphertext, header)
    except InvalidTag:
        raise Undecryptable from None


def _key(token: str, salt: bytes, server: str, user: str) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    # JSON keeps the three parts apart whatever they contain.
    info = json.dumps([_INFO_LABEL, server, user]).encode("ascii")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(
        token.encode("utf-8")
    )
