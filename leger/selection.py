"""Which secrets ``run``, ``export`` and ``sync`` use: ``--only NAMES`` or all of them.

``--only NAME,NAME...`` picks secrets by their secret names (not variable
names); without it, every secret is used. Values come from ``fetch_values``:
one request on the REST route form, one list and bounded parallel gets on v0.1;
``leger.offline`` records them, or stands in with cached ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from leger.command import Param
from leger.errors import UsageError
from leger.offline import CacheUse, fetch_values
from leger.validation import check_name

if TYPE_CHECKING:
    from leger.cache import FetchedSecret
    from leger.context import Context

# The --only option, the same in every command that takes it.
ONLY_PARAM = Param(
    "Comma-separated secret names to use (default: all).",
    metavar="NAMES",
)


def only_names(only: str | None) -> list[str] | None:
    """The names in ``--only a,b,c`` (spaces around commas allowed, repeats dropped)."""
    if only is None:
        return None
    names = [name.strip() for name in only.split(",")]
    if not any(names):
        raise UsageError("--only needs at least one secret name", hint="--only NAME,NAME...")
    for name in names:
        if name:
            check_name(name)
    return list(dict.fromkeys(name for name in names if name))


def fetch_selected(ctx: Context, only: str | None, cache: CacheUse) -> list[FetchedSecret]:
    """The chosen secrets with their values, sorted by name (from the offline cache if need be)."""
    names = only_names(only)
    secrets = fetch_values(ctx, names, cache)
    return sorted(secrets, key=lambda secret: secret.name)
