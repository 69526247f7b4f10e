"""What a cache holds, how a new fetch merges into it, and how old it is.

Rules (the newest knowledge wins, and an age is never shown younger than it is):

- A *complete* fetch (every secret the server has) replaces the snapshot: the
  names it did not return are gone, and the snapshot is complete as of then.
- A *partial* fetch (some names) updates those entries and keeps the rest,
  with the snapshot's completeness and time: a complete snapshot plus fresher
  values of some of its names still knows every name as of its own time.
- Each entry keeps the time it was fetched; whichever of two entries for a
  name was fetched later wins, so a slower process that fetched earlier never
  puts back an older value. For the same reason a complete fetch keeps the
  entries fetched after it (they existed after its list was made), and a
  fetch older than a complete snapshot changes nothing: every entry there is
  newer, and a name it lacks was gone by then.
- The time a set of cached values stands for is the oldest of theirs (and, for
  a name a complete snapshot lacks, the snapshot's time: its absence is known
  only as of then).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Final, Protocol

from leger.record import Record

if TYPE_CHECKING:
    from datetime import datetime

# A cache time up to this far ahead of the clock is taken as "just now" (clocks
# are adjusted); further ahead, the clock was set back and no age can be known.
CLOCK_SLACK_SECONDS = 60.0


class FetchedSecret(Protocol):
    """What the API layer returns for a secret's value (``leger.api.results.Secret``)."""

    @property
    def name(self) -> str:
        """The secret's name."""

    @property
    def value(self) -> str:
        """Its value, exactly as the server sent it."""

    @property
    def version(self) -> int:
        """Its version number."""

    @property
    def label(self) -> str | None:
        """Its label, when the server's route form has them."""


class CachedSecret(Record):
    """One secret as cached: what was fetched and when."""

    __slots__ = ("fetched_at", "label", "name", "value", "version")
    _hidden = frozenset({"value"})  # never in a repr, a log or an error

    def __init__(
        self, name: str, value: str, version: int, label: str | None, fetched_at: datetime
    ) -> None:
        self.name: Final = name
        self.value: Final = value
        self.version: Final = version
        self.label: Final = label
        self.fetched_at: Final = fetched_at


class Snapshot(Record):
    """A cache's content: its secrets by name, whether it is all of them, and when.

    ``fetched_at`` is the time of the complete fetch for a complete snapshot,
    and the oldest entry's time for a partial one; ``updated_at`` is the newest
    entry's (the last fetch it records).
    """

    __slots__ = ("complete", "fetched_at", "secrets", "server", "updated_at", "user")

    def __init__(
        self,
        server: str,
        user: str,
        secrets: Mapping[str, CachedSecret],
        complete: bool,
        fetched_at: datetime,
        updated_at: datetime,
    ) -> None:
        self.server: Final = server
        self.user: Final = user
        self.secrets: Final = secrets
        self.complete: Final = complete
        self.fetched_at: Final = fetched_at
        self.updated_at: Final = updated_at

    def cached_at(self, names: Iterable[str] | None = None) -> datetime:
        """The time the secrets to be used stand for: the oldest among them.

        ``names=None`` means every secret (only a complete snapshot is every
        secret; that is the caller's check). A name a complete snapshot does
        not hold counts at the snapshot's time; one a partial snapshot does not
        hold is simply not there (the caller reports it).
        """
        wanted = self.secrets.keys() if names is None else set(names)
        times = [self.secrets[name].fetched_at for name in wanted if name in self.secrets]
        if self.complete and (names is None or any(n not in self.secrets for n in wanted)):
            times.append(self.fetched_at)
        return min(times, default=self.fetched_at)


def merge(
    old: Snapshot | None,
    fetched: Iterable[FetchedSecret],
    *,
    complete: bool,
    server: str,
    user: str,
    now: datetime,
) -> Snapshot:
    """``old`` (None when there is no usable cache) updated with a fetch made at ``now``."""
    new = {
        secret.name: CachedSecret(
            name=secret.name,
            value=secret.value,
            version=secret.version,
            label=secret.label,
            fetched_at=now,
        )
        for secret in fetched
    }
    if old is None:
        return _snapshot(server, user, new, complete=complete, complete_at=now)
    if old.complete and now < old.fetched_at:
        return old
    if complete:
        kept = {name: s for name, s in old.secrets.items() if s.fetched_at > now}
        return _snapshot(server, user, _newer(new, kept), complete=True, complete_at=now)
    merged = _newer(dict(old.secrets), new)
    return _snapshot(server, user, merged, complete=old.complete, complete_at=old.fetched_at)


def without(snapshot: Snapshot, name: str) -> Snapshot:
    """``snapshot`` with ``name`` removed (the server said it does not exist)."""
    kept = {key: s for key, s in snapshot.secrets.items() if key != name}
    return _snapshot(
        snapshot.server,
        snapshot.user,
        kept,
        complete=snapshot.complete,
        complete_at=snapshot.fetched_at,
    )


def with_fetch_times(snapshot: Snapshot, times: Sequence[datetime]) -> Snapshot:
    """``snapshot`` with its i-th secret fetched again at ``times[i]``, if that is later.

    Its values stay; its times follow, as a partial fetch of those values would
    have made them (``merge``).
    """
    secrets = {}
    for (name, secret), moment in zip(snapshot.secrets.items(), times, strict=True):
        if moment > secret.fetched_at:
            secret = CachedSecret(secret.name, secret.value, secret.version, secret.label, moment)
        secrets[name] = secret
    return _snapshot(
        snapshot.server,
        snapshot.user,
        secrets,
        complete=snapshot.complete,
        complete_at=snapshot.fetched_at,
    )


def age_seconds(cached_at: datetime, now: datetime) -> float:
    """How old a cache time is at ``now``, in seconds (0 for a time ahead of the clock)."""
    return max(0.0, (now - cached_at).total_seconds())


def within_max_age(cached_at: datetime, max_age: float, now: datetime) -> bool:
    """True if ``cached_at`` is at most ``max_age`` seconds old at ``now``.

    A time further ahead of the clock than a minute's adjustment is not within
    any maximum age: the clock was set back (or the cache was written with a
    wrong one), and the real age cannot be known.
    """
    age = (now - cached_at).total_seconds()
    return -CLOCK_SLACK_SECONDS <= age <= max_age


def _newer(
    base: dict[str, CachedSecret], incoming: Mapping[str, CachedSecret]
) -> dict[str, CachedSecret]:
    for name, secret in incoming.items():
        held = base.get(name)
        if held is None or (secret.fetched_at, secret.version) >= (held.fetched_at, held.version):
            base[name] = secret
    return base


def _snapshot(
    server: str,
    user: str,
    secrets: Mapping[str, CachedSecret],
    *,
    complete: bool,
    complete_at: datetime,
) -> Snapshot:
    """The snapshot of ``secrets``; ``complete_at`` is its time if complete (or if it is empty)."""
    ordered = {name: secrets[name] for name in sorted(secrets)}
    times = [s.fetched_at for s in ordered.values()]
    fetched_at = complete_at if complete else min(times, default=complete_at)
    return Snapshot(
        server=server,
        user=user,
        secrets=ordered,
        complete=complete,
        fetched_at=fetched_at,
        updated_at=max(times, default=fetched_at),
    )
