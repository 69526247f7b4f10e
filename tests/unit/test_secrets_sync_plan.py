"""Every rule of what sync does, decided without Podman or a server.

leger/commands/secrets_sync/plan.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from leger.commands.secrets_sync.plan import (
    LABEL_MANAGED,
    LABEL_SERVER,
    LABEL_UPDATED_AT,
    LABEL_USER,
    LABEL_VERSION,
    Action,
    Owner,
    plan,
)
from leger.podman import PodmanSecret

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
