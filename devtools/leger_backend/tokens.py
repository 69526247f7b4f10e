"""Minting bearer tokens shaped like the real backend's: HS256 JWTs with ``sub`` (the user
UUID), ``email``, ``iat`` and ``exp`` (their end), plus a ``jti`` so that two logins
in the same second still get two tokens.

Only their shape matters here (clients treat tokens as opaque); the store
recognises a token by its digest, never by checking the signature.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time

_HEADER: dict[str, object] = {"alg": "HS256", "typ": "JWT"}


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _segment(claims: dict[str, object]) -> str:
    return _b64url(json.dumps(claims, separators=(",", ":")).encode("utf-8"))


def mint(key: bytes, user_uuid: str, email: str, lifetime: int) -> str:
    """A fresh HS256 JWT for ``user_uuid`` that expires ``lifetime`` seconds from now."""
    now = int(time.time())
    claims: dict[str, object] = {
        "sub": user_uuid,
        "email": email,
        "iat": now,
        "exp": now + lifetime,
        "jti": secrets.token_hex(16),
    }
    signing_input = f"{_segment(_HEADER)}.{_segment(claims)}"
    signature = hmac.new(key, signing_input.encode("ascii"), hashlib.sha256).digest()
    return f"{signing_input}.{_b64url(signature)}"
