"""Which tokens leger will send, and what a JWT says about itself.

One rule for LEGER_TOKEN, the login file and login answers; and the claims of
a JWT (leger.run's tokens are), read for display, never trusted.
"""

from __future__ import annotations

from datetime import UTC, datetime

# The longest token leger sends (a JWT is a few hundred characters).
MAX_TOKEN_LENGTH = 16384


def is_sendable_token(token: str) -> bool:
    """True if ``token`` can go into ``Authorization: Bearer <token>`` unchanged.

    That is printable ASCII (0x20-0x7e), with spaces only inside: a JWT, like
    any RFC 6750 token, fits (the contract only says "string"). Line breaks,
    other control and non-ASCII characters could not be sent, or would be sent
    as something else. (String methods, not a pattern: every command checks a
    token, and compiling one would cost each of them.)
    """
    return (
        0 < len(token) <= MAX_TOKEN_LENGTH
        and token.isascii()
        and token.isprintable()
        and token[0] != " "
        and token[-1] != " "
    )


# A JWT's claims are a few hundred bytes; more is not read.
_MAX_JWT_PAYLOAD = 8192
# base64url (RFC 4648 §5) to the standard alphabet binascii decodes.
_URLSAFE = str.maketrans("-_", "+/")


def unverified_claims(token: str) -> dict[str, object] | None:
    """The claims of ``token`` if it is a JWT, read without verifying it; else None.

    For display and naming only (when a token expires, whose it is): the
    server decides whether a token is valid. Anything that is not three parts
    with a base64url JSON object in the middle is "not a JWT".
    """
    # Imported here: only a token that must be described pays for them.
    import binascii
    import json

    parts = token.split(".")
    if len(parts) != 3 or not 0 < len(parts[1]) <= _MAX_JWT_PAYLOAD:
        return None
    payload = parts[1]
    try:
        standard = payload.translate(_URLSAFE).encode("ascii") + b"=" * (-len(payload) % 4)
        claims = json.loads(binascii.a2b_base64(standard, strict_mode=True))
    except (binascii.Error, ValueError, RecursionError):  # ValueError: non-ASCII too
        return None
    return claims if isinstance(claims, dict) else None


def unverified_expiry(token: str) -> datetime | None:
    """A JWT's ``exp`` as a UTC time (not verified); None when the token has no usable one."""
    claims = unverified_claims(token)
    exp = claims.get("exp") if claims is not None else None
    if isinstance(exp, bool) or not isinstance(exp, int | float):
        return None
    try:
        return datetime.fromtimestamp(exp, UTC)
    except (OverflowError, OSError, ValueError):
        return None
