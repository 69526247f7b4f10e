"""The sync plan when leger.run's list may be incomplete, and for secrets read by name.

A Podman secret missing from a list that may be incomplete may still be on
leger.run: it is kept, never removed, and not said to be deleted. A secret the
list lacked but a get found has no update time: it is created or rewritten,
and labelled without ``io.leger.updated-at``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from leger.commands.secrets_sync.plan import (
    LABEL_UPDATED_AT,
    LABEL_VERSION,
    Action,
    Owner,
    ReadByName,
    plan,
)
from leger.podman import PodmanSecret
from leger.times import rfc3339

ME = Owner("https://api.leger.run", "550e8400-e29b-41d4-a716-446655440000")
T1 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Info:
    name: str
    version: int
    updated_at: datetime


def ours(name: str, version: int = 1) -> PodmanSecret:
    return PodmanSecret(f"id-{name}", name, ME.labels(version, rfc3339(T1)))


@pytest.mark.parametrize("prune", [False, True])
def test_an_incomplete_list_removes_nothing_and_says_why(prune):
    local = [ours("listed"), ours("unlisted")]
    steps = plan([Info("listed", 1, T1)], local, ME, prune=prune, complete=False)
    kept = {step.name: step for step in steps}["unlisted"]
    assert (kept.action, kept.blocking) == (Action.SKIP, False)
    assert kept.reason == "not in leger.run's list, which may be incomplete: kept"
    assert "deleted" not in kept.reason


def test_a_complete_list_still_prunes():
    [step] = plan([], [ours("gone")], ME, prune=True, complete=True)
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
    [step] = plan([ReadByName("beyond", 4)], [ours("beyond", held)], ME)
    assert step.action is Action.UPDATE
    assert step.reason == "not in leger.run's list, so its update time is unknown"


def test_a_secret_written_without_an_update_time_is_rewritten_once_listed():
    unknown = PodmanSecret("id-k", "k", ME.labels(1, ""))
    [step] = plan([Info("k", 1, T1)], [unknown], ME)
    assert (step.action, step.reason) == (Action.UPDATE, "changed on leger.run")
