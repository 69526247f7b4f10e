"""In-memory state: live tokens and each user's secrets, safe to share between threads.

Tokens are kept only as SHA-256 digests, so nothing here (or in a state dump)
holds a usable token. The store knows no route form: it answers ``None`` or
``False`` where a form answers its own 401 or 404, and keeps times as datetimes
that each form formats its own way.
"""

from __future__ import annotations

import builtins
import hashlib
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from . import tokens
from .validation import Identity

# Namespace of the UUIDv5 derived from a Tailscale user id: the same Tailscale
# user gets the same user_uuid from every device, and from run to run.
USER_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "leger.run")


class _Keep:
    """The type of ``KEEP_LABEL``."""


KEEP_LABEL: Final = _Keep()  # "no label given": an update keeps the one it had


def user_uuid_for(tailscale_user_id: str) -> str:
    """The deterministic user UUID of a Tailscale user id."""
    return str(uuid.uuid5(USER_NAMESPACE, tailscale_user_id))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Secret:
    """One secret's current value and metadata."""

    value: str
    version: int
    created_at: datetime
    updated_at: datetime
    label: str | None = None


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
        self, clock: Callable[[], float] = time.monotonic, *, rotating_reads: bool = False
    ) -> None:
        self._clock = clock
        # Every read by name updates the secret first, as a rotation would (for scripts/bench:
        # what a client's cache pays when values change between two fetches).
        self._rotating_reads = rotating_reads
        self._lock = threading.Lock()
        self._sessions: dict[str, _Session] = {}
        self._users: set[str] = set()
        self._secrets: dict[str, dict[str, Secret]] = {}
        self._signing_key = secrets.token_bytes(32)

    # --- tokens -------------------------------------------------------------

    def login(self, identity: Identity, lifetime: int) -> Login:
        """Issue a fresh token for ``identity`` that lives ``lifetime`` seconds.

        Its expiry is kept with it: a token outlives a switch of route form.
        """
        user = user_uuid_for(identity.user_id)
        token = tokens.mint(self._signing_key, user, identity.login_name, lifetime)
        with self._lock:
            self._users.add(user)
            self._sessions[_digest(token)] = _Session(user, self._clock() + lifetime)
        return Login(token, lifetime, user, identity.login_name)

    def user_for(self, token: str) -> str | None:
        """The user UUID a live token belongs to; ``None`` for an unknown or expired one."""
        with self._lock:
            session = self._sessions.get(_digest(token))
        if session is None or self._clock() >= session.expires_at:
            return None
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
        """The user's secrets in storage order: sorted by name."""
        with self._lock:
            return sorted(self._secrets.get(user, {}).items())

    def set(
        self, user: str, name: str, value: str, label: str | _Keep | None = KEEP_LABEL
    ) -> tuple[bool, Secret]:
        """Create (version 1) or update (version + 1); returns (created, secret).

        ``label``: a new label, ``None`` to clear it, or ``KEEP_LABEL``.
        """
        now = datetime.now(UTC)
        with self._lock:
            mine = self._secrets.setdefault(user, {})
            old = mine.get(name)
            kept = old.label if old is not None else None
            new_label = kept if isinstance(label, _Keep) else label
            if old is None:
                mine[name] = Secret(value, 1, now, now, new_label)
            else:
                mine[name] = Secret(value, old.version + 1, old.created_at, now, new_label)
            return old is None, mine[name]

    def get(self, user: str, name: str) -> Secret | None:
        """The user's secret ``name``, if it exists (rotated first with ``rotating_reads``)."""
        with self._lock:
            secret = self._secrets.get(user, {}).get(name)
            if secret is not None and self._rotating_reads:
                version = secret.version + 1
                value = f"{secret.value.partition('~')[0]}~{version}"
                secret = Secret(value, version, secret.created_at, datetime.now(UTC), secret.label)
                self._secrets[user][name] = secret
            return secret

    def delete(self, user: str, name: str) -> bool:
        """Delete the user's secret ``name``; whether it existed."""
        with self._lock:
            return self._secrets.get(user, {}).pop(name, None) is not None

    def names(self, user: str) -> builtins.list[str]:
        """The names of the user's secrets, in storage order (never a value)."""
        return [name for name, _ in self.list(user)]

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
