"""What ``leger secrets sync`` will do, decided from what both sides hold.

A pure function of leger.run's metadata (names, versions, update times), the
Podman secrets with their labels, and the options: no I/O, so every rule is
tested directly. The labels leger puts on a Podman secret say that leger made
it, for which server and user, and which upstream version it holds; a secret
without them is never touched.

With the ``shell`` driver Podman holds no value, only the commands that read
it (``leger.podman.ShellDriver``): such a secret is unchanged while its
commands are the ones this sync would write, whatever the upstream version.
Moving a secret from one driver to the other replaces it.

leger.run's list may be incomplete (``leger.api.results.LIST_LIMIT``): a
Podman secret missing from such a list may still exist upstream, so the plan
never removes one then. A secret the list lacked but a get found (an
``--only`` name) has no update time: it is always rewritten.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from leger.podman import PodmanSecret, ShellDriver
from leger.times import rfc3339

LABEL_MANAGED = "io.leger.managed"
LABEL_SERVER = "io.leger.server"
LABEL_USER = "io.leger.user"
LABEL_VERSION = "io.leger.version"
LABEL_UPDATED_AT = "io.leger.updated-at"
LABEL_DRIVER = "io.leger.driver"
FILE = "file"
SHELL = "shell"

# What every Podman version accepts (4.x is the strictest): 1-64 of these
# characters, starting and ending with a letter or digit.
PODMAN_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9])?")
PODMAN_NAME_RULE = "1-64 of A-Z a-z 0-9 _ . -, starting and ending with a letter or digit"


class Action(StrEnum):
    """What happens to one secret."""

    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REMOVE = "remove"
    SKIP = "skip"


class UpstreamSecret(Protocol):
    """The metadata of a leger.run secret that the plan needs (``SecretInfo`` has it).

    ``updated_at`` is None for a secret read by name (a get does not say it).
    """

    @property
    def name(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def updated_at(self) -> datetime | None: ...


@dataclass(frozen=True)
class ReadByName:
    """A secret leger.run's list lacked and a get found: its update time is unknown."""

    name: str
    version: int
    updated_at: None = None


@dataclass(frozen=True)
class Owner:
    """Whose Podman secrets these are: a leger.run server and a user (None: unknown)."""

    server: str
    user: str | None

    def owns(self, labels: Mapping[str, str]) -> bool:
        """Whether leger made the secret with these labels for this server and user."""
        return (
            labels.get(LABEL_MANAGED) == "true"
            and labels.get(LABEL_SERVER) == self.server
            and labels.get(LABEL_USER) == self.user
        )

    def labels(self, version: int, updated_at: str) -> dict[str, str]:
        """The labels of a secret leger writes for this owner (no update time when unknown)."""
        labels = {**self._whose(), LABEL_VERSION: str(version)}
        if updated_at:
            labels[LABEL_UPDATED_AT] = updated_at
        return labels

    def shell_labels(self) -> dict[str, str]:
        """The labels of a shell-driver secret: no version, since its value is read live."""
        return {**self._whose(), LABEL_DRIVER: SHELL}

    def _whose(self) -> dict[str, str]:
        labels = {LABEL_MANAGED: "true", LABEL_SERVER: self.server}
        if self.user is not None:
            labels[LABEL_USER] = self.user
        return labels


@dataclass(frozen=True)
class Step:
    """One line of the plan.

    ``version``/``updated_at`` are leger.run's (what will be written);
    ``previous_version`` and ``podman_id`` are the Podman secret's, when there is
    one. ``blocking`` marks a skip that leaves a wanted secret out of Podman
    (the sync then exits 1); a stale secret kept without ``--prune`` is not one.
    ``driver`` is the one the secret is (to be) kept by, ``previous_driver``
    the existing secret's.
    """

    action: Action
    name: str
    reason: str = ""
    version: int | None = None
    updated_at: str = ""
    previous_version: str | None = None
    podman_id: str | None = None
    blocking: bool = False
    driver: str = FILE
    previous_driver: str | None = None


