"""``secrets sync --driver shell``: the plan, the Podman calls and the report, with fakes.

The real Podman, the installed leger and the lookups Podman runs are in
tests/e2e/test_secrets_sync_shell.py.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from leger.api.results import SecretInfo
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
from tests.support.fake_podman import FakePodman, lookups, sync
from tests.support.fake_secrets import FakeSecrets

ME = Owner("https://api.leger.run", "550e8400-e29b-41d4-a716-446655440000")
AT = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def info(name: str, version: int) -> SecretInfo:
    """A listed secret's metadata."""
    return SecretInfo(name, version, AT, AT, None)


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
    upstream = [info("same", 7), info("moved", 1), info("new", 1)]
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
    [to_shell] = plan([info("f", 1)], [file_secret], ME, shell=lookups)
    assert (to_shell.action, to_shell.reason) == (Action.UPDATE, "switching from the file driver")
    assert (to_shell.driver, to_shell.previous_driver) == ("shell", "file")

    [to_file] = plan([info("s", 1)], [shell_secret("s")], ME)
    assert (to_file.action, to_file.reason) == (Action.UPDATE, "switching from the shell driver")
    assert (to_file.driver, to_file.previous_driver, to_file.version) == ("file", "shell", 1)


def test_what_is_not_ours_is_skipped_and_stale_shell_secrets_pruned_as_before():
    foreign = PodmanSecret("id-x", "x", {"owner": "me"}, "shell", lookups("x").options())
    others = shell_secret("o", owner=Owner("https://api.leger.run", "someone-else"))
    gone = shell_secret("gone")
    upstream, local = [info("x", 1), info("o", 1)], [foreign, others, gone]
    steps = {s.name: s for s in plan(upstream, local, ME, shell=lookups, prune=True)}
    assert {name: (s.action, s.driver) for name, s in steps.items()} == {
        "x": (Action.SKIP, "shell"),
        "o": (Action.SKIP, "shell"),
        "gone": (Action.REMOVE, "shell"),
    }
    assert [steps["x"].blocking, steps["o"].blocking] == [True, True]


# --- carrying it out ----------------------------------------------------------------------


def test_shell_secrets_are_created_with_no_value_fetched():
    api, podman = FakeSecrets({"a": "1", "b": "2"}), FakePodman()
    report = sync(api, podman, ME, driver="shell")
    assert not report.failed
    assert api.fetched == []
    assert podman.calls == [("create --driver shell", "a"), ("create --driver shell", "b")]
    assert podman.store["a"].driver_options == lookups("a").options()
    assert podman.store["a"].labels == ME.shell_labels()

    podman.calls.clear()
    again = sync(api, podman, ME, driver="shell")
    assert [o.step.action for o in again.outcomes] == [Action.UNCHANGED] * 2
    assert podman.calls == []


@pytest.mark.parametrize("version", ["4.3.1", "4.9.3"])
def test_a_replaced_shell_secret_is_removed_then_created_never_replace(version):
    api, podman = FakeSecrets({"k": "v"}), FakePodman(version)
    sync(api, podman, ME)
    podman.calls.clear()
    sync(api, podman, ME, driver="shell")  # file -> shell
    assert podman.calls == [("rm", "k"), ("create --driver shell", "k")]
    podman.calls.clear()
    sync(api, podman, ME)  # shell -> file
    assert podman.calls == [("rm", "k"), ("create", "k")]
    assert api.fetched == [["k"], ["k"]]


def test_a_podman_without_the_shell_driver_is_an_error_before_anything():
    api, podman = FakeSecrets({"k": "v"}), FakePodman("3.2.3")
    with pytest.raises(PodmanError) as caught:
        sync(api, podman, ME, driver="shell")
    assert caught.value.message == (
        "Podman 3.2.3 has no shell secret driver: it needs Podman 3.3 or later"
    )
    assert "--driver file" in (caught.value.hint or "")
    assert (api.opened, podman.calls) == (0, [])


def test_a_failed_create_after_the_remove_says_the_secret_is_gone():
    class Full(FakePodman):
        def create_shell(self, name, labels, driver):
            raise PodmanError("podman secret create failed: no space left on device")

    api, podman = FakeSecrets({"k": "v"}), Full()
    sync(api, podman, ME)
    [failed] = sync(api, podman, ME, driver="shell").failed
    assert failed.error == (
        "the old secret was removed, but the new one was not created: "
        "podman secret create failed: no space left on device"
    )


# --- the report -----------------------------------------------------------------------------


def test_the_report_says_shell_driver_and_that_values_are_read_live():
    api, podman = FakeSecrets({"a": "1", "b": "2"}), FakePodman()
    sync(api, podman, ME, only=frozenset({"b"}))
    report = sync(api, podman, ME, driver="shell")
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
    api, podman = FakeSecrets({"k": "v"}), FakePodman()
    sync(api, podman, ME, driver="shell")
    report = sync(api, podman, ME)
    io, _, stdout, _ = IOStreams.test()
    print_report(io, report)
    assert "  updated  k  version 1, switching from the shell driver" in stdout.getvalue().decode()
    assert report_json(report)["driver"] == "file"
