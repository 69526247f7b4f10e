"""Which tokens leger will send: one rule for LEGER_TOKEN, the login file and login answers."""

from __future__ import annotations

import re

# What an Authorization header carries as is: printable ASCII, spaces only inside
# (a JWT, like any RFC 6750 token, fits; the contract only says "string"). Line
# breaks, other control and non-ASCII characters could not be sent, or would be
# sent as something else.
_SENDABLE_TOKEN = re.compile(r"(?=.{1,16384}\Z)[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?\Z")


def is_sendable_token(token: str) -> bool:
    """True if ``token`` can go into ``Authorization: Bearer <token>`` unchanged."""
    return _SENDABLE_TOKEN.match(token) is not None
