"""In-memory state: live tokens and each user's secrets, safe to share between threads.

Tokens are kept only as SHA-256 digests, so nothing here (or in a state dump)
holds a usable token.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from .validation import Identity
from .wire import invalid_token, secret_not_found

# Namespace of the UUIDv5 derived from a Tailscale user id: the same Tailscale
# user gets the same user_uuid from every device, and from run to run.
USER_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "leger.run")
DEFAULT_TOKEN_TTL = 30 * 24 * 60 * 60  # 2592000 seconds, as in production


def user_uuid_for(tailscale_user_id: str) -> str:
    """The deterministic user UUID of a Tailscale user id."""
    return str(uuid.uuid5(USER_NAMESPACE, tailscale_user_id))


def utc_now() -> str:
    """Now as RFC 3339 in UTC with a ``Z``, to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class Secret:
    """One secret's current value and metadata."""

    value: str
    version: int
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class Login:
    """What a successful login hands back."""

    token: str
    expires_in: int
    user_uuid: str
    email: str


@dataclass(frozen=True)
class _Session:
    user_uuid: str
    expires_at: float  # on the store's monotonic clock


class Store:
    """Users, tokens and secrets, namespaced by user UUID."""

    def __init__(
        self, token_ttl: int = DEFAULT_TOKEN_TTL, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.token_ttl = token_ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions: dict[str, _Session] = {}
        self._users: set[str] = set()
        self._secrets: dict[str, dict[str, Secret]] = {}

    # --- tokens -------------------------------------------------------------

    def login(self, identity: Identity) -> Login:
        """Issue a fresh random token for ``identity``."""
        token = secrets.token_urlsafe(32)
        user = user_uuid_for(identity.user_id)
        with self._lock:
            self._users.add(user)
            self._sessions[_digest(token)] = _Session(user, self._clock() + self.token_ttl)
        return Login(token, self.token_ttl, user, identity.login_name)

    def user_for(self, token: str | None) -> str:
        """The user UUID a live token belongs to, or 401 ``invalid_token``."""
        if token is None:
            raise invalid_token()
        with self._lock:
            session = self._sessions.get(_digest(token))
        if session is None or self._clock() >= session.expires_at:
            raise invalid_token()
        return session.user_uuid

    def revoke_all(self) -> int:
        """Forget every token; returns how many there were."""
        with self._lock:
            count = len(self._sessions)
            self._sessions.clear()
        return count

    def expire_all(self) -> int:
        """Make every token expired now (kept, but refused); returns how many."""
        with self._lock:
            now = self._clock()
            for key, session in self._sessions.items():
                self._sessions[key] = _Session(session.user_uuid, now)
            return len(self._sessions)

    # --- secrets ------------------------------------------------------------

    def list(self, user: str) -> list[tuple[str, Secret]]:
        """The user's secrets, sorted by name."""
        with self._lock:
            return sorted(self._secrets.get(user, {}).items())

    def set(self, user: str, name: str, value: str) -> tuple[bool, Secret]:
        """Create (version 1) or update (version + 1); returns (created, secret)."""
        now = utc_now()
        with self._lock:
            mine = self._secrets.setdefault(user, {})
            old = mine.get(name)
            if old is None:
                mine[name] = Secret(value, 1, now, now)
            else:
                mine[name] = Secret(value, old.version + 1, old.created_at, now)
            return old is None, mine[name]

    def get(self, user: str, name: str) -> Secret:
        """The user's secret ``name``, or 404 ``secret_not_found``."""
        with self._lock:
            secret = self._secrets.get(user, {}).get(name)
        if secret is None:
            raise secret_not_found(name)
        return secret

    def delete(self, user: str, name: str) -> str:
        """Delete the user's secret ``name`` (404 if absent); returns when."""
        with self._lock:
            if self._secrets.get(user, {}).pop(name, None) is None:
                raise secret_not_found(name)
        return utc_now()

    # --- whole store ----------------------------------------------------------

    def reset(self) -> None:
        """Forget everything."""
        with self._lock:
            self._sessions.clear()
            self._users.clear()
            self._secrets.clear()

    def counts(self) -> dict[str, int]:
        """How many users, tokens and secrets there are (never any values)."""
        with self._lock:
            return {
                "users": len(self._users),
                "tokens": len(self._sessions),
                "secrets": sum(len(mine) for mine in self._secrets.values()),
            }
