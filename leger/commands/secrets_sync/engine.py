"""How ``leger secrets sync`` works: read both sides, plan, fetch what changed, apply.

Steps: read Podman's secrets and leger.run's metadata, plan
(``secrets_sync.plan``), fetch only the values that are new or changed (one
request on the REST form), then create, replace or remove Podman secrets one by
one. One secret failing does not stop the others. With the shell driver no
value is fetched at all: Podman gets, for each secret, the commands that read
it (``shell``), and never ``--replace``, which can make Podman run a ``delete``
for the wrong secret.

An ``--only`` name the list lacks is read by name (the list may be one page of
a longer one); without ``--only``, a list that may be incomplete prunes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from leger.api.results import possibly_incomplete
from leger.commands.secrets_sync.plan import (
    FILE,
    SHELL,
    Action,
    Owner,
    ReadByName,
    Step,
    UpstreamSecret,
    plan,
)
from leger.errors import PodmanError
from leger.podman import Podman, ShellDriver, require_shell_driver, supports_replace

if TYPE_CHECKING:
    from leger.api.results import Secret
    from leger.api.secrets import SecretsApi


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
    driver: str = FILE
    # leger.run's list may lack secrets (all were synced, none named with --only).
    list_incomplete: bool = False
    # --prune was asked for, and the list could not say what to prune.
    prune_refused: bool = False

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


def run_sync(
    open_api: Callable[[], AbstractContextManager[SecretsApi]],
    podman: Podman,
    owner: Owner,
    *,
    only: frozenset[str] | None,
    prune: bool,
    dry_run: bool,
    shell: Callable[[str], ShellDriver] | None = None,
) -> Report:
    """Plan from ``podman`` and the secrets API ``open_api()`` opens, then carry it out.

    Podman is asked first, so that a missing or broken Podman (or one without
    the shell driver, when ``shell`` gives each name's commands) costs no
    request. Only new and changed values are fetched, in one call.
    """
    version = podman.version()
    if shell is not None:
        require_shell_driver(version)
    can_replace = supports_replace(version)
    local = podman.list_secrets()
    with open_api() as api:
        listed = api.list_secrets()
        incomplete = only is None and possibly_incomplete(listed)
        values = _read_unlisted(api, {s.name for s in listed}, only)
        upstream: list[UpstreamSecret] = [*listed]
        upstream += [ReadByName(s.name, s.version) for s in values.values()]
        steps = plan(
            upstream,
            local,
            owner,
            only=only,
            prune=prune and not incomplete,
            complete=not incomplete,
            shell=shell,
        )
        changed = [
            s.name
            for s in steps
            if s.action in (Action.CREATE, Action.UPDATE)
            and s.driver == FILE
            and s.name not in values
        ]
        if changed and not dry_run:
            values.update((secret.name, secret) for secret in api.fetch_values(changed))
    if dry_run:
        outcomes = [Outcome(step) for step in steps]
    else:
        outcomes = [_carry_out(step, values, podman, owner, can_replace, shell) for step in steps]
    return Report(
        owner,
        version,
        can_replace,
        os.geteuid() != 0,
        dry_run,
        outcomes,
        driver=FILE if shell is None else SHELL,
        list_incomplete=incomplete,
        prune_refused=prune and incomplete,
    )


def _read_unlisted(
    api: SecretsApi, listed: set[str], only: frozenset[str] | None
) -> dict[str, Secret]:
    """The ``--only`` secrets the list lacks that a get finds (a list proves no absence)."""
    unlisted = sorted((only or frozenset()) - listed)
    return {secret.name: secret for secret in api.fetch_by_name(unlisted)} if unlisted else {}


def _carry_out(
    step: Step,
    values: dict[str, Secret],
    podman: Podman,
    owner: Owner,
    can_replace: bool,
    shell: Callable[[str], ShellDriver] | None,
) -> Outcome:
    try:
        if step.action is Action.REMOVE:
            assert step.podman_id is not None
            podman.remove(step.podman_id)
        elif step.action in (Action.CREATE, Action.UPDATE) and step.driver == SHELL:
            assert shell is not None
            driver, labels = shell(step.name), owner.shell_labels()
            _create(podman, step, lambda: podman.create_shell(step.name, labels, driver))
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
            if step.action is Action.UPDATE and can_replace and step.previous_driver == FILE:
                podman.create(step.name, value, labels, replace=True)
            else:
                _create(podman, step, lambda: podman.create(step.name, value, labels))
    except PodmanError as error:
        return Outcome(step, error.message)
    return Outcome(step)


def _create(podman: Podman, step: Step, create: Callable[[], str]) -> None:
    """``create`` the secret; for an update, remove the old one first.

    Podman before 4.7 has no --replace, and with the shell driver on either
    side it must not be used. Between the two calls the secret is missing; a
    container starting right then fails and can be restarted.
    """
    if step.action is Action.UPDATE:
        assert step.podman_id is not None
        podman.remove(step.podman_id)
    try:
        create()
    except PodmanError as error:
        if step.action is Action.CREATE:
            raise
        raise PodmanError(
            f"the old secret was removed, but the new one was not created: {error.message}"
        ) from None