def plan(
    upstream: Iterable[UpstreamSecret],
    local: Iterable[PodmanSecret],
    owner: Owner,
    *,
    only: frozenset[str] | None = None,
    prune: bool = False,
    complete: bool = True,
    shell: Callable[[str], ShellDriver] | None = None,
) -> list[Step]:
    """The steps that make Podman's store match leger.run, sorted by name.

    ``only`` limits everything (syncing and pruning) to those names. ``shell``
    gives each name's shell-driver commands; None keeps values in Podman's
    ``file`` driver. ``complete`` says that a name missing from ``upstream`` is
    not on leger.run; without it, leger's Podman secrets missing from
    ``upstream`` are kept.
    """
    upstream = list(upstream)
    known = {s.name for s in upstream}
    wanted = known if only is None else known & only
    podman = {s.name: s for s in local}
    driver = FILE if shell is None else SHELL
    steps = [_sync_step(s, podman.get(s.name), owner, shell) for s in upstream if s.name in wanted]
    for name in sorted(set(podman) - known):
        existing = podman[name]
        if owner.owns(existing.labels) and (only is None or name in only):
            steps.append(_stale_step(existing, prune) if complete else _unlisted_step(existing))
    for name in sorted((only or frozenset()) - known - set(podman)):
        # On neither side: most likely a typo in --only.
        steps.append(Step(Action.SKIP, name, "not on leger.run", blocking=True, driver=driver))
    return sorted(steps, key=lambda step: step.name)


def _sync_step(
    secret: UpstreamSecret,
    existing: PodmanSecret | None,
    owner: Owner,
    shell: Callable[[str], ShellDriver] | None,
) -> Step:
    name, version = secret.name, secret.version
    updated_at = "" if secret.updated_at is None else rfc3339(secret.updated_at)
    if not PODMAN_NAME.fullmatch(name):
        reason = f"Podman cannot take this name ({PODMAN_NAME_RULE})"
        if shell is not None:
            return Step(Action.SKIP, name, reason, blocking=True, driver=SHELL)
        return Step(Action.SKIP, name, reason, version, updated_at, blocking=True)
    if shell is not None:
        return _shell_step(name, existing, owner, shell(name))
    if existing is None:
        return Step(Action.CREATE, name, "new", version, updated_at)
    if not owner.owns(existing.labels):
        return Step(Action.SKIP, name, _clash(existing.labels), version, updated_at, blocking=True)
    held = existing.labels.get(LABEL_VERSION)
    same = (
        bool(updated_at)
        and held == str(version)
        and existing.labels.get(LABEL_UPDATED_AT) == updated_at
    )
    if updated_at:
        reason = "changed on leger.run"
    else:
        reason = "not in leger.run's list, so its update time is unknown"
    if existing.driver != FILE:
        same, reason = False, f"switching from the {existing.driver} driver"
    return Step(
        Action.UNCHANGED if same else Action.UPDATE,
        name,
        "" if same else reason,
        version,
        updated_at,
        previous_version=held,
        podman_id=existing.id,
        previous_driver=existing.driver,
    )


def _shell_step(
    name: str, existing: PodmanSecret | None, owner: Owner, driver: ShellDriver
) -> Step:
    # No value is written, so no version: the secret reads whatever is current.
    if existing is None:
        return Step(Action.CREATE, name, "new", driver=SHELL)
    if not owner.owns(existing.labels):
        return Step(Action.SKIP, name, _clash(existing.labels), blocking=True, driver=SHELL)
    if existing.driver != SHELL:
        reason = f"switching from the {existing.driver} driver"
    elif dict(existing.driver_options) != driver.options():
        reason = "the lookup command changed"
    else:
        reason = ""
    return Step(
        Action.UPDATE if reason else Action.UNCHANGED,
        name,
        reason,
        previous_version=existing.labels.get(LABEL_VERSION),
        podman_id=existing.id,
        driver=SHELL,
        previous_driver=existing.driver,
    )


def _stale_step(existing: PodmanSecret, prune: bool) -> Step:
    held = existing.labels.get(LABEL_VERSION)
    if prune:
        return Step(
            Action.REMOVE,
            existing.name,
            "deleted on leger.run",
            previous_version=held,
            podman_id=existing.id,
            driver=existing.driver,
        )
    return Step(
        Action.SKIP,
        existing.name,
        "deleted on leger.run; --prune removes it",
        previous_version=held,
        podman_id=existing.id,
        driver=existing.driver,
    )


def _unlisted_step(existing: PodmanSecret) -> Step:
    # Not "deleted": a list that may be incomplete proves nothing by what it lacks.
    return Step(
        Action.SKIP,
        existing.name,
        "not in leger.run's list, which may be incomplete: kept",
        previous_version=existing.labels.get(LABEL_VERSION),
        podman_id=existing.id,
        driver=existing.driver,
    )


def _clash(labels: Mapping[str, str]) -> str:
    if labels.get(LABEL_MANAGED) == "true":
        return "a Podman secret of this name was made by leger for another server or user"
    return "a Podman secret of this name was not made by leger"
