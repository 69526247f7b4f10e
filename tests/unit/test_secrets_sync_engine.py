"""``secrets sync``'s engine (leger/commands/secrets_sync/engine.py), without a server.

Against the real Podman (a private store) or a fake one (tests/support/fake_podman.py),
from the fake secrets API (tests/support/fake_secrets.py), which records which
values were fetched.
"""

from __future__ import annotations

import pytest

from leger.commands.secrets_sync.plan import LABEL_MANAGED, LABEL_USER, LABEL_VERSION, Action
from leger.errors import PodmanError
from leger.podman import Podman
from tests.support.fake_podman import OWNER, FakePodman, lookups, sync
from tests.support.fake_secrets import FakeSecrets


def ids(store) -> dict[str, str]:
    return {name: secret["ID"] for name, secret in store.secrets().items()}


@pytest.fixture
def real_podman(podman_store):
    return Podman.locate(timeout=60, env={"PATH": "/usr/bin:/bin", **podman_store.env})


@pytest.mark.podman
def test_sync_cycle_against_a_real_podman(podman_store, real_podman):
    api = FakeSecrets()
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
    assert labels[LABEL_USER] == OWNER.user
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
    del api.store["emoji"]
    kept = sync(api, real_podman)
    assert "emoji" in podman_store.secrets()
    assert not kept.failed
    pruned = sync(api, real_podman, prune=True)
    assert "emoji" not in podman_store.secrets()
    assert [o.step.name for o in pruned.outcomes if o.step.action == "remove"] == ["emoji"]


@pytest.mark.podman
def test_a_foreign_secret_is_reported_and_never_touched(podman_store, real_podman):
    foreign_id = podman_store.create("db_password", b"mine, not leger's")
    api = FakeSecrets()
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
    api = FakeSecrets()
    api.put("a", "1")
    api.put("b", "2")
    sync(api, real_podman)
    before = (ids(podman_store), podman_store.values())
    api.put("a", "changed")
    api.put("c", "new")
    del api.store["b"]
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
    api = FakeSecrets()
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
        podman, api = FakePodman(version), FakeSecrets()
        api.put("k", "1")
        sync(api, podman)
        api.put("k", "2")
        podman.calls.clear()
        report = sync(api, podman)
        assert podman.calls == expected
        assert podman.values["k"] == "2"
        assert report.replace is (version == "4.9.3")


def test_a_failed_create_after_the_remove_says_the_secret_is_gone():
    podman, api = FakePodman(), FakeSecrets()
    api.put("k", "1")
    sync(api, podman)
    api.put("k", "2")
    podman.fail_on = ("k",)
    [failed] = sync(api, podman).failed
    assert (failed.error or "").startswith(
        "the old secret was removed, but the new one was not created"
    )


def test_a_value_that_is_not_utf8_fails_before_podman_is_touched():
    podman, api = FakePodman(), FakeSecrets()
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

    api = FakeSecrets()
    with pytest.raises(PodmanError, match="database is locked"):
        sync(api, Broken())
    assert api.opened == 0


# --- the shell driver -----------------------------------------------------------------------------


def test_shell_secrets_are_created_with_no_value_fetched():
    api, podman = FakeSecrets({"a": "1", "b": "2"}), FakePodman()
    report = sync(api, podman, driver="shell")
    assert not report.failed
    assert api.fetched == []
    assert podman.calls == [("create --driver shell", "a"), ("create --driver shell", "b")]
    assert podman.store["a"].driver_options == lookups("a").options()
    assert podman.store["a"].labels == OWNER.shell_labels()

    podman.calls.clear()
    again = sync(api, podman, driver="shell")
    assert [o.step.action for o in again.outcomes] == [Action.UNCHANGED] * 2
    assert podman.calls == []


@pytest.mark.parametrize("version", ["4.3.1", "4.9.3"])
def test_a_replaced_shell_secret_is_removed_then_created_never_replace(version):
    api, podman = FakeSecrets({"k": "v"}), FakePodman(version)
    sync(api, podman)
    podman.calls.clear()
    sync(api, podman, driver="shell")  # file -> shell
    assert podman.calls == [("rm", "k"), ("create --driver shell", "k")]
    podman.calls.clear()
    sync(api, podman)  # shell -> file
    assert podman.calls == [("rm", "k"), ("create", "k")]
    assert api.fetched == [["k"], ["k"]]


def test_a_podman_without_the_shell_driver_is_an_error_before_anything():
    api, podman = FakeSecrets({"k": "v"}), FakePodman("3.2.3")
    with pytest.raises(PodmanError) as caught:
        sync(api, podman, driver="shell")
    assert caught.value.message == (
        "Podman 3.2.3 has no shell secret driver: it needs Podman 3.3 or later"
    )
    assert "--driver file" in (caught.value.hint or "")
    assert (api.opened, podman.calls) == (0, [])


def test_a_failed_shell_create_after_the_remove_says_the_secret_is_gone():
    class Full(FakePodman):
        def create_shell(self, name, labels, driver):
            raise PodmanError("podman secret create failed: no space left on device")

    api, podman = FakeSecrets({"k": "v"}), Full()
    sync(api, podman)
    [failed] = sync(api, podman, driver="shell").failed
    assert failed.error == (
        "the old secret was removed, but the new one was not created: "
        "podman secret create failed: no space left on device"
    )
