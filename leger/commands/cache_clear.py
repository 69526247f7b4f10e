"""``leger cache clear [--all]``: remove this login's offline cache, or every one."""

from __future__ import annotations

from leger.command import Command, Param
from leger.context import Context
from leger.errors import LOGIN_HINT, AuthRequired
from leger.terminal import safe_line


def cache_clear(ctx: Context, *, all: bool = False) -> None:
    """Remove the cache of this server and login (``--all``: every cache in the directory)."""
    from leger.offline import cache_of, login_key

    cache = cache_of(ctx)
    io = ctx.io
    if all:
        removed = cache.clear()
        if removed:
            io.print(io.success(f"Removed {removed} offline cache{'' if removed == 1 else 's'}"))
        else:
            io.print(f"No offline caches in {cache.directory}: nothing to remove")
        return
    creds = ctx.credentials()
    if creds is None:
        raise AuthRequired(
            "Not logged in, so leger cannot tell which offline cache is yours",
            hint=f"{LOGIN_HINT}\nor remove every cache with: leger cache clear --all",
        )
    server = safe_line(ctx.api_url)
    if cache.clear(login_key(ctx.api_url, creds)):
        io.print(io.success(f"Removed the offline cache of {server} for this login"))
    else:
        io.print(f"No offline cache of {server} for this login: nothing to remove")


COMMAND = Command(
    run=cache_clear,
    summary="Remove the offline cache of this login, or every one",
    params={
        "all": Param("Remove every offline cache: every server's and every user's."),
    },
    description="""\
Without --all, removes the cache of the server in LEGER_API_URL for the login
commands use (the stored one, or LEGER_TOKEN's), even an expired one. The
cache refills with the next fetch. 'leger auth logout' removes the cache of
the login it removes; a login leger.run rejects loses every cache of that
server.""",
    examples=("leger cache clear", "leger cache clear --all"),
    see_also=("cache status", "auth logout"),
)
