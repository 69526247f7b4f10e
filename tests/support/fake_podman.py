"""A Podman secret store in memory, and ``secrets sync``'s engine run against it.

``FakePodman`` is a ``leger.podman.Podman`` whose store is a dict, with both
secret drivers (``file`` keeps a value; ``shell`` only its commands): it
records every change and can fail the create of given names. ``sync`` runs the
engine between a ``FakeSecrets`` and a Podman (fake or real) as ``OWNER``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from leger.commands.secrets_sync.engine import Report, run_sync
from leger.commands.secrets_sync.plan import Owner
from leger.errors import PodmanError
from leger.podman import Podman, PodmanSecret, ShellDriver
from tests.support.fake_secrets import FakeSecrets

OWNER = Owner("http://127.0.0.1:8000", "550e8400-e29b-41d4-a716-446655440000")


class FakePodman(Podman):
    """Podman's secret store in memory; ``fail_on`` names make create fail."""

    def __init__(self, version: str = "4.3.1", fail_on: tuple[str, ...] = ()) -> None:
        super().__init__("podman", timeout=0)
        self._version = version
        self.fail_on = fail_on
        self.store: dict[str, PodmanSecret] = {}
        self.values: dict[str, str] = {}
        self.calls: list[tuple[str, str]] = []
        self._next = 0

    def version(self) -> str:
        return self._version

    def list_secrets(self) -> list[PodmanSecret]:
        return list(self.store.values())

    def create(
        self, name: str, value: bytes, labels: Mapping[str, str], *, replace: bool = False
    ) -> str:
        self.calls.append(("create --replace" if replace else "create", name))
        secret_id = self._add(name, labels, replace)
        self.values[name] = value.decode()
        return secret_id

    def create_shell(self, name: str, labels: Mapping[str, str], driver: ShellDriver) -> str:
        self.calls.append(("create --driver shell", name))
        return self._add(name, labels, False, "shell", driver.options())

    def remove(self, secret_id: str) -> None:
        [name] = [n for n, s in self.store.items() if s.id == secret_id]
        self.calls.append(("rm", name))
        del self.store[name]
        self.values.pop(name, None)

    def _add(
        self,
        name: str,
        labels: Mapping[str, str],
        replace: bool,
        driver: str = "file",
        options: Mapping[str, str] | None = None,
    ) -> str:
        if name in self.fail_on:
            raise PodmanError("podman secret create failed: no space left on device")
        if name in self.store and not replace:
            raise PodmanError(f"podman secret create failed: {name}: secret name in use")
        self._next += 1
        secret = PodmanSecret(f"id{self._next}", name, dict(labels), driver, dict(options or {}))
        self.store[name] = secret
        return secret.id


def sync(
    api: FakeSecrets, podman: Podman, owner: Owner = OWNER, *, driver: str = "file", **options: Any
) -> Report:
    """Run the sync engine from ``api`` to ``podman`` as ``owner``, with Podman's ``driver``
    (``shell``: the commands of ``lookups``); no --only, --prune or --dry-run unless
    ``options`` say so."""
    chosen = {"only": None, "prune": False, "dry_run": False, **options}
    shell = lookups if driver == "shell" else None
    return run_sync(api.open, podman, owner, shell=shell, **chosen)


def lookups(name: str) -> ShellDriver:
    """The shell driver's commands for ``name`` (a lookup by a leger at /usr/bin/leger)."""
    return ShellDriver.for_lookup(["/usr/bin/leger", "podman", "lookup", "--", name])
