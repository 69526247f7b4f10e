"""Which token a command sends, and the one rule for whether it may be sent.

A token comes from LEGER_TOKEN or from the stored login. A stored login is
usable only for the server it was made with and until it expires; a token in
LEGER_TOKEN that is a JWT is also treated as expired after its ``exp`` (read
for display and this check only, never verified: the server decides).
``auth status`` and every command that sends a request use ``check`` below,
so they never disagree about a login.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Final

from leger.errors import LOGIN_HINT, RELOGIN_HINT, AuthRequired
from leger.record import Record
from leger.terminal import safe_line
from leger.times import rfc3339_seconds

if TYPE_CHECKING:
    from leger.token_store import StoredAuth


class LoginState(Enum):
    """Whether commands can authenticate to a server, and if not, why."""

    USABLE = "usable"
    NONE = "none"  # no LEGER_TOKEN and no stored login
    ELSEWHERE = "elsewhere"  # the stored login belongs to another server
    EXPIRED = "expired"


class Credentials(Record):
    """The token a command will use, where it came from ("env" or "file"), and its expiry."""

    __slots__ = ("expires_at", "source", "stored", "token")

    def __init__(
        self, token: str, source: str, stored: StoredAuth | None, expires_at: datetime | None
    ) -> None:
        self.token: Final = token
        self.source: Final = source
        self.stored: Final = stored
        # The stored login's expiry, or a JWT's ``exp`` in LEGER_TOKEN; None when unknown.
        self.expires_at: Final = expires_at

    def state(self, api_url: str, now: datetime) -> LoginState:
        """Whether these credentials may be sent to ``api_url`` at ``now``."""
        if self.stored is not None and self.stored.api_url != api_url:
            return LoginState.ELSEWHERE
        if self.expires_at is not None and now >= self.expires_at:
            return LoginState.EXPIRED
        return LoginState.USABLE


def state_of(creds: Credentials | None, api_url: str, now: datetime) -> LoginState:
    """``creds.state(...)``, or ``NONE`` when there are no credentials at all."""
    return LoginState.NONE if creds is None else creds.state(api_url, now)


def check(creds: Credentials | None, api_url: str, now: datetime) -> Credentials:
    """``creds`` if they may be sent to ``api_url`` now, else ``AuthRequired`` (exit 4): why."""
    state = state_of(creds, api_url, now)
    if creds is None or state is LoginState.NONE:
        raise AuthRequired("Not authenticated", hint=LOGIN_HINT)
    if state is LoginState.ELSEWHERE:
        assert creds.stored is not None
        raise AuthRequired(
            f"Not logged in to {safe_line(api_url)}",
            hint=f"Your login is for {safe_line(creds.stored.api_url)}.\n"
            f"To log in to this server: {LOGIN_HINT.split(': ', 1)[1]}",
        )
    if state is LoginState.EXPIRED:
        if creds.source == "env":
            assert creds.expires_at is not None
            raise AuthRequired(
                f"The token in LEGER_TOKEN expired at {rfc3339_seconds(creds.expires_at)}",
                hint="Set LEGER_TOKEN to a current token, or unset it and run: leger auth login",
            )
        assert creds.expires_at is not None
        raise AuthRequired("Token expired", hint=expired_hint(creds.expires_at))
    return creds


def expired_hint(expires_at: datetime) -> str:
    """What to do about a login that expired at ``expires_at`` (the time the server gave)."""
    return f"{RELOGIN_HINT}\n\nYour login expired at {rfc3339_seconds(expires_at)}."
