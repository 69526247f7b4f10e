"""``leger secrets sync``: make the Podman secret store match leger.run.

Steps: read Podman's secrets and leger.run's metadata, plan (``leger.sync_plan``),
fetch only the values that are new or changed (one request on the REST form),
then create, replace or remove Podman secrets one by one. One secret failing
does not stop the others; the command exits 1 when any secret is not in step.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from leger.context import Context
from leger.errors import LegerError, PodmanError, UsageError
from leger.podman import Podman, supports_replace
from leger.sync_plan import Action, Owner, Step, plan
from leger.terminal import safe_line
from leger.validation import check_name

if TYPE_CHECKING:
    from leger.api.results import Secret
    from leger.api.secrets import SecretsApi

RESTART_NOTE = "Running containers keep the value they started with until they restart."
_PAST = {
    Action.CREATE: "created",
    Action.UPDATE: "updated",
    Action.UNCHANGED: "unchanged",
    Action.REMOVE: "removed",
    Action.SKIP: "skipped",
}


@dataclass(frozen=True)
class Outcome:
    """A step of the plan and, once carried out, why it failed (None: it did not)."""

    step: Step
    error: str | None = None


@dataclass(frozen=True)
class Report:
    """Everything the sync did or, with ``dry_run``, would do."""

    owner: Owner
    podman_version: str
    replace: bool
    rootless: bool
    dry_run: bool
    outcomes: list[Outcome]

    @property
    def failed(self) -> list[Outcome]:
        """Outcomes that leave a secret out of step: failed, or skipped for a reason to fix."""
        return [o for o in self.outcomes if o.error is not None or o.step.blocking]

    @property
    def restart_needed(self) -> bool:
        """Whether a running container may now hold a value Podman no longer has."""
        return any(
            o.error is None and o.step.action in (Action.UPDATE, Action.REMOVE)
            for o in self.outcomes
        )


def parse_only(only: str | None) -> frozenset[str] | None:
    """The names in ``--only a,b`` (checked like any secret name), or None for all."""
    if only is None:
        return None
    names = [name.strip() for name in only.split(",") if name.strip()]
    if not names:
        raise UsageError("--only needs at least one secret name", hint="Example: --only a,b")
    return frozenset(check_name(name) for name in names)


def sync_secrets(
    ctx: Context, only: str | None, *, prune: bool, dry_run: bool, as_json: bool
) -> None:
    """Sync leger.run's secrets into Podman's store and print what was done."""
    names = parse_only(only)
    creds = ctx.require_credentials()
    # With LEGER_TOKEN the user is unknown: such secrets are labelled without
    # one, and only those are this owner's (to update or prune).
    owner = Owner(
        server=ctx.api_url,
        user=creds.stored.user_uuid if creds.stored is not None else None,
    )
    podman = Podman.locate(timeout=ctx.settings.timeout)
    report = run_sync(ctx.secrets, podman, owner, only=names, prune=prune, dry_run=dry_run)
    if as_json:
        ctx.io.print(json.dumps(report_json(report), indent=2))
    else:
        print_report(ctx, report)
    if report.failed:
        count = len(report.failed)
        raise LegerError(f"{count} secret{'' if count == 1 else 's'} not in step with leger.run")


def run_sync(
    open_api: Callable[[], AbstractContextManager[SecretsApi]],
    podman: Podman,
    owner: Owner,
    *,
    only: frozenset[str] | None,
    prune: bool,
    dry_run: bool,
) -> Report:
    """Plan from ``podman`` and the secrets API ``open_api()`` opens, then carry it out.

    Podman is asked first, so that a missing or broken Podman costs no request.
    Only new and changed values are fetched, in one call.
    """
    version = podman.version()
    can_replace = supports_replace(version)
    local = podman.list_secrets()
    with open_api() as api:
        steps = plan(api.list_secrets(), local, owner, only=only, prune=prune)
        changed = [s.name for s in steps if s.action in (Action.CREATE, Action.UPDATE)]
        fetched = api.fetch_values(changed) if changed and not dry_run else []
    if dry_run:
        outcomes = [Outcome(step) for step in steps]
    else:
        values = {secret.name: secret for secret in fetched}
        outcomes = [_carry_out(step, values, podman, owner, can_replace) for step in steps]
    return Report(owner, version, can_replace, os.geteuid() != 0, dry_run, outcomes)


def _carry_out(
    step: Step, values: dict[str, Secret], podman: Podman, owner: Owner, can_replace: bool
) -> Outcome:
    try:
        if step.action is Action.REMOVE:
            assert step.podman_id is not None
            podman.remove(step.podman_id)
        elif step.action in (Action.CREATE, Action.UPDATE):
            secret = values.get(step.name)
            if secret is None:
                return Outcome(step, "leger.run did not send its value")
            step = replace(step, version=secret.version)
            try:
                value = secret.value.encode("utf-8")
            except UnicodeEncodeError:  # lone surrogates a JSON string can spell
                return Outcome(step, "leger.run sent a value that is not valid UTF-8 text")
            labels = owner.labels(secret.version, step.updated_at)
            if step.action is Action.CREATE or can_replace:
                podman.create(step.name, value, labels, replace=step.action is Action.UPDATE)
            else:
                _remove_then_create(podman, step, value, labels)
    except PodmanError as error:
        return Outcome(step, error.message)
    return Outcome(step)


def _remove_then_create(podman: Podman, step: Step, value: bytes, labels: dict[str, str]) -> None:
    # Podman before 4.7 has no --replace. Between the two calls the secret is
    # missing; a container starting right then fails and can be restarted.
    assert step.podman_id is not None
    podman.remove(step.podman_id)
    try:
        podman.create(step.name, value, labels)
    except PodmanError as error:
        raise PodmanError(
            f"the old secret was removed, but the new one was not created: {error.message}"
        ) from None


def _detail(outcome: Outcome) -> str:
    step = outcome.step
    if outcome.error is not None:
        return outcome.error
    if step.action is Action.SKIP or step.action is Action.REMOVE:
        return step.reason
    if step.action is Action.UPDATE:
        held = safe_line(step.previous_version or "?", 20)
        return f"version {held} -> {step.version}"
    return f"version {step.version}"


def print_report(ctx: Context, report: Report) -> None:
    """The plan as a table (as done, or as planned with --dry-run), counts, and advice."""
    io = ctx.io
    where = "rootless" if report.rootless else "rootful"
    version = safe_line(report.podman_version, 40)
    io.print(f"From {safe_line(report.owner.server)} to Podman {version} ({where})")
    if report.dry_run:
        io.print("Dry run: nothing was changed.")
    rows = [
        (_word(o, report.dry_run), safe_line(o.step.name, 64), _detail(o)) for o in report.outcomes
    ]
    width = [max((len(row[col]) for row in rows), default=0) for col in (0, 1)]
    for word, name, detail in rows:
        io.print(f"  {word.ljust(width[0])}  {name.ljust(width[1])}  {detail}".rstrip())
    if not rows:
        io.print("  (no secrets on leger.run)")
    io.print()
    io.print(_counts_line(report))
    if report.restart_needed:
        quadlet = "systemctl --user restart" if report.rootless else "systemctl restart"
        io.print(RESTART_NOTE)
        io.print(f"  For a Quadlet unit: {quadlet} NAME.service")


def _word(outcome: Outcome, dry_run: bool) -> str:
    if outcome.error is not None:
        return "failed"
    return str(outcome.step.action) if dry_run else _PAST[outcome.step.action]


def _counts(report: Report) -> dict[str, int]:
    tally = Counter(str(o.step.action) for o in report.outcomes if o.error is None)
    counts = {str(action): tally[str(action)] for action in Action}
    counts["failed"] = sum(o.error is not None for o in report.outcomes)
    return counts


def _counts_line(report: Report) -> str:
    counts = _counts(report)
    if report.dry_run:
        return "Plan: " + ", ".join(f"{counts[str(a)]} {a}" for a in Action) + "."
    done = ", ".join(f"{counts[str(a)]} {_PAST[a]}" for a in Action)
    return f"{done}, {counts['failed']} failed."


def report_json(report: Report) -> dict[str, Any]:
    """The report as one JSON object (see the README)."""
    return {
        "server": report.owner.server,
        "user": report.owner.user,
        "dry_run": report.dry_run,
        "podman": {
            "version": report.podman_version,
            "rootless": report.rootless,
            "replace": report.replace,
        },
        "secrets": [
            {
                "name": o.step.name,
                "action": str(o.step.action),
                "result": _result(o, report.dry_run),
                "version": o.step.version,
                "previous_version": o.step.previous_version,
                "reason": o.step.reason or None,
                "error": o.error,
            }
            for o in report.outcomes
        ],
        "counts": _counts(report),
        "restart_needed": report.restart_needed,
        "ok": not report.failed,
    }


def _result(outcome: Outcome, dry_run: bool) -> str:
    if outcome.error is not None:
        return "failed"
    if outcome.step.action is Action.SKIP:
        return "skipped"
    return "planned" if dry_run else "done"
