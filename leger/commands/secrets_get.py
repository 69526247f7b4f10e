"""``leger secrets get NAME``: the value on stdout, byte for byte, and nothing else."""

from __future__ import annotations

from leger.command import Command, Param
from leger.context import Context
from leger.errors import SecretNotFound, secret_not_found
from leger.offline import MAX_AGE_PARAM, NO_CACHE_PARAM, OFFLINE_PARAM, CacheUse, fetch_secret
from leger.validation import check_name


def get_secret(
    ctx: Context,
    name: str,
    *,
    max_age: str | None = None,
    offline: bool = False,
    no_cache: bool = False,
) -> None:
    """Write the value to stdout, byte for byte, with no newline added."""
    check_name(name)
    cache = CacheUse.of(ctx, offline=offline, no_cache=no_cache, max_age=max_age)
    try:
        secret = fetch_secret(ctx, name, cache)
    except SecretNotFound:
        raise secret_not_found(name) from None
    ctx.io.write(secret.value.encode("utf-8"))


COMMAND = Command(
    run=get_secret,
    summary="Print a secret's value",
    params={
        "name": Param("The secret's name."),
        "max_age": MAX_AGE_PARAM,
        "offline": OFFLINE_PARAM,
        "no_cache": NO_CACHE_PARAM,
    },
    description="""\
Writes the value to stdout exactly, with no newline added; every message goes
to stderr. The value is data, not made safe for a terminal: send it to a
variable, a file or a program. When leger.run cannot be reached, the offline
cache stands in, as for 'leger run'.""",
    examples=(
        "export OPENAI_API_KEY=$(leger secrets get openai_api_key)",
        "leger secrets get ssh_key > ~/.ssh/id_ed25519",
        "leger secrets get openai_api_key --offline",
    ),
    see_also=("secrets list", "run", "cache status"),
)
