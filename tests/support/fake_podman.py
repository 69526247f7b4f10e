"""Podman's secret store in memory, for sync tests that are not about Podman itself."""

from __future__ import annotations

from leger.errors import PodmanError
from leger.podman import PodmanSecret


class FakePodman:
    """Podman's secret store in memory; ``fail_on`` names make create fail."""

    def __init__(self, version: str = "4.3.1", fail_on: tuple[str, ...] = ()) -> None:
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

    def create(self, name, value, labels, *, replace=False):
        self.calls.append(("create --replace" if replace else "create", name))
        if name in self.fail_on:
            raise PodmanError("podman secret create failed: no space left on device")
        if name in self.store and not replace:
            raise PodmanError(f"podman secret create failed: {name}: secret name in use")
        self._next += 1
        self.store[name] = PodmanSecret(f"id{self._next}", name, dict(labels))
        self.values[name] = value.decode()
        return f"id{self._next}"

    def remove(self, secret_id):
        [name] = [n for n, s in self.store.items() if s.id == secret_id]
        self.calls.append(("rm", name))
        del self.store[name]
