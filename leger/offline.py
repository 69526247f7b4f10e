"""Values from leger.run, or from the offline cache when leger.run cannot answer.

``run``, ``secrets export`` and ``secrets get`` fetch through here, and
``secrets sync`` records what it fetched. The rules (the README's "Offline
cache" says the same to users):

- Every successful fetch of values is recorded in this login's cache
  (``leger.cache``), as all secrets only when it was of all of them and the
  list cannot have been cut short (``leger.api.results.possibly_incomplete``).
- The cache stands in only when leger.run cannot answer: no connection
  (refused, reset, DNS), no answer in time, a 5xx, or a 429 beyond the retry
  budget. Opening the API counts too (the route-form probe may be what
  fails). One line on stderr then says why and how old the values are.
- An answer is never overruled: a rejected login (401, 403) removes every
  cache of that server (``forget_server``, for every command), and a secret the
  server says it does not have (asked for by name) is removed from the cache.
- All secrets come only from a complete snapshot; names (``--only``, ``get``)
  from any cache that holds each of them; ``--max-age`` refuses values older
  than it (the oldest of those used).
- ``--offline`` reads the cache and sends nothing: that path imports neither
  httpx nor the generated client. ``--no-cache`` and ``LEGER_CACHE=0`` neither
  read nor write the cache, but for the removal after a rejected login (which
  needs no key, and only keeps a cache from misleading).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from leger.command import Param
from leger.errors import (
    LegerError,
    RateLimited,
    SecretNotFound,
    ServerError,
    TransportError,
    UsageError,
)
from leger.terminal import safe_line

if TYPE_CHECKING:
    from datetime import datetime

    from leger.api.secrets import SecretsApi
    from leger.cache import CachedSecret, CacheKey, FetchedSecret, SecretCache, Snapshot, Unusable
    from leger.context import Context
    from leger.credentials import Credentials

# What "leger.run cannot answer" is: anything else is an answer, and stands.
UNREACHABLE = (TransportError, ServerError, RateLimited)

OFFLINE_PARAM = Param(
    "Use only the offline cache and send nothing (the same command without --offline fills it).",
    short=False,
)
NO_CACHE_PARAM = Param(
    "Neither use nor update the offline cache (LEGER_CACHE=0 does this for every command).",
    short=False,
)
MAX_AGE_PARAM = Param(
    "Use cached secrets only if they are at most this old: 90s, 15m, 12h or 7d.",
    metavar="DURATION",
    short=False,
)
FILL_HINT = (
    "Every fetch while leger.run can be reached fills the cache: run the same command\n"
    "without --offline, or cache every secret with: leger secrets export > /dev/null"
)
_ERRNO = r"\[Errno -?[0-9]+\] "  # compiled on first use (by re)


class CacheUse:
    """How one command may use the offline cache: its options, and LEGER_CACHE."""

    # Plain classes here, not dataclasses: creating one costs --offline half a millisecond.
    def __init__(
        self, enabled: bool, offline: bool, max_age: int | None, max_age_text: str | None
    ) -> None:
        self.enabled = enabled
        self.offline = offline
        self.max_age = max_age  # seconds
        self.max_age_text = max_age_text  # as the user wrote it

    @classmethod
    def of(cls, ctx: Context, *, offline: bool, no_cache: bool, max_age: str | None) -> CacheUse:
        """The options, checked: a bad or contradictory one is a UsageError before any request."""
        if no_cache and (offline or max_age is not None):
            option = "--offline" if offline else "--max-age"
            raise UsageError(
                f"{option} needs the offline cache, which --no-cache turns off",
                hint="Give one of them.",
            )
        if offline and not ctx.settings.cache:
            raise UsageError(
                "--offline needs the offline cache, which LEGER_CACHE=0 turns off",
                hint="Unset LEGER_CACHE (or set it to 1) to use the cache.",
            )
        seconds = None
        if max_age is not None:
            from leger.cache import parse_duration

            seconds = parse_duration(max_age)
        return cls(ctx.settings.cache and not no_cache, offline, seconds, max_age)


def fetch_values(ctx: Context, names: list[str] | None, use: CacheUse) -> list[FetchedSecret]:
    """The values of ``names`` (None: every secret), from leger.run or, standing in, the cache."""
    return _fetch(ctx, names, use, lambda api: api.fetch_values(names))


def fetch_secret(ctx: Context, name: str, use: CacheUse) -> FetchedSecret:
    """One secret's value, from leger.run or, standing in, the cache.

    SecretNotFound when the server says it has no such secret: it is then
    removed from the cache too.
    """
    try:
        (secret,) = _fetch(ctx, [name], use, lambda api: [api.get_secret(name)])
    except SecretNotFound:
        if use.enabled:
            _login_cache(ctx, ctx.require_credentials()).forget(name)
        raise
    return secret


def recorder(ctx: Context, creds: Credentials) -> Callable[[Sequence[FetchedSecret]], None]:
    """What ``secrets sync`` gives the values it fetched: they are recorded (as some secrets)."""
    if not ctx.settings.cache:
        return lambda _fetched: None
    cache = _login_cache(ctx, creds)

    def record(fetched: Sequence[FetchedSecret]) -> None:
        if fetched:
            cache.record(fetched, complete=False)

    return record


def forget_server(ctx: Context) -> None:
    """Remove every cache of LEGER_API_URL's server, whoever's: it rejected a login."""
    removed = cache_of(ctx).wipe_server(ctx.api_url)
    if removed:
        caches = "cache" if removed == 1 else f"{removed} caches"
        ctx.warn(f"{safe_line(ctx.api_url)} rejected the login: removed its offline {caches}")


def cache_of(ctx: Context) -> SecretCache:
    """The offline cache directory (every server's and user's caches); warnings to stderr."""
    from leger.cache import SecretCache

    return SecretCache(ctx.settings.cache_dir, warn=ctx.warn)


def login_key(server: str, creds: Credentials) -> CacheKey:
    """Whose cache ``creds`` use on ``server``: the login's user, or one named by LEGER_TOKEN."""
    from leger.cache import CacheKey, user_key_for_token

    user = creds.stored.user_uuid if creds.stored is not None else user_key_for_token(creds.token)
    return CacheKey(server, user)


