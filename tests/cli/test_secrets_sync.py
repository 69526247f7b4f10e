"""``leger secrets sync`` as whole command lines, in-process with Podman in memory.

What ``--driver`` refuses before Podman or leger.run is asked; and a list that
may be incomplete. Without ``--only``, a full list syncs what it holds, warns
in the words ``run`` and ``export`` use, and with ``--prune`` removes nothing:
it says why (stderr and ``--json``) and exits 1. With ``--only``, a name the
list lacks is asked for by name, so it is synced if it exists and pruned only
when the server says it has no such secret. (The same against the real Podman
and the local backend: tests/e2e/test_secrets_sync.py.)
"""

from __future__ import annotations

import json

import pytest

from leger.commands.secrets_sync.plan import LABEL_UPDATED_AT, Owner
from leger.podman import Podman, PodmanSecret
from tests.support import wire
from tests.support.fake_podman import FakePodman
from tests.support.inprocess import Leger
from tests.support.text import MORE_MAY_EXIST, ONLY_THE_LISTED

# LEGER_TOKEN: the user is unknown, so leger's Podman secrets carry no user label.
OWNER = Owner("http://127.0.0.1:8787", None)
PAGE = {name: f"value of {name}" for name in wire.page_names()}
NOT_PRUNED = (
    f"Nothing was pruned: {MORE_MAY_EXIST}, and a "
    "Podman secret missing from the list may still be on leger.run"
)
PRUNE_BY_NAME = "Prune by name instead: --prune --only NAME,NAME... asks leger.run for each name."


@pytest.fixture
def podman(monkeypatch) -> FakePodman:
    """Podman in memory, holding leger's copies of a secret beyond the list and of a deleted one."""
    fake = FakePodman("4.9.3")
    for name in ("zz-beyond", "zz-gone"):
        fake.store[name] = PodmanSecret(f"id-{name}", name, OWNER.labels(1, "2026-01-01T00:00Z"))
        fake.values[name] = "old"
    monkeypatch.setattr(Podman, "locate", classmethod(lambda cls, **_: fake))
    return fake


# --- --driver: what is refused before Podman or leger.run is asked --------------------------------


def test_the_shell_driver_never_takes_leger_token(leger):
    leger.with_token()
    result = leger.run("secrets", "sync", "--driver", "shell")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Error: --driver shell uses the stored login, not LEGER_TOKEN\n"
    )
    assert "Unset LEGER_TOKEN and run: leger auth login" in result.stderr
    assert leger.registry.requests == []


def test_even_beside_a_stored_login_leger_token_is_refused(leger):
    leger.logged_in(expires_at="2099-01-01T00:00:00+00:00")
    result = leger.with_token().run("secrets", "sync", "--driver=shell", "--dry-run")
    assert result.exit_code == 2
    assert "not LEGER_TOKEN" in result.stderr


def test_an_unknown_driver_is_a_usage_error(leger):
    result = leger.run("secrets", "sync", "--driver", "secretsdata")
    assert result.exit_code == 2
    assert result.stderr == "Error: Unknown --driver\n\nDrivers: file (the default) and shell.\n"


def test_dash_d_is_still_dry_run(leger):
    # --driver takes no one-letter form: -d was --dry-run's before it came.
    result = leger.run("secrets", "sync", "-d")
    assert result.exit_code == 4  # bound as --dry-run; then no login
    assert "Not authenticated" in result.stderr


# --- a list that may be incomplete ----------------------------------------------------------------


def serve_full_page(authed: Leger) -> None:
    server = authed.speaks(wire.REST)
    server.lists(*wire.full_page())
    server.lists_values(PAGE)


def row(output: str, name: str) -> str:
    [line] = [line for line in output.splitlines() if line.split()[1:2] == [name]]
    return line.strip()


def test_prune_with_a_full_list_removes_nothing_says_why_and_syncs_the_rest(authed, podman):
    serve_full_page(authed)
    result = authed.run("secrets", "sync", "--prune")
    assert result.exit_code == 1
    assert {"zz-beyond", "zz-gone"} <= set(podman.store)
    assert ("rm", "zz-beyond") not in podman.calls
    assert podman.values["s0999"] == "value of s0999"
    assert "1000 created, 0 updated, 0 unchanged, 0 removed, 2 skipped, 0 failed." in result.out
    kept = "not in leger.run's list, which may be incomplete: kept"
    assert row(result.out, "zz-beyond").split(None, 2) == ["skipped", "zz-beyond", kept]
    assert result.stderr.splitlines() == [
        ONLY_THE_LISTED,
        f"Error: {NOT_PRUNED}",
        "",
        PRUNE_BY_NAME,
    ]


def test_prune_json_says_why_in_the_document(authed, podman):
    serve_full_page(authed)
    result = authed.run("secrets", "sync", "--prune", "--json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["warnings"] == [
        ONLY_THE_LISTED.removeprefix("Warning: "),
        f"{NOT_PRUNED}. {PRUNE_BY_NAME}",
    ]
    assert document["ok"] is False
    assert document["counts"]["remove"] == 0


def test_without_prune_a_full_list_warns_and_succeeds(authed, podman):
    serve_full_page(authed)
    result = authed.run("secrets", "sync")
    assert (result.exit_code, result.stderr) == (0, ONLY_THE_LISTED + "\n")


def test_prune_only_asks_each_name_then_syncs_or_removes_it(authed, podman):
    server = authed.speaks(wire.REST)
    server.lists(*wire.full_page())
    server.has_secret("zz-beyond", "read by name", version=7)
    server.lacks("zz-gone")
    result = authed.run("secrets", "sync", "--prune", "--only", "zz-beyond,zz-gone")
    assert (result.exit_code, result.stderr) == (0, "")
    assert row(result.out, "zz-beyond").split(None, 2) == [
        "updated",
        "zz-beyond",
        "version 1 -> 7",
    ]
    assert row(result.out, "zz-gone").split(None, 2) == [
        "removed",
        "zz-gone",
        "deleted on leger.run",
    ]
    assert podman.values["zz-beyond"] == "read by name"
    assert "zz-gone" not in podman.store
    assert LABEL_UPDATED_AT not in podman.store["zz-beyond"].labels
    # One list, one get per name the list lacks; the value is not fetched twice.
    sent = authed.registry.sent()
    assert sent[0] == wire.REST.list
    assert sorted(sent[1:]) == [wire.REST.get("zz-beyond"), wire.REST.get("zz-gone")]


def test_a_dry_run_with_only_asks_by_name_and_changes_nothing(authed, podman):
    server = authed.speaks(wire.REST)
    server.lists(*wire.full_page())
    server.has_secret("zz-new", authed.secret("read by name"))
    result = authed.run("secrets", "sync", "--dry-run", "--only", "zz-new")
    assert (result.exit_code, result.stderr) == (0, "")
    assert row(result.out, "zz-new").split(None, 2) == ["create", "zz-new", "version 1"]
    assert podman.calls == []
