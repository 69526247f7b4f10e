"""``leger auth logout``: forget the stored login."""

from __future__ import annotations

from leger.command import Command
from leger.context import Context
from leger.errors import TokenStoreError
from leger.times import rfc3339_seconds


def logout(ctx: Context) -> None:
    """Delete the stored login; logging out twice is fine.

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
    if ctx.settings.env_token:
        ctx.warn("LEGER_TOKEN is still set: unset it to stop authenticating with it")


COMMAND = Command(
    run=logout,
    summary="Remove the stored login from this machine",
    description="""\
Deletes $XDG_CONFIG_HOME/leger/auth.json. leger.run has no way to revoke a
token: a copy of it stays valid on the server until it expires (logout shows
when). Logging out when not logged in is not an error.""",
    examples=("leger auth logout",),
    see_also=("auth login", "auth status"),
)
