"""``leger secrets sync``: make the Podman secret store match leger.run.

This module is the command's surface and entry; the work is in ``engine``
(read, plan with ``plan``, fetch, apply) and the output in ``report``, imported
when the command runs.
"""

from __future__ import annotations

from leger.api.results import LIST_LIMIT
from leger.command import Command, Param
from leger.context import Context
from leger.errors import LegerError
from leger.selection import ONLY_PARAM, only_names


def sync_secrets(
    ctx: Context,
    *,
    only: str | None = None,
    prune: bool = False,
    dry_run: bool = False,
    json: bool = False,
) -> None:
    """Sync leger.run's secrets into Podman's store and print what was done."""
    # Imported here: only a sync pays for Podman's wrapper and the planner.
    from json import dumps

    from leger.commands.secrets_sync.engine import run_sync
    from leger.commands.secrets_sync.plan import Owner
    from leger.commands.secrets_sync.report import (
        PRUNE_REFUSED,
        print_report,
        report_json,
        warnings,
    )
    from leger.podman import Podman

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
    )
    if json:
        ctx.io.print(dumps(report_json(report), indent=2))
    else:
        print_report(ctx.io, report)
    for warning in warnings(report):
        ctx.warn(warning)
    problems = []
    if report.failed:
        count = len(report.failed)
        problems.append(f"{count} secret{'' if count == 1 else 's'} not in step with leger.run")
    if report.prune_refused:
        problems.append(PRUNE_REFUSED)
    if problems:
        raise LegerError("; ".join(problems))


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
cannot take), 0 when everything is in step.""",
    examples=(
        "leger secrets sync",
        "leger secrets sync --only openai_api_key,github_token --dry-run",
        "leger secrets sync --prune --json",
    ),
    see_also=("secrets list", "run"),
)
