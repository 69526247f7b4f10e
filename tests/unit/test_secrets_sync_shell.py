"""``secrets sync --driver shell``: the plan, the Podman calls and the report, with fakes.

The real Podman, the installed leger and the lookups Podman runs are in
tests/e2e/test_secrets_sync_shell.py.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from leger.commands.secrets_sync.engine import run_sync
from leger.commands.secrets_sync.plan import (
    LABEL_DRIVER,
    LABEL_MANAGED,
    LABEL_SERVER,
    LABEL_USER,
    Action,
    Owner,
    plan,
)
from leger.commands.secrets_sync.report import print_report, report_json
from leger.errors import PodmanError
from leger.iostreams import IOStreams
from leger.podman import PodmanSecret, ShellDriver

ME = Owner("https://api.leger.run", "550e8400-e29b-41d4-a716-446655440000")
AT = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def lookups(name: str) -> ShellDriver:
    return ShellDriver.for_lookup(["/usr/bin/leger", "podman", "lookup", "--", name])


@dataclass(frozen=True)
class Info:
    name: str
    version: int
    updated_at: datetime = AT


@dataclass(frozen=True)
class Value:
    name: str
    value: str
    version: int


@dataclass
class FakeApi:
    """leger.run's metadata and values; records every value fetch."""

    secrets: dict[str, str] = field(default_factory=dict)
    fetched: list[list[str]] = field(default_factory=list)
    opened: int = 0

    def list_secrets(self) -> list[Info]:
        return [Info(name, 1) for name in self.secrets]

    def fetch_values(self, names: list[str]) -> list[Value]:
        self.fetched.append(sorted(names))
        return [Value(name, self.secrets[name], 1) for name in names]

    @contextlib.contextmanager
    def open(self):
        self.opened += 1
        yield self


class FakePodman:
    """Podman's store in memory, with both drivers; ``calls`` records each change."""

    def __init__(self, version: str = "4.9.3") -> None:
        self._version = version
        self.store: dict[str, PodmanSecret] = {}
        self.calls: list[tuple[str, str]] = []

    def version(self) -> str:
        return self._version

    def list_secrets(self) -> list[PodmanSecret]:
        return list(self.store.values())

    def create(self, name, value, labels, *, replace=False):
        self.calls.append(("create --replace" if replace else "create", name))
        return self._add(PodmanSecret(f"id-{len(self.calls)}", name, dict(labels)), replace)

    def create_shell(self, name, labels, driver):
        self.calls.append(("create --driver shell", name))
        secret = PodmanSecret(
            f"id-{len(self.calls)}", name, dict(labels), "shell", driver.options()
        )
        return self._add(secret, False)

    def remove(self, secret_id):
        [name] = [n for n, s in self.store.items() if s.id == secret_id]
        self.calls.append(("rm", name))
        del self.store[name]

    def _add(self, secret: PodmanSecret, replace: bool) -> str:
        if secret.name in self.store and not replace:
            raise PodmanError(f"podman secret create failed: {secret.name}: secret name in use")
        self.store[secret.name] = secret
        return secret.id


def sync(api: FakeApi, podman: FakePodman, *, shell: bool = True, **options):
    options = {"only": None, "prune": False, "dry_run": False, **options}
    return run_sync(api.open, podman, ME, shell=lookups if shell else None, **options)


def shell_secret(name: str, driver: ShellDriver | None = None, owner: Owner = ME) -> PodmanSecret:
    options = (driver or lookups(name)).options()
    return PodmanSecret(f"id-{name}", name, owner.shell_labels(), "shell", options)


# --- the plan ---------------------------------------------------------------------------


def test_shell_labels_say_whose_and_which_driver_but_no_version():
    assert ME.shell_labels() == {
        LABEL_MANAGED: "true",
        LABEL_SERVER: "https://api.leger.run",
        LABEL_USER: "550e8400-e29b-41d4-a716-446655440000",
        LABEL_DRIVER: "shell",
    }
    assert LABEL_USER not in Owner("https://api.leger.run", None).shell_labels()


def test_a_shell_secret_is_unchanged_while_its_four_commands_are_the_same():
    upstream = [Info("same", 7), Info("moved", 1), Info("new", 1)]
    local = [
        shell_secret("same"),
        shell_secret("moved", ShellDriver.for_lookup(["/opt/old/leger", "podman", "lookup"])),
    ]
    steps = {step.name: step for step in plan(upstream, local, ME, shell=lookups)}
    assert {name: (s.action, s.reason, s.driver) for name, s in steps.items()} == {
        "same": (Action.UNCHANGED, "", "shell"),
        "moved": (Action.UPDATE, "the lookup command changed", "shell"),
        "new": (Action.CREATE, "new", "shell"),
    }
    assert {s.version for s in steps.values()} == {None}  # the value is live: no version


