"""Which secrets ``run``, ``export`` and ``sync`` use: ``--only NAMES`` or all of them.

``--only NAME,NAME...`` picks secrets by their secret names (not variable
names); without it, every secret the server lists is used. Values come from
``fetch_values``: one request on the REST route form (and a get of each named
secret it lacks), the gets alone (or one list and the gets) on v0.1.

A server may list only some of the secrets (``LIST_LIMIT``): ``--only`` never
depends on a list, and every command that uses a list says when it may be
incomplete, in the words of ``INCOMPLETE_LIST``. ``leger.offline`` records the
values, or stands in with cached ones when leger.run cannot answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from leger.api.results import LIST_LIMIT, possibly_incomplete
from leger.command import Param
from leger.errors import LegerError, UsageError
from leger.offline import CacheUse, fetch_values

if TYPE_CHECKING:
    from leger.cache import FetchedSecret
    from leger.context import Context

# The --only option, the same in every command that takes it.
ONLY_PARAM = Param(
    "Comma-separated secret names to use (default: all).",
    metavar="NAMES",
)
# What every command says of a list that may lack secrets (see LIST_LIMIT).
INCOMPLETE_LIST = f"leger.run lists at most {LIST_LIMIT} secrets, so more may exist"
# What run and export add: how to reach the others.
BEYOND_THE_LIST = "only the listed ones are used; name others with --only NAME,NAME..."


def only_names(only: str | None) -> list[str] | None:
    """The names in ``--only a,b,c`` (spaces around commas allowed, repeats dropped)."""
    if only is None:
        return None
    # Imported here: only --only has names to check before a request.
    from leger.validation import check_name

    names = [name.strip() for name in only.split(",")]
    if not any(names):
        raise UsageError("--only needs at least one secret name", hint="--only NAME,NAME...")
    for name in names:
        if name:
            check_name(name)
    return list(dict.fromkeys(name for name in names if name))


def fetch_selected(ctx: Context, only: str | None, cache: CacheUse) -> list[FetchedSecret]:
    """The chosen secrets with their values, sorted by name (from the offline cache if need be).

    A name the server says it does not have is an error naming it; all of
    them, when the server's list may be incomplete, go on with a warning.
    """
    names = only_names(only)
    secrets = fetch_values(ctx, names, cache)
    if names is None:
        if possibly_incomplete(secrets):
            ctx.warn(f"{INCOMPLETE_LIST}; {BEYOND_THE_LIST}")
    else:
        missing = sorted(set(names) - {secret.name for secret in secrets})
        if missing:
            raise LegerError(
                f"No such secret{'s' if len(missing) > 1 else ''}: {', '.join(missing)}",
                hint="List available secrets:\n  leger secrets list",
            )
    return sorted(secrets, key=lambda secret: secret.name)
