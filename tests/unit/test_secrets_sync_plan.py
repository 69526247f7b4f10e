"""Every rule of what sync does, decided without Podman or a server.

leger/commands/secrets_sync/plan.py: the file driver, the shell driver, and a
list from leger.run that may be incomplete or a secret read by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from leger.commands.secrets_sync.plan import (
    LABEL_DRIVER,
    LABEL_MANAGED,
    LABEL_SERVER,
    LABEL_UPDATED_AT,
    LABEL_USER,
    LABEL_VERSION,
    Action,
    Owner,
    ReadByName,
    plan,
)
from leger.podman import PodmanSecret, ShellDriver
from tests.support.fake_podman import lookups

ME = Owner("https://api.leger.run", "550e8400-e29b-41d4-a716-446655440000")
T1 = datetime(2026, 11, 28, 10, 0, 0, 123000, tzinfo=UTC)
T2 = datetime(2026, 11, 28, 11, 0, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Info:
    name: str
    version: int
    updated_at: datetime


def ours(name: str, version: int, updated: datetime, owner: Owner = ME) -> PodmanSecret:
    return PodmanSecret(f"id-{name}", name, owner.labels(version, updated.isoformat()))


def ours_as_synced(name: str, version: int, updated: datetime) -> PodmanSecret:
    """Exactly what a sync of (name, version, updated) leaves in Podman."""
    [step] = plan([Info(name, version, updated)], [], ME)
    assert step.updated_at is not None
    return PodmanSecret(f"id-{name}", name, ME.labels(version, step.updated_at))


def actions(steps):
    return {step.name: step.action for step in steps}


def test_labels_say_leger_made_it_for_whom_and_which_version():
    assert ME.labels(3, "2026-11-28T10:00:00.123Z") == {
        LABEL_MANAGED: "true",
        LABEL_SERVER: "https://api.leger.run",
        LABEL_USER: "550e8400-e29b-41d4-a716-446655440000",
        LABEL_VERSION: "3",
        LABEL_UPDATED_AT: "2026-11-28T10:00:00.123Z",
    }
    assert LABEL_USER not in Owner("https://api.leger.run", None).labels(1, "t")


def test_first_sync_creates_everything_with_the_upstream_version_and_time():
    steps = plan([Info("b", 2, T1), Info("a", 1, T2)], [], ME)
    assert [(s.action, s.name, s.version, s.updated_at) for s in steps] == [
        (Action.CREATE, "a", 1, "2026-11-28T11:00:00Z"),
        (Action.CREATE, "b", 2, "2026-11-28T10:00:00.123Z"),
    ]


def test_same_version_and_time_is_unchanged_else_update():
    local = [ours_as_synced("same", 2, T1), ours_as_synced("newer", 2, T1)]
    local.append(ours_as_synced("recreated", 1, T1))
    upstream = [Info("same", 2, T1), Info("newer", 3, T2), Info("recreated", 1, T2)]
    steps = {s.name: s for s in plan(upstream, local, ME)}
    assert steps["same"].action is Action.UNCHANGED
    assert steps["newer"].action is Action.UPDATE
    assert (steps["newer"].previous_version, steps["newer"].podman_id) == ("2", "id-newer")
    # Deleted and created again upstream: version 1 again, but a new update time.
    assert steps["recreated"].action is Action.UPDATE


def test_a_foreign_secret_with_the_same_name_is_skipped_never_touched():
    foreign = PodmanSecret("id-x", "x", {"owner": "someone"})
    fake = PodmanSecret("id-y", "y", {LABEL_MANAGED: "false"})
    steps = plan([Info("x", 1, T1), Info("y", 1, T1)], [foreign, fake], ME, prune=True)
    assert [(s.action, s.blocking) for s in steps] == [(Action.SKIP, True), (Action.SKIP, True)]
    assert steps[0].reason == "a Podman secret of this name was not made by leger"


@pytest.mark.parametrize(
    "other", [Owner("https://other.example", ME.user), Owner(ME.server, "another-user")]
)
def test_another_servers_or_users_secret_is_neither_updated_nor_pruned(other):
    theirs = [ours("shared", 1, T1, other), ours("gone", 1, T1, other)]
    steps = plan([Info("shared", 2, T2)], theirs, ME, prune=True)
    assert [(s.name, s.action) for s in steps] == [("shared", Action.SKIP)]
    assert "another server or user" in steps[0].reason


def test_with_leger_token_the_owner_is_the_server_without_a_user():
    token_owner = Owner(ME.server, None)
    local = [ours("mine", 1, T1, token_owner), ours("logged-in", 1, T1)]
    steps = plan([], local, token_owner, prune=True)
    assert actions(steps) == {"mine": Action.REMOVE}


def test_deleted_upstream_is_removed_only_with_prune():
    local = [ours("gone", 4, T1), PodmanSecret("id-f", "foreign-gone", {})]
    kept = plan([], local, ME)
    assert [(s.action, s.blocking, s.reason) for s in kept] == [
        (Action.SKIP, False, "deleted on leger.run; --prune removes it")
    ]
    [removed] = plan([], local, ME, prune=True)
    assert (removed.action, removed.name, removed.podman_id) == (Action.REMOVE, "gone", "id-gone")
    assert removed.previous_version == "4"


@pytest.mark.parametrize(
    "name", ["a:b", "_leading", "trailing-", "-x", "x_", "ünï", "a" * 65, "a/b"]
)
def test_a_name_podman_cannot_take_is_skipped(name):
    [step] = plan([Info(name, 1, T1)], [], ME)
    assert (step.action, step.blocking) == (Action.SKIP, True)
    assert step.reason.startswith("Podman cannot take this name")


@pytest.mark.parametrize("name", ["a", "A9", "a_b-c", "a" * 64, "x.y"])
def test_names_podman_takes_are_created(name):
    [step] = plan([Info(name, 1, T1)], [], ME)
    assert step.action is Action.CREATE


def test_only_limits_syncing_and_pruning_to_those_names():
    upstream = [Info("a", 1, T1), Info("b", 1, T1)]
    local = [ours("stale1", 1, T1), ours("stale2", 1, T1)]
    steps = plan(upstream, local, ME, only=frozenset({"a", "stale1", "typo"}), prune=True)
    assert actions(steps) == {"a": Action.CREATE, "stale1": Action.REMOVE, "typo": Action.SKIP}
    assert {s.name: s.blocking for s in steps}["typo"] is True


def test_an_upstream_name_outside_only_is_left_alone_even_with_prune():
    steps = plan([Info("b", 2, T2)], [ours("b", 1, T1)], ME, only=frozenset({"a"}), prune=True)
    assert actions(steps) == {"a": Action.SKIP}


# --- the shell driver -----------------------------------------------------------------------------


def shell_secret(name: str, driver: ShellDriver | None = None, owner: Owner = ME) -> PodmanSecret:
    options = (driver or lookups(name)).options()
    return PodmanSecret(f"id-{name}", name, owner.shell_labels(), "shell", options)


def test_shell_labels_say_whose_and_which_driver_but_no_version():
    assert ME.shell_labels() == {
        LABEL_MANAGED: "true",
        LABEL_SERVER: "https://api.leger.run",
        LABEL_USER: "550e8400-e29b-41d4-a716-446655440000",
        LABEL_DRIVER: "shell",
    }
    assert LABEL_USER not in Owner("https://api.leger.run", None).shell_labels()


def test_a_shell_secret_is_unchanged_while_its_four_commands_are_the_same():
    upstream = [Info("same", 7, T1), Info("moved", 1, T1), Info("new", 1, T1)]
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
    [to_shell] = plan([Info("f", 1, T1)], [file_secret], ME, shell=lookups)
    assert (to_shell.action, to_shell.reason) == (Action.UPDATE, "switching from the file driver")
    assert (to_shell.driver, to_shell.previous_driver) == ("shell", "file")

    [to_file] = plan([Info("s", 1, T1)], [shell_secret("s")], ME)
    assert (to_file.action, to_file.reason) == (Action.UPDATE, "switching from the shell driver")
    assert (to_file.driver, to_file.previous_driver, to_file.version) == ("file", "shell", 1)


def test_what_is_not_ours_is_skipped_and_stale_shell_secrets_pruned_as_before():
    foreign = PodmanSecret("id-x", "x", {"owner": "me"}, "shell", lookups("x").options())
    others = shell_secret("o", owner=Owner("https://api.leger.run", "someone-else"))
    gone = shell_secret("gone")
    upstream, local = [Info("x", 1, T1), Info("o", 1, T1)], [foreign, others, gone]
    steps = {s.name: s for s in plan(upstream, local, ME, shell=lookups, prune=True)}
    assert {name: (s.action, s.driver) for name, s in steps.items()} == {
        "x": (Action.SKIP, "shell"),
        "o": (Action.SKIP, "shell"),
        "gone": (Action.REMOVE, "shell"),
    }
    assert [steps["x"].blocking, steps["o"].blocking] == [True, True]


# --- a list that may be incomplete, and secrets read by name --------------------------------------
# A Podman secret missing from a list that may be incomplete may still be on
# leger.run: it is kept, never removed, and not said to be deleted. A secret the
# list lacked but a get found has no update time: it is created or rewritten,
# and labelled without ``io.leger.updated-at``.


@pytest.mark.parametrize("prune", [False, True])
def test_an_incomplete_list_removes_nothing_and_says_why(prune):
    local = [ours_as_synced("listed", 1, T1), ours_as_synced("unlisted", 1, T1)]
    steps = plan([Info("listed", 1, T1)], local, ME, prune=prune, complete=False)
    kept = {step.name: step for step in steps}["unlisted"]
    assert (kept.action, kept.blocking) == (Action.SKIP, False)
    assert kept.reason == "not in leger.run's list, which may be incomplete: kept"
    assert "deleted" not in kept.reason


def test_a_complete_list_still_prunes():
    [step] = plan([], [ours_as_synced("gone", 1, T1)], ME, prune=True, complete=True)
    assert step.action is Action.REMOVE


def test_a_secret_read_by_name_is_created_without_an_update_time():
    [step] = plan([ReadByName("beyond", 4)], [], ME)
    assert (step.action, step.version, step.updated_at) == (Action.CREATE, 4, "")
    labels = ME.labels(4, step.updated_at)
    assert LABEL_UPDATED_AT not in labels
    assert labels[LABEL_VERSION] == "4"


@pytest.mark.parametrize("held", [3, 4])
def test_a_secret_read_by_name_is_always_rewritten(held):
    # Same version or not: a delete and a re-create upstream gives version 1 again,
    # and only the update time, which a get does not give, would tell.
    [step] = plan([ReadByName("beyond", 4)], [ours_as_synced("beyond", held, T1)], ME)
    assert step.action is Action.UPDATE
    assert step.reason == "not in leger.run's list, so its update time is unknown"


def test_a_secret_written_without_an_update_time_is_rewritten_once_listed():
    unknown = PodmanSecret("id-k", "k", ME.labels(1, ""))
    [step] = plan([Info("k", 1, T1)], [unknown], ME)
    assert (step.action, step.reason) == (Action.UPDATE, "changed on leger.run")
