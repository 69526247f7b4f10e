"""What ``leger secrets sync`` says: a table with counts and advice, or one JSON object."""

from __future__ import annotations

from collections import Counter
from typing import Any

from leger.commands.secrets_sync.engine import Outcome, Report
from leger.commands.secrets_sync.plan import FILE, SHELL, Action
from leger.iostreams import IOStreams
from leger.selection import BEYOND_THE_LIST, INCOMPLETE_LIST
from leger.terminal import safe_line

RESTART_NOTE = "Running containers keep the value they started with until they restart."
PRUNE_REFUSED = (
    f"Nothing was pruned: {INCOMPLETE_LIST}, and a Podman secret missing from the list "
    "may still be on leger.run"
)
PRUNE_BY_NAME = "Prune by name instead: --prune --only NAME,NAME... asks leger.run for each name."
LIVE = "read from leger.run at each container start"
_PAST = {
    Action.CREATE: "created",
    Action.UPDATE: "updated",
    Action.UNCHANGED: "unchanged",
    Action.REMOVE: "removed",
    Action.SKIP: "skipped",
}


def _detail(outcome: Outcome) -> str:
    step = outcome.step
    if outcome.error is not None:
        return outcome.error
    if step.action is Action.SKIP or step.action is Action.REMOVE:
        return step.reason
    if step.driver == SHELL:
        return step.reason if step.action is Action.UPDATE else LIVE
    if step.action is Action.UPDATE and step.previous_driver != FILE:
        return f"version {step.version}, {step.reason}"
    if step.action is Action.UPDATE:
        held = safe_line(step.previous_version or "?", 20)
        return f"version {held} -> {step.version}"
    return f"version {step.version}"


def print_report(io: IOStreams, report: Report) -> None:
    """The plan as a table (as done, or as planned with --dry-run), counts, and advice."""
    where = "rootless" if report.rootless else "rootful"
    if report.driver == SHELL:
        where += ", shell driver"
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


def warnings(report: Report) -> list[str]:
    """What the sync could not do because leger.run's list may be incomplete (stderr, JSON)."""
    said = []
    if report.list_incomplete:
        said.append(f"{INCOMPLETE_LIST}; {BEYOND_THE_LIST}")
    if report.prune_refused:
        said.append(f"{PRUNE_REFUSED}. {PRUNE_BY_NAME}")
    return said


def report_json(report: Report) -> dict[str, Any]:
    """The report as one JSON object (see the README)."""
    return {
        "server": report.owner.server,
        "user": report.owner.user,
        "dry_run": report.dry_run,
        "driver": report.driver,
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
                "driver": o.step.driver,
                "version": o.step.version,
                "previous_version": o.step.previous_version,
                "reason": o.step.reason or None,
                "error": o.error,
            }
            for o in report.outcomes
        ],
        "counts": _counts(report),
        "restart_needed": report.restart_needed,
        "warnings": warnings(report),
        "ok": not report.failed and not report.prune_refused,
    }


def _result(outcome: Outcome, dry_run: bool) -> str:
    if outcome.error is not None:
        return "failed"
    if outcome.step.action is Action.SKIP:
        return "skipped"
    return "planned" if dry_run else "done"