class _LoginCache:
    """One login's cache on LEGER_API_URL's server."""

    def __init__(
        self, cache: SecretCache, key: CacheKey, token: str, now: Callable[[], datetime]
    ) -> None:
        self.cache, self.key, self.token, self.now = cache, key, token, now

    def load(self) -> Snapshot | Unusable | None:
        return self.cache.load(self.key, self.token)

    def record(self, fetched: Sequence[FetchedSecret], *, complete: bool) -> None:
        self.cache.record_fetch(self.key, self.token, fetched, complete=complete, now=self.now())

    def forget(self, name: str) -> None:
        self.cache.forget(self.key, self.token, name)


def _login_cache(ctx: Context, creds: Credentials) -> _LoginCache:
    return _LoginCache(cache_of(ctx), login_key(ctx.api_url, creds), creds.token, ctx.now)


def _fetch(
    ctx: Context,
    names: list[str] | None,
    use: CacheUse,
    ask: Callable[[SecretsApi], Sequence[FetchedSecret]],
) -> list[FetchedSecret]:
    """``ask`` the API for ``names``' values; record them, or stand in for the API."""
    if use.offline:
        return _from_cache(ctx, ctx.require_credentials(), names, use, unreachable=None)
    creds = ctx.require_credentials() if use.enabled else None
    try:
        with ctx.secrets() as api:
            found = list(ask(api))
    except UNREACHABLE as error:
        if creds is None:
            raise
        return _from_cache(ctx, creds, names, use, unreachable=error)
    if creds is not None:
        from leger.api.results import possibly_incomplete

        cache = _login_cache(ctx, creds)
        cache.record(found, complete=names is None and not possibly_incomplete(found))
        # A name asked for and not returned is one the server said it does not have.
        for name in sorted(set(names or ()) - {secret.name for secret in found}):
            cache.forget(name)
    return found


def _from_cache(
    ctx: Context,
    creds: Credentials,
    names: list[str] | None,
    use: CacheUse,
    *,
    unreachable: LegerError | None,
) -> list[FetchedSecret]:
    """The cached values of ``names``, with one line saying how old; else why not.

    Standing in for an ``unreachable`` server, a cache that cannot be used is
    one warning and that error stands; with ``--offline`` it is the error.
    """
    from leger.cache import age_seconds, format_duration
    from leger.times import rfc3339_seconds

    now = ctx.now()
    chosen = _choose(_login_cache(ctx, creds).load(), names, use, now)
    if isinstance(chosen, tuple):
        secrets, cached_at = chosen
        why = "leger.run not asked (--offline)"
        if unreachable is not None:
            why = f"leger.run unreachable ({_reason(unreachable)})"
        age = format_duration(age_seconds(cached_at, now))
        ctx.io.eprint(
            ctx.io.warning(f"{why}; using secrets cached {rfc3339_seconds(cached_at)} ({age} ago)")
        )
        return list(secrets)
    if unreachable is not None:
        if chosen is not None:
            ctx.warn(f"the offline cache cannot stand in: {chosen}")
        raise unreachable
    raise LegerError(
        f"No usable offline cache of {safe_line(ctx.api_url)} for this login: "
        f"{chosen or 'there is none yet'}",
        hint=FILL_HINT,
    )


def _choose(
    loaded: Snapshot | Unusable | None,
    names: list[str] | None,
    use: CacheUse,
    now: datetime,
) -> tuple[list[CachedSecret], datetime] | str | None:
    """The cached secrets to use and the time they stand for; else why not (None: no cache)."""
    from leger.cache import Unusable, within_max_age

    if loaded is None:
        return None
    if isinstance(loaded, Unusable):
        return f"{loaded.reason} ({loaded.path})"
    if names is None:
        if not loaded.complete:
            return "it holds only secrets fetched by name, not all of them (choose with --only)"
        chosen = list(loaded.secrets.values())
    else:
        missing = [name for name in names if name not in loaded.secrets]
        if missing:
            return f"it does not hold {', '.join(missing)}"
        chosen = [loaded.secrets[name] for name in names]
    cached_at = loaded.cached_at(names)
    if use.max_age is not None and not within_max_age(cached_at, use.max_age, now):
        return _too_old(cached_at, use, now)
    return chosen, cached_at


def _too_old(cached_at: datetime, use: CacheUse, now: datetime) -> str:
    from leger.cache import age_seconds, format_duration
    from leger.times import rfc3339_seconds

    if cached_at > now:
        return (
            f"it was written at {rfc3339_seconds(cached_at)}, later than the clock's time now, "
            "so its age is not known (--max-age)"
        )
    age = format_duration(age_seconds(cached_at, now))
    return f"it is {age} old, more than --max-age {use.max_age_text}"


def _reason(error: LegerError) -> str:
    """Why leger.run cannot answer, in a few words."""
    if isinstance(error, TransportError):
        return re.sub(_ERRNO, "", error.reason)
    if isinstance(error, RateLimited):
        return "HTTP 429, rate limited"
    assert isinstance(error, ServerError)
    return f"HTTP {error.status}"
