"""``leger cache status [--json]``: every offline cache, from its header alone (never a value)."""

from __future__ import annotations

import math
from datetime import datetime
from json import dumps
from typing import TYPE_CHECKING

from leger.command import Command, Param
from leger.context import Context
from leger.errors import TokenStoreError
from leger.terminal import safe_line
from leger.times import rfc3339_seconds

if TYPE_CHECKING:
    from leger.cache import BrokenCache, CacheInfo, CacheKey

# The keys of each --json entry, in order (the help and the README list them).
JSON_KEYS = (
    "server",
    "user",
    "this_login",
    "complete",
    "count",
    "fetched_at",
    "updated_at",
    "age_seconds",
    "path",
    "problem",
)


def cache_status(ctx: Context, *, json: bool = False) -> None:
    """Print each cache's server, user, size, completeness and age, or why it cannot be read."""
    from leger.offline import cache_of

    cache = cache_of(ctx)
    entries = cache.status()
    mine = _this_login(ctx)
    now = ctx.now()
    io = ctx.io
    if json:
        io.print(dumps([_as_json(entry, mine, now) for entry in entries], indent=2))
        return
    if not ctx.settings.cache:
        io.print(io.warning("The offline cache is off (LEGER_CACHE=0): not used, not updated."))
    if not entries:
        io.print(f"No offline caches in {cache.directory}")
        return
    io.print(f"Offline caches in {cache.directory}:")
    for entry in entries:
        io.print()
        for line in _describe(entry, mine, now):
            io.print(line)


def _this_login(ctx: Context) -> CacheKey | None:
    """The cache key of the login commands use now, if there is one."""
    from leger.offline import login_key

    try:
        creds = ctx.credentials()
    except TokenStoreError:
        return None  # a login file leger refuses to read is no one's
    return None if creds is None else login_key(ctx.api_url, creds)


def _is_mine(entry: CacheInfo, mine: CacheKey | None) -> bool:
    return mine is not None and (entry.server, entry.user) == (mine.server, mine.user)


def _age(entry: CacheInfo, now: datetime) -> int:
    return math.ceil(entry.age_seconds(now))


def _describe(entry: CacheInfo | BrokenCache, mine: CacheKey | None, now: datetime) -> list[str]:
    from leger.cache import BrokenCache, format_duration

    if isinstance(entry, BrokenCache):
        return [f"{entry.path}", f"  Cannot be read: {entry.reason}"]
    which = "all of them (a complete snapshot)" if entry.complete else "fetched by name (not all)"
    lines = [
        safe_line(entry.server) + (" (this login)" if _is_mine(entry, mine) else ""),
        f"  User: {safe_line(entry.user)}",
        f"  Secrets: {entry.count}, {which}",
        f"  Fetched: {rfc3339_seconds(entry.fetched_at)} ({format_duration(_age(entry, now))} ago)",
    ]
    if entry.updated_at != entry.fetched_at:
        lines.append(f"  Updated: {rfc3339_seconds(entry.updated_at)}")
    lines.append(f"  File: {entry.path}")
    return lines


def _as_json(
    entry: CacheInfo | BrokenCache, mine: CacheKey | None, now: datetime
) -> dict[str, object]:
    from leger.cache import BrokenCache

    if isinstance(entry, BrokenCache):
        values: dict[str, object] = dict.fromkeys(JSON_KEYS)
        values.update(this_login=False, path=str(entry.path), problem=entry.reason)
        return values
    values = {
        "server": entry.server,
        "user": entry.user,
        "this_login": _is_mine(entry, mine),
        "complete": entry.complete,
        "count": entry.count,
        "fetched_at": rfc3339_seconds(entry.fetched_at),
        "updated_at": rfc3339_seconds(entry.updated_at),
        "age_seconds": _age(entry, now),
        "path": str(entry.path),
        "problem": None,
    }
    assert tuple(values) == JSON_KEYS
    return values


COMMAND = Command(
    run=cache_status,
    summary="Show each offline cache: whose, how big, how old",
    params={
        "json": Param("Print a JSON array of objects with the keys " + ", ".join(JSON_KEYS) + "."),
    },
    description="""\
leger keeps the secrets it fetches in an encrypted cache, one file per server
and user, in $XDG_CACHE_HOME/leger (~/.cache/leger), to use when leger.run
cannot be reached. For each cache this shows the server, the user, how many
secrets it holds, whether they are all of that user's secrets (a complete
snapshot) or some fetched by name, and when they were fetched. It reads only
each file's plain header: no login is needed, and no value is shown.""",
    examples=("leger cache status", "leger cache status --json"),
    see_also=("cache clear", "run"),
)
