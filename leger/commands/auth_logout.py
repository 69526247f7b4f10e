"""``leger auth logout``: forget the stored login, and its offline cache."""

from __future__ import annotations

from leger.command import Command
from leger.context import Context
from leger.errors import TokenStoreError
from leger.times import rfc3339_seconds
from leger.token_store import StoredAuth


def logout(ctx: Context) -> None:
    """Delete the stored login and its offline cache; logging out twice is fine.

    leger.run cannot revoke a token: the one removed here stays valid on the
    server until it expires, and logout says until when.
    """
    store = ctx.token_store()
    try:
        stored = store.load()
    except TokenStoreError:
        stored = None  # a file leger refuses to read is still removed
    removed = store.clear()
    io = ctx.io
    if not removed:
        io.print("Not logged in: nothing to remove")
    else:
        io.print(io.success("Logged out"))
        if stored is not None:
            io.print(
                "  leger.run cannot revoke tokens: the removed one stays valid on the server "
                f"until {rfc3339_seconds(stored.expires_at)}."
            )
    if stored is not None and _clear_cache(ctx, stored):
        io.print("  Its offline cache of secrets is removed too.")
    if ctx.settings.env_token:
        ctx.warn("LEGER_TOKEN is still set: unset it to stop authenticating with it")


def _clear_cache(ctx: Context, stored: StoredAuth) -> bool:
    """Remove the offline cache of ``stored``: whether there was one (a failure is a warning)."""
    from leger.cache import CacheError, CacheKey
    from leger.offline import cache_of

    try:
        return cache_of(ctx).clear(CacheKey(stored.api_url, stored.user_uuid)) > 0
    except CacheError as error:
        ctx.warn(error.message)
        return False


COMMAND = Command(
    run=logout,
    summary="Remove the stored login from this machine, and its offline cache",
    description="""\
Deletes $XDG_CONFIG_HOME/leger/auth.json and the offline cache of secrets
fetched with that login. leger.run has no way to revoke a token: a copy of it
stays valid on the server until it expires (logout shows when). Logging out
when not logged in is not an error.""",
    examples=("leger auth logout",),
    see_also=("auth login", "auth status", "cache clear"),
)