def test_moving_between_drivers_replaces_the_secret_both_ways():
    file_secret = PodmanSecret("id-f", "f", ME.labels(1, "2026-11-28T10:00:00Z"), "file")
    [to_shell] = plan([Info("f", 1)], [file_secret], ME, shell=lookups)
    assert (to_shell.action, to_shell.reason) == (Action.UPDATE, "switching from the file driver")
    assert (to_shell.driver, to_shell.previous_driver) == ("shell", "file")

    [to_file] = plan([Info("s", 1)], [shell_secret("s")], ME)
    assert (to_file.action, to_file.reason) == (Action.UPDATE, "switching from the shell driver")
    assert (to_file.driver, to_file.previous_driver, to_file.version) == ("file", "shell", 1)


def test_what_is_not_ours_is_skipped_and_stale_shell_secrets_pruned_as_before():
    foreign = PodmanSecret("id-x", "x", {"owner": "me"}, "shell", lookups("x").options())
    others = shell_secret("o", owner=Owner("https://api.leger.run", "someone-else"))
    gone = shell_secret("gone")
    upstream, local = [Info("x", 1), Info("o", 1)], [foreign, others, gone]
    steps = {s.name: s for s in plan(upstream, local, ME, shell=lookups, prune=True)}
    assert {name: (s.action, s.driver) for name, s in steps.items()} == {
        "x": (Action.SKIP, "shell"),
        "o": (Action.SKIP, "shell"),
        "gone": (Action.REMOVE, "shell"),
    }
    assert [steps["x"].blocking, steps["o"].blocking] == [True, True]


# --- carrying it out ----------------------------------------------------------------------


def test_shell_secrets_are_created_with_no_value_fetched():
    api, podman = FakeApi({"a": "1", "b": "2"}), FakePodman()
    report = sync(api, podman)
    assert not report.failed
    assert api.fetched == []
    assert podman.calls == [("create --driver shell", "a"), ("create --driver shell", "b")]
    assert podman.store["a"].driver_options == lookups("a").options()
    assert podman.store["a"].labels == ME.shell_labels()

    podman.calls.clear()
    again = sync(api, podman)
    assert [o.step.action for o in again.outcomes] == [Action.UNCHANGED] * 2
    assert podman.calls == []


@pytest.mark.parametrize("version", ["4.3.1", "4.9.3"])
def test_a_replaced_shell_secret_is_removed_then_created_never_replace(version):
    api, podman = FakeApi({"k": "v"}), FakePodman(version)
    sync(api, podman, shell=False)
    podman.calls.clear()
    sync(api, podman)  # file -> shell
    assert podman.calls == [("rm", "k"), ("create --driver shell", "k")]
    podman.calls.clear()
    sync(api, podman, shell=False)  # shell -> file
    assert podman.calls == [("rm", "k"), ("create", "k")]
    assert api.fetched == [["k"], ["k"]]


def test_a_podman_without_the_shell_driver_is_an_error_before_anything():
    api, podman = FakeApi({"k": "v"}), FakePodman("3.2.3")
    with pytest.raises(PodmanError) as caught:
        sync(api, podman)
    assert caught.value.message == (
        "Podman 3.2.3 has no shell secret driver: it needs Podman 3.3 or later"
    )
    assert "--driver file" in (caught.value.hint or "")
    assert (api.opened, podman.calls) == (0, [])


def test_a_failed_create_after_the_remove_says_the_secret_is_gone():
    class Full(FakePodman):
        def create_shell(self, name, labels, driver):
            raise PodmanError("podman secret create failed: no space left on device")

    api, podman = FakeApi({"k": "v"}), Full()
    sync(api, podman, shell=False)
    [failed] = sync(api, podman).failed
    assert failed.error == (
        "the old secret was removed, but the new one was not created: "
        "podman secret create failed: no space left on device"
    )


# --- the report -----------------------------------------------------------------------------


def test_the_report_says_shell_driver_and_that_values_are_read_live():
    api, podman = FakeApi({"a": "1", "b": "2"}), FakePodman()
    sync(api, podman, shell=False, only=frozenset({"b"}))
    report = sync(api, podman)
    io, _, stdout, _ = IOStreams.test()
    print_report(io, report)
    lines = stdout.getvalue().decode().splitlines()
    assert lines[0].endswith("(rootful, shell driver)") or lines[0].endswith(
        "(rootless, shell driver)"
    )
    assert [line.split(None, 2) for line in lines[1:3]] == [
        ["created", "a", "read from leger.run at each container start"],
        ["updated", "b", "switching from the file driver"],
    ]

    document = report_json(report)
    assert document["driver"] == "shell"
    assert [(s["name"], s["driver"], s["version"]) for s in document["secrets"]] == [
        ("a", "shell", None),
        ("b", "shell", None),
    ]


def test_back_to_the_file_driver_the_report_names_the_version():
    api, podman = FakeApi({"k": "v"}), FakePodman()
    sync(api, podman)
    report = sync(api, podman, shell=False)
    io, _, stdout, _ = IOStreams.test()
    print_report(io, report)
    assert "  updated  k  version 1, switching from the shell driver" in stdout.getvalue().decode()
    assert report_json(report)["driver"] == "file"
