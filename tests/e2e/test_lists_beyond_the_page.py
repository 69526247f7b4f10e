"""1026 secrets on the REST form, which lists only the first 1000 by name: nothing is lost.

The installed ``leger`` against the local backend, which lists as the deployed
server does (one page of 1000, nothing saying more exist): ``list`` says more
may exist; ``get``, ``run --only``, ``export --only`` and ``sync --only`` reach
the 26 beyond the page; ``run`` and ``export`` of all warn; ``import`` says
created or updated rightly for them; and ``sync --prune`` on the real Podman
removes no Podman secret whose leger.run secret exists.
"""

from __future__ import annotations

import json

import pytest

from tests.fixtures.backend import LocalBackend
from tests.fixtures.cli import Cli
from tests.fixtures.podman import PodmanStore
from tests.support import wire

NAMES = wire.page_names(1026)
LISTED, BEYOND = NAMES[: wire.LIST_PAGE], NAMES[wire.LIST_PAGE :]
STORE = {name: f"value of {name}" for name in NAMES}
MORE_MAY_EXIST = "leger.run lists at most 1000 secrets, so more may exist"
ONLY_THE_LISTED = (
    f"Warning: {MORE_MAY_EXIST}; only the listed ones are used; name others with --only "
    "NAME,NAME...\n"
)


def logged_in_holding(
    cli: Cli, backend: LocalBackend, store: dict[str, str]
) -> tuple[Cli, LocalBackend, str]:
    """Alice logged in (the route form found by login), holding ``store``."""
    cli.use_api(backend.url)
    cli.env.pop("LEGER_API_ROUTES", None)
    login = cli.run("auth", "login")
    assert login.returncode == 0, login.stderr
    user = json.loads(cli.auth_file.read_text())["user_uuid"]
    backend.seed(user, store)
    return cli, backend, user


@pytest.fixture
def many(cli: Cli, fresh_rest_backend: LocalBackend) -> tuple[Cli, LocalBackend, str]:
    """Alice logged in, holding the 1026 secrets."""
    return logged_in_holding(cli, fresh_rest_backend, STORE)


def ok(result) -> bytes:
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_list_prints_the_page_and_says_more_may_exist(many):
    cli, _, _ = many
    table = cli.run("secrets", "list")
    assert ok(table).decode().splitlines()[-1] == "Total: 1000 secrets"
    assert table.stderr.startswith(f"Warning: {MORE_MAY_EXIST}")
    listed = cli.run("secrets", "list", "--json")
    assert [entry["name"] for entry in json.loads(ok(listed))] == LISTED
    assert listed.stderr.startswith(f"Warning: {MORE_MAY_EXIST}")


def test_a_secret_beyond_the_page_is_reached_by_name(many):
    cli, _, _ = many
    last = BEYOND[-1]
    assert ok(cli.run("secrets", "get", last)) == STORE[last].encode()
    shown = cli.run("run", "--only", f"{LISTED[0]},{last}", "--", "printenv", last.upper())
    assert ok(shown) == f"{STORE[last]}\n".encode()
    exported = cli.run("secrets", "export", "--format", "json", "--only", ",".join(BEYOND))
    assert json.loads(ok(exported)) == {name: STORE[name] for name in BEYOND}
    assert exported.stderr == ""
    missing = cli.run("secrets", "export", "--only", f"{last},zz-typo")
    assert missing.returncode == 1
    assert missing.stderr.startswith("Error: No such secret: zz-typo\n")


def test_run_and_export_of_all_warn_in_the_same_words_and_go_on(many):
    cli, _, _ = many
    exported = cli.run("secrets", "export", "--format", "json")
    assert json.loads(ok(exported)) == {name: STORE[name] for name in LISTED}
    assert exported.stderr == ONLY_THE_LISTED
    ran = cli.run("run", "--", "printenv", "S0999")
    assert ok(ran) == b"value of s0999\n"
    assert ran.stderr == ONLY_THE_LISTED


def test_import_verdicts_are_right_beyond_the_page(many, tmp_path):
    cli, _, _ = many
    path = tmp_path / "in.env"
    path.write_text(f"{LISTED[1]}=new\n{BEYOND[-1]}=new\nzz_new=new\n")
    preview = cli.run("secrets", "import", str(path), "--dry-run")
    assert ok(preview).decode().splitlines()[:3] == [
        f"Would update {LISTED[1]}",
        f"Would update {BEYOND[-1]}",
        "Would create zz_new",
    ]
    done = cli.run("secrets", "import", str(path))
    assert ok(done).decode().splitlines()[:3] == [
        f"Updated {LISTED[1]} (version 2)",
        f"Updated {BEYOND[-1]} (version 2)",
        "Created zz_new (version 1)",
    ]
    assert ok(cli.run("secrets", "get", BEYOND[-1])) == b"new"


# For prune: the page is 1000 names Podman cannot take (':'), so the sync skips
# them instead of creating a thousand Podman secrets; the 26 beyond the page
# are ordinary names that earlier syncs left in Podman.
COLON_PAGE = wire.page_names(wire.LIST_PAGE, prefix="a:")
SYNCED_EARLIER = wire.page_names(26, prefix="s")


@pytest.fixture
def page_podman_cannot_take(
    cli: Cli, fresh_rest_backend: LocalBackend
) -> tuple[Cli, LocalBackend, str]:
    """Alice logged in, holding a page of ':' names and 26 ordinary ones beyond it."""
    store = {name: f"value of {name}" for name in COLON_PAGE + SYNCED_EARLIER}
    return logged_in_holding(cli, fresh_rest_backend, store)


@pytest.mark.podman
def test_prune_removes_no_podman_secret_whose_secret_exists(
    page_podman_cannot_take, podman_store: PodmanStore
):
    cli, backend, user = page_podman_cannot_take
    cli.env.update(podman_store.env)
    # What earlier syncs (with --only, or before the list grew) left in Podman.
    labels = [
        "io.leger.managed=true",
        f"io.leger.server={backend.url}",
        f"io.leger.user={user}",
        "io.leger.version=1",
        "io.leger.updated-at=2026-01-01T00:00:00.000Z",
    ]
    for name in [*SYNCED_EARLIER, "zz-deleted"]:
        podman_store.create(name, b"synced earlier", *labels)

    pruned = cli.run("secrets", "sync", "--prune")
    assert pruned.returncode == 1
    held = podman_store.secrets()
    assert set(held) == {*SYNCED_EARLIER, "zz-deleted"}  # nothing removed
    assert f"Warning: Nothing was pruned: {MORE_MAY_EXIST}" in pruned.stderr
    assert "0 created, 0 updated, 0 unchanged, 0 removed, 1027 skipped, 0 failed." in pruned.out

    as_json = cli.run("secrets", "sync", "--prune", "--json")
    assert as_json.returncode == 1
    document = json.loads(as_json.stdout)
    assert document["counts"]["remove"] == 0
    assert any(warning.startswith("Nothing was pruned") for warning in document["warnings"])
    assert set(podman_store.secrets()) == set(held)

    # By name, leger.run says which exist: the one deleted there goes, the other is synced.
    last = SYNCED_EARLIER[-1]
    named = cli.run("secrets", "sync", "--prune", "--only", f"{last},zz-deleted")
    assert named.returncode == 0, named.stderr
    values = podman_store.values()
    assert "zz-deleted" not in values
    assert values[last] == f"value of {last}".encode()
    assert set(values) == set(held) - {"zz-deleted"}
