"""``secrets sync`` in-process: the real Podman (a private store) or a fake one, a fake API.

The fake API has the methods of the secrets API commands get from
``ctx.secrets()`` and records which values were fetched.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from leger.commands.secrets_sync.engine import Report, run_sync
from leger.commands.secrets_sync.plan import LABEL_MANAGED, LABEL_USER, LABEL_VERSION, Owner
from leger.commands.secrets_sync.report import print_report, report_json
from leger.errors import InputError, PodmanError, UsageError
from leger.iostreams import IOStreams
from leger.podman import Podman, PodmanSecret
from leger.selection import only_names
from tests.support.fake_podman import FakePodman

ME = Owner("http://127.0.0.1:8000", "550e8400-e29b-41d4-a716-446655440000")
START = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Info:
    name: str
    version: int
    created_at: datetime
    updated_at: datetime
    label: str | None = None


@dataclass(frozen=True)
class Value:
    name: str
    value: str
    version: int
    label: str | None = None


@dataclass
class FakeApi:
    """leger.run as the secrets API shows it; ``fetched`` records each fetch_values call."""

    secrets: dict[str, tuple[str, int, datetime]] = field(default_factory=dict)
    fetched: list[list[str]] = field(default_factory=list)
    opened: int = 0

    def put(self, name: str, value: str) -> None:
        _, version, at = self.secrets.get(name, ("", 0, START))
        self.secrets[name] = (value, version + 1, at + timedelta(minutes=1))

    def list_secrets(self) -> list[Info]:
        return [Info(n, v, START, at) for n, (_, v, at) in self.secrets.items()]

    def fetch_values(self, names: list[str]) -> list[Value]:
        self.fetched.append(sorted(names))
        return [Value(n, self.secrets[n][0], self.secrets[n][1]) for n in names]

    @contextlib.contextmanager
    def open(self):
        self.opened += 1
        yield self


def sync(api: FakeApi, podman, **options) -> Report:
    options = {"only": None, "prune": False, "dry_run": False, **options}
    return run_sync(api.open, podman, ME, **options)


def ids(store) -> dict[str, str]:
    return {name: secret["ID"] for name, secret in store.secrets().items()}


@pytest.fixture
def real_podman(podman_store):
    return Podman.locate(timeout=60, env={"PATH": "/usr/bin:/bin", **podman_store.env})


@pytest.mark.podman
def test_sync_cycle_against_a_real_podman(podman_store, real_podman):
    api = FakeApi()
    pem = "-----BEGIN KEY-----\nAAA=\n-----END KEY-----\n"
    api.put("openai_api_key", "sk-proj-abc123")
    api.put("ssh_key", pem)
    api.put("emoji", "ünï 🙂 \t\r\n")
    report = sync(api, real_podman)
    assert not report.failed
    assert api.fetched == [["emoji", "openai_api_key", "ssh_key"]]
    assert podman_store.values() == {
        "openai_api_key": b"sk-proj-abc123",
        "ssh_key": pem.encode(),
        "emoji": "ünï 🙂 \t\r\n".encode(),
    }
    labels = podman_store.secrets()["ssh_key"]["Labels"]
    assert labels[LABEL_MANAGED] == "true"
    assert labels[LABEL_USER] == ME.user
    assert labels[LABEL_VERSION] == "1"
    first_ids = ids(podman_store)

    # Nothing changed upstream: nothing fetched, nothing rewritten.
    again = sync(api, real_podman)
    assert [o.step.action for o in again.outcomes] == ["unchanged"] * 3
    assert api.fetched == [["emoji", "openai_api_key", "ssh_key"]]
    assert ids(podman_store) == first_ids

    # One changes upstream: only it is fetched and replaced.
    api.put("openai_api_key", "sk-proj-NEW")
    report = sync(api, real_podman)
    assert api.fetched[-1] == ["openai_api_key"]
    assert report.restart_needed
    after = ids(podman_store)
    assert after["openai_api_key"] != first_ids["openai_api_key"]
    assert {k: v for k, v in after.items() if k != "openai_api_key"} == {
        k: v for k, v in first_ids.items() if k != "openai_api_key"
    }
    assert podman_store.values()["openai_api_key"] == b"sk-proj-NEW"
    assert podman_store.secrets()["openai_api_key"]["Labels"][LABEL_VERSION] == "2"

    # Deleted upstream: kept without --prune, removed with it.
    del api.secrets["emoji"]
    kept = sync(api, real_podman)
    assert "emoji" in podman_store.secrets()
    assert not kept.failed
    pruned = sync(api, real_podman, prune=True)
    assert "emoji" not in podman_store.secrets()
    assert [o.step.name for o in pruned.outcomes if o.step.action == "remove"] == ["emoji"]


@pytest.mark.podman
def test_a_foreign_secret_is_reported_and_never_touched(podman_store, real_podman):
    foreign_id = podman_store.create("db_password", b"mine, not leger's")
    api = FakeApi()
    api.put("db_password", "from leger")
    api.put("other", "v")
    report = sync(api, real_podman, prune=True)
    [failed] = report.failed
    assert failed.step.name == "db_password"
    assert failed.step.action == "skip"
    assert ids(podman_store)["db_password"] == foreign_id
    assert podman_store.values() == {"db_password": b"mine, not leger's", "other": b"v"}
    assert api.fetched == [["other"]]


@pytest.mark.podman
def test_dry_run_changes_nothing_and_fetches_nothing(podman_store, real_podman):
    api = FakeApi()
    api.put("a", "1")
    api.put("b", "2")
    sync(api, real_podman)
    before = (ids(podman_store), podman_store.values())
    api.put("a", "changed")
    api.put("c", "new")
    del api.secrets["b"]
    report = sync(api, real_podman, dry_run=True, prune=True)
    assert {o.step.name: str(o.step.action) for o in report.outcomes} == {
        "a": "update",
        "b": "remove",
        "c": "create",
    }
    assert (ids(podman_store), podman_store.values()) == before
    assert api.fetched == [["a", "b"]]


def test_one_failing_secret_does_not_stop_the_others():
    podman = FakePodman(fail_on=("b",))
    api = FakeApi()
    for name in ("a", "b", "c"):
        api.put(name, name * 3)
    report = sync(api, podman)
    assert [(o.step.name, o.error) for o in report.failed] == [
        ("b", "podman secret create failed: no space left on device")
    ]
    assert podman.values == {"a": "aaa", "c": "ccc"}


def test_new_podman_replaces_in_place_old_podman_removes_then_creates():
    for version, expected in [
        ("4.9.3", [("create --replace", "k")]),
        ("4.3.1", [("rm", "k"), ("create", "k")]),
    ]:
        podman, api = FakePodman(version), FakeApi()
        api.put("k", "1")
        sync(api, podman)
        api.put("k", "2")
        podman.calls.clear()
        report = sync(api, podman)
        assert podman.calls == expected
        assert podman.values["k"] == "2"
        assert report.replace is (version == "4.9.3")


def test_a_failed_create_after_the_remove_says_the_secret_is_gone():
    podman, api = FakePodman(), FakeApi()
    api.put("k", "1")
    sync(api, podman)
    api.put("k", "2")
    podman.fail_on = ("k",)
    [failed] = sync(api, podman).failed
    assert failed.error.startswith("the old secret was removed, but the new one was not created")


def test_a_value_that_is_not_utf8_fails_before_podman_is_touched():
    podman, api = FakePodman(), FakeApi()
    api.put("k", "1")
    sync(api, podman)
    api.put("k", "bad \ud800")  # JSON can spell a lone surrogate
    podman.calls.clear()
    [failed] = sync(api, podman).failed
    assert failed.error == "leger.run sent a value that is not valid UTF-8 text"
    assert podman.calls == []
    assert podman.values == {"k": "1"}


def test_a_broken_podman_costs_no_request():
    class Broken(FakePodman):
        def list_secrets(self):
            raise PodmanError("podman secret ls failed: database is locked")

    api = FakeApi()
    with pytest.raises(PodmanError, match="database is locked"):
        sync(api, Broken())
    assert api.opened == 0


def render(report: Report) -> str:
    io, _, stdout, _ = IOStreams.test()
    print_report(io, report)
    return stdout.getvalue().decode()


def test_text_output_is_the_plan_as_done_with_counts_and_the_restart_advice():
    podman, api = FakePodman(), FakeApi()
    for name in ("keep", "change", "gone", "bad"):
        api.put(name, "v")
    sync(api, podman)
    api.put("change", "v2")
    api.put("new\x1b[2J", "v")  # a name Podman cannot take, and hostile on a terminal
    del api.secrets["gone"]
    podman.store["foreign"] = PodmanSecret("f1", "foreign", {})
    api.put("foreign", "v")
    text = render(sync(api, podman, prune=True))
    assert "\x1b" not in text
    lines = text.splitlines()
    where = "rootful" if os.geteuid() == 0 else "rootless"
    assert lines[0] == f"From http://127.0.0.1:8000 to Podman 4.3.1 ({where})"
    table = [line.split(None, 2) for line in lines[1:7]]
    assert table == [
        ["unchanged", "bad", "version 1"],
        ["updated", "change", "version 1 -> 2"],
        ["skipped", "foreign", "a Podman secret of this name was not made by leger"],
        ["removed", "gone", "deleted on leger.run"],
        ["unchanged", "keep", "version 1"],
        ["skipped", "new?[2J", table[5][2]],
    ]
    assert table[5][2].startswith("Podman cannot take this name")
    assert "1 updated, 2 unchanged, 1 removed, 2 skipped, 0 failed." in text
    assert "keep the value they started with until they restart" in text
    assert "restart NAME.service" in text


def test_dry_run_output_says_nothing_changed():
    podman, api = FakePodman(), FakeApi()
    api.put("a", "1")
    text = render(sync(api, podman, dry_run=True))
    assert "Dry run: nothing was changed." in text
    assert "  create  a  version 1" in text
    assert "Plan: 1 create, 0 update, 0 unchanged, 0 remove, 0 skip." in text
    assert podman.calls == []


def test_json_output_is_one_object():
    podman, api = FakePodman(fail_on=("b",)), FakeApi()
    api.put("a", "1")
    api.put("b", "2")
    document = report_json(sync(api, podman))
    json.dumps(document)
    assert document["server"] == ME.server
    assert document["user"] == ME.user
    assert document["podman"]["version"] == "4.3.1"
    assert document["podman"]["replace"] is False
    assert document["secrets"] == [
        {
            "name": "a",
            "action": "create",
            "result": "done",
            "driver": "file",
            "version": 1,
            "previous_version": None,
            "reason": "new",
            "error": None,
        },
        {
            "name": "b",
            "action": "create",
            "result": "failed",
            "driver": "file",
            "version": 1,
            "previous_version": None,
            "reason": "new",
            "error": "podman secret create failed: no space left on device",
        },
    ]
    assert document["counts"] == {
        "create": 1,
        "update": 0,
        "unchanged": 0,
        "remove": 0,
        "skip": 0,
        "failed": 1,
    }
    assert document["ok"] is False
    assert document["restart_needed"] is False


def test_only_is_a_list_of_valid_names():
    assert only_names(None) is None
    assert only_names(" a, b ,,a") == ["a", "b"]
    with pytest.raises(UsageError):
        only_names(" , ")
    with pytest.raises(InputError):
        only_names("ok,not ok")
