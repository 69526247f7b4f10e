"""``leger secrets sync``: make the Podman secret store match leger.run.

This module is the command's surface and entry; the work is in ``engine``
(read, plan with ``plan``, fetch, apply) and the output in ``report``, imported
when the command runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from leger.api.results import LIST_LIMIT
from leger.command import Command, Param
from leger.context import Context
from leger.errors import LegerError, UsageError
from leger.selection import BEYOND_THE_LIST, INCOMPLETE_LIST, ONLY_PARAM, only_names

if TYPE_CHECKING:
    from collections.abc import Callable

    from leger.podman import ShellDriver

DRIVERS = ("file", "shell")


def sync_secrets(
    ctx: Context,
    *,
    only: str | None = None,
    prune: bool = False,
    dry_run: bool = False,
    json: bool = False,
    driver: str = "file",
) -> None:
    """Sync leger.run's secrets into Podman's store and print what was done."""
    # Imported here: only a sync pays for Podman's wrapper and the planner.
    from json import dumps

    from leger.commands.secrets_sync.engine import run_sync
    from leger.commands.secrets_sync.plan import Owner
    from leger.commands.secrets_sync.report import (
        PRUNE_BY_NAME,
        PRUNE_REFUSED,
        print_report,
        report_json,
    )
    from leger.offline import recorder
    from leger.podman import Podman

    _check_driver(ctx, driver)
    names = only_names(only)
    creds = ctx.require_credentials()
    # With LEGER_TOKEN the user is unknown: such secrets are labelled without
    # one, and only those are this owner's (to update or prune).
    owner = Owner(
        server=ctx.api_url,
        user=creds.stored.user_uuid if creds.stored is not None else None,
    )
    podman = Podman.locate(timeout=ctx.settings.timeout)
    report = run_sync(
        ctx.secrets,
        podman,
        owner,
        only=None if names is None else frozenset(names),
        prune=prune,
        dry_run=dry_run,
        shell=_lookups(ctx) if driver == "shell" else None,
        fetched_values=recorder(ctx, creds),
    )
    if json:
        ctx.io.print(dumps(report_json(report), indent=2))
    else:
        print_report(ctx.io, report)
    if report.list_incomplete:
        ctx.warn(f"{INCOMPLETE_LIST}; {BEYOND_THE_LIST}")
    problems = []
    if report.failed:
        count = len(report.failed)
        problems.append(f"{count} secret{'' if count == 1 else 's'} not in step with leger.run")
    if report.prune_refused:
        problems.append(PRUNE_REFUSED)
    if problems:
        raise LegerError("; ".join(problems), hint=PRUNE_BY_NAME if report.prune_refused else None)


def _check_driver(ctx: Context, driver: str) -> None:
    """A UsageError for an unknown driver, or the shell driver without a stored login."""
    if driver not in DRIVERS:
        raise UsageError("Unknown --driver", hint="Drivers: file (the default) and shell.")
    if driver == "shell" and ctx.settings.env_token:
        raise UsageError(
            "--driver shell uses the stored login, not LEGER_TOKEN",
            hint="Podman runs leger with the login in your config directory; a token is never "
            "written\ninto Podman's store or a command line. Unset LEGER_TOKEN and run: "
            "leger auth login",
        )


def _lookups(ctx: Context) -> Callable[[str], ShellDriver]:
    """Each name's shell-driver commands: this leger's ``podman lookup`` of it."""
    from leger.commands.podman_lookup.command_line import leger_executable, lookup_argv
    from leger.podman import ShellDriver

    executable, settings = leger_executable(), ctx.settings
    return lambda name: ShellDriver.for_lookup(
        lookup_argv(executable, ctx.api_url, settings.config_dir, settings.cache_dir, name)
    )


COMMAND = Command(
    run=sync_secrets,
    summary="Make your Podman secrets match your leger.run secrets",
    params={
        "only": ONLY_PARAM,
        "prune": Param(
            "Also remove the Podman secrets leger created for this server and user "
            "that no longer exist on leger.run (never on the word of a list that may "
            "be incomplete)."
        ),
        "dry_run": Param(
            "Print the plan (create, update, unchanged, remove, skip); change nothing."
        ),
        "json": Param("Print the result as one JSON object."),
        "driver": Param(
            "file: Podman keeps a copy of each value (the default). shell: Podman keeps "
            "none, and runs 'leger podman lookup' for the current value at each container "
            "start (needs a stored login and Podman 3.3 or newer).",
            metavar="DRIVER",
            choices=DRIVERS,
            short=False,  # -d stays --dry-run's
        ),
    },
    description=f"""\
Each leger.run secret becomes a Podman secret of the same name (rootless for a
user, rootful as root), labelled io.leger.managed=true with the server, user,
version and update time. Unchanged secrets are neither fetched nor rewritten;
changed ones are replaced. Podman secrets leger did not create are never
touched. Running containers see a replaced secret only after a restart
(Quadlet: systemctl --user restart NAME.service). leger.run lists at most
{LIST_LIMIT} secrets: with a list that long, --prune removes nothing (exit 1), and a
secret beyond it is synced only when named with --only, which asks for each
name. Exits 1 when a secret failed or was skipped (a name clash, a name Podman
cannot take), 0 when everything is in step.

With --driver shell, Podman's secret store holds no value: each secret keeps
the command line of 'leger podman lookup' for it (server, login directory,
name; never a token), labelled io.leger.driver=shell and without a version.
No value is fetched, a secret is rewritten only when that command line
changes, and a value changed on leger.run reaches the next container start
with no new sync. Moving a secret between drivers replaces it.""",
    examples=(
        "leger secrets sync",
        "leger secrets sync --only openai_api_key,github_token --dry-run",
        "leger secrets sync --prune --json",
        "leger secrets sync --driver shell",
    ),
    see_also=("secrets list", "run", "podman lookup"),
)
