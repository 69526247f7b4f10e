"""``leger podman lookup NAME``: what Podman's ``shell`` secret driver runs for a value.

``secrets sync --driver shell`` stores this command line with each Podman
secret (``command_line``). Podman runs it at every container start with its
own environment, perhaps with no HOME, terminal or locale, and waits for it
without a limit. So the command names the server and the login directory
itself, the whole process is bounded by LEGER_TIMEOUT (``deadline``), the
value goes to stdout exactly, and a failure is one line on stderr
(``failure``), which Podman passes to the journal.
"""

from __future__ import annotations

import os
from pathlib import Path

from leger.command import Command, Param
from leger.commands.podman_lookup.deadline import Deadline, exit_with, process_age
from leger.commands.podman_lookup.failure import failure_line, timeout_line
from leger.context import Context
from leger.errors import Exit, ExitCode, Forbidden, InvalidToken, LegerError, UsageError
from leger.validation import check_name


def lookup_secret(
    ctx: Context,
    name: str,
    *,
    server: str | None = None,
    config_dir: str | None = None,
    cache_dir: str | None = None,
) -> None:
    """Write the value of ``name`` to stdout exactly; on failure, one line on stderr, exit 1."""
    shown = _shown_server(server, ctx)
    timeout = ctx.settings.timeout
    expire = exit_with(timeout_line(name, shown, timeout))
    with Deadline(timeout - process_age(), expire) as deadline:
        try:
            check_name(name)
            value = read_value(_lookup_context(ctx, server, config_dir, cache_dir), name)
        except LegerError as error:
            deadline.settle()
            ctx.io.eprint(failure_line(name, shown, error))
            raise Exit(ExitCode.ERROR) from None
        deadline.settle()
        ctx.io.write(value.encode("utf-8"))


def read_value(ctx: Context, name: str) -> str:
    """The value of ``name``: the one place the lookup gets it.

    It asks leger.run, in the login's route form; when leger.run cannot answer,
    the offline cache in ``ctx.settings.cache_dir`` (``--cache-dir``) stands in
    under the same rules as ``secrets get`` (one line on stderr, the journal,
    says so), and LEGER_CACHE=0 turns that off.
    """
    from leger.offline import CacheUse, cache_of, fetch_secret

    use = CacheUse.of(ctx, offline=False, no_cache=False, max_age=None)
    try:
        return fetch_secret(ctx, name, use).value
    except (InvalidToken, Forbidden):
        # dispatch does this for every command, but this one reports its errors
        # itself, in one line: a rejected login's caches are removed here, quietly.
        cache_of(ctx).wipe_server(ctx.api_url)
        raise


def _lookup_context(
    ctx: Context, server: str | None, config_dir: str | None, cache_dir: str | None
) -> Context:
    """``ctx`` for the server and directories on the command line, and the stored login only.

    LEGER_TOKEN and LEGER_API_ROUTES are not used: Podman runs the lookup
    with whatever environment it has, and the login in the config directory
    (made for this server) is the one the command line names.
    """
    from leger.api.url import checked_base_url

    settings = ctx.settings
    return ctx.with_settings(
        settings.replace(
            api_url=settings.api_url if server is None else checked_base_url(server),
            config_dir=_directory(config_dir, "--config-dir", settings.config_dir),
            cache_dir=_directory(cache_dir, "--cache-dir", settings.cache_dir),
            env_token=None,
            routes=None,
        )
    )


def _directory(given: str | None, option: str, default: Path) -> Path:
    if given is None:
        return default
    if not os.path.isabs(given):
        raise UsageError(f"{option} must be an absolute path")
    return Path(given)


def _shown_server(server: str | None, ctx: Context) -> str | None:
    """The server to name in a failure: None for one that is not a usable URL (never shown)."""
    if server is None:
        return ctx.settings.api_url
    from leger.api.url import checked_base_url

    try:
        return checked_base_url(server)
    except UsageError:
        return None


COMMAND = Command(
    run=lookup_secret,
    summary="Print a secret's value for Podman's shell secret driver",
    params={
        "name": Param("The secret's name."),
        "server": Param(
            "The leger.run API URL (default: LEGER_API_URL, else https://api.leger.run).",
            metavar="URL",
        ),
        "config_dir": Param(
            "The directory of the login to use, made for that server "
            "(default: $XDG_CONFIG_HOME/leger).",
            metavar="DIR",
            path=True,
        ),
        "cache_dir": Param(
            "The directory of the offline cache (default: $XDG_CACHE_HOME/leger).",
            metavar="DIR",
            path=True,
        ),
    },
    description="""\
This is the command Podman runs ('lookup') for a secret made by 'leger secrets
sync --driver shell', at every start of a container that uses it; you do not
need to run it yourself ('podman secret inspect NAME' shows it). It writes the
value to stdout exactly, with no newline added, and nothing else. It uses the
login stored in --config-dir (never LEGER_TOKEN), needs no HOME, terminal or
locale, and ends within LEGER_TIMEOUT (default 10 s) even when the network
hangs. On failure it writes one line to stderr (the journal, under systemd)
naming the secret, the server, why, and what to run, and exits 1.""",
    examples=(
        "leger podman lookup --server https://api.leger.run "
        "--config-dir /root/.config/leger -- openai_api_key",
    ),
    see_also=("secrets sync", "secrets get"),
)
