"""``leger secrets sync`` end to end: installed ``leger``, real ``podman``, the local backend.

Every test runs in both route forms (``fresh_backend_any_form``), on a private
Podman store (``podman_store``). The backend's request log shows which values
were fetched; Podman's IDs show which secrets were rewritten; values are read
back from Podman's own storage, byte for byte.

With ``--driver shell`` (through the validating Prism proxy,
``fresh_proxied_backend_any_form``) Podman keeps no value, only leger's lookup
command, which is run here exactly as Podman runs it (``/bin/sh -c``,
SECRET_ID, no HOME, terminal or locale) and by Podman itself when a container
starts. Also: what sync records in the offline cache, and ``--prune`` beyond
the 1000 secrets the server lists.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from leger.commands.podman_lookup.command_line import lookup_argv
from leger.podman import ShellDriver
from tests.fixtures.backend import Endpoint, LocalBackend, ProxiedBackend
from tests.fixtures.cli import Cli, installed_leger
from tests.fixtures.other_user import NOBODY, OtherUser
from tests.fixtures.podman import (
    PodmanStore,
    make_store,
    podman_executable,
    run_as_podman_does,
)
from tests.support import wire
from tests.support.flows import cache_entries, log_in_holding
from tests.support.text import MORE_MAY_EXIST, PEM

pytestmark = pytest.mark.podman

UPSTREAM = {
    "openai_api_key": "sk-proj-abc123",
    "ssh_key": PEM,
    "unicode": "ünï 🙂 \\ \" ' $HOME `x` \t end",
}


def logged_in_over_http(
    cli: Cli, store: PodmanStore, api: Endpoint, backend: LocalBackend, upstream: dict[str, str]
) -> None:
    """Alice logged in to ``api`` with ``upstream`` on ``backend``; leger pointed at ``store``.

    Straight over HTTP: logging in and setting are not what these tests are about.
    """
    cli.env.update(store.env, LEGER_API_ROUTES=backend.routes)
    backend.seed(cli.log_in_over_http(api, backend.routes), upstream)


@contextlib.contextmanager
def rootless(request: pytest.FixtureRequest) -> Iterator[tuple[Path, OtherUser | None]]:
    """As root, ``nobody`` (rootless Podman) and a directory that user owns (the checkout may be
    out of its reach); otherwise no other user, and a private directory. Removed after."""
    nobody: OtherUser | None = request.getfixturevalue("nobody") if os.geteuid() == 0 else None
    root = nobody.home() if nobody else Path(tempfile.mkdtemp(prefix="leger-rootless-"))
    try:
        yield root, nobody
    finally:
        shutil.rmtree(root, ignore_errors=True)


def podman_shim(cli: Cli, script: str) -> None:
    """A ``podman`` first on ``cli``'s PATH that runs the sh lines ``script``, then the real one."""
    shim = cli.bin / "podman"
    shim.write_text(f'#!/bin/sh\n{script}exec {podman_executable()} "$@"\n')
    shim.chmod(0o755)


@pytest.fixture
def synced(cli: Cli, podman_store: PodmanStore, fresh_backend_any_form: LocalBackend):
    """Alice logged in with three secrets upstream; leger pointed at the private store."""
    backend = fresh_backend_any_form
    logged_in_over_http(cli, podman_store, backend, backend, UPSTREAM)
    return cli, podman_store, backend


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def sync(cli: Cli, backend: LocalBackend, *args: str):
    """Run ``leger secrets sync ARGS``; the result and the API requests it made."""
    before = len(backend.requests())
    result = cli.run("secrets", "sync", *args)
    return result, backend.requests()[before:]


def value_reads(backend: LocalBackend, requests: list[dict]) -> list[str]:
    """The requests that carried values: ``include_values`` lists (REST) or gets (v0.1)."""
    if backend.routes == "rest":
        return [r["path"] for r in requests if "include_values" in r["query"]]
    return sorted(r["path"] for r in requests if r["path"].startswith("/secrets/get/"))


def row(output: str, name: str) -> list[str]:
    """The word and the detail on the report's line for ``name``."""
    [found] = [line.split(None, 2) for line in output.splitlines() if line.split()[1:2] == [name]]
    return [found[0], found[2]]


def ids(store: PodmanStore) -> dict[str, str]:
    return {name: secret["ID"] for name, secret in store.secrets().items()}


def encoded(values: dict[str, str]) -> dict[str, bytes]:
    return {name: value.encode("utf-8") for name, value in values.items()}


def test_first_sync_then_nothing_to_do(synced):
    cli, store, backend = synced
    result, requests = sync(cli, backend)
    assert result.returncode == 0, result.stderr
    assert store.values() == encoded(UPSTREAM)
    assert "3 created, 0 updated, 0 unchanged, 0 removed, 0 skipped, 0 failed." in result.out
    if backend.routes == "rest":
        assert value_reads(backend, requests) == ["/secrets"]  # all values in one request
    else:
        assert value_reads(backend, requests) == [f"/secrets/get/{n}" for n in sorted(UPSTREAM)]
    assert all(r["method"] == "GET" for r in requests)  # sync never writes upstream
    labels = store.secrets()["ssh_key"]["Labels"]
    auth = json.loads(cli.auth_file.read_text())
    assert labels["io.leger.managed"] == "true"
    assert labels["io.leger.server"] == backend.url
    assert labels["io.leger.user"] == auth["user_uuid"]
    assert labels["io.leger.version"] == "1"
    assert labels["io.leger.updated-at"].endswith("Z")
    first = ids(store)

    again, requests = sync(cli, backend)
    assert again.returncode == 0, again.stderr
    assert value_reads(backend, requests) == []
    assert ids(store) == first
    assert "0 created, 0 updated, 3 unchanged" in again.out
    assert "restart" not in again.out


def test_an_update_upstream_is_fetched_alone_and_replaced(synced):
    cli, store, backend = synced
    assert sync(cli, backend)[0].returncode == 0
    first = ids(store)
    assert cli.run("secrets", "set", "openai_api_key", "sk-proj-ROTATED").returncode == 0
    result, requests = sync(cli, backend)
    assert result.returncode == 0, result.stderr
    expected = ["/secrets"] if backend.routes == "rest" else ["/secrets/get/openai_api_key"]
    assert value_reads(backend, requests) == expected
    after = ids(store)
    assert after["openai_api_key"] != first["openai_api_key"]
    assert {n: i for n, i in after.items() if n != "openai_api_key"} == {
        n: i for n, i in first.items() if n != "openai_api_key"
    }
    assert store.values() == encoded({**UPSTREAM, "openai_api_key": "sk-proj-ROTATED"})
    assert store.secrets()["openai_api_key"]["Labels"]["io.leger.version"] == "2"
    assert row(result.out, "openai_api_key") == ["updated", "version 1 -> 2"]
    assert "until they restart" in result.out
    assert "systemctl restart NAME.service" in result.out  # rootful: the tests run as root


def test_a_deletion_upstream_is_pruned_only_with_prune(synced):
    cli, store, backend = synced
    assert sync(cli, backend)[0].returncode == 0
    assert cli.run("secrets", "delete", "unicode", "--force").returncode == 0
    kept, _ = sync(cli, backend)
    assert kept.returncode == 0, kept.stderr
    assert "unicode" in store.secrets()
    assert "deleted on leger.run; --prune removes it" in kept.out
    pruned, requests = sync(cli, backend, "--prune")
    assert pruned.returncode == 0, pruned.stderr
    assert set(store.secrets()) == {"openai_api_key", "ssh_key"}
    assert value_reads(backend, requests) == []
    assert "1 removed" in pruned.out


def test_a_foreign_secret_with_the_same_name_is_reported_and_kept(synced):
    cli, store, backend = synced
    foreign = store.create("ssh_key", b"not leger's", "owner=me")
    result, requests = sync(cli, backend, "--prune")
    assert result.returncode == 1
    assert "not made by leger" in result.out
    assert "Error: 1 secret not in step with leger.run" in result.stderr
    assert ids(store)["ssh_key"] == foreign
    assert store.values() == encoded({**UPSTREAM, "ssh_key": "not leger's"})
    assert store.secrets()["ssh_key"]["Labels"] == {"owner": "me"}
    if backend.routes == "v0.1":  # the clashing value was not even fetched
        assert "/secrets/get/ssh_key" not in value_reads(backend, requests)


def test_dry_run_changes_and_fetches_nothing(synced):
    cli, store, backend = synced
    assert sync(cli, backend, "--only", "ssh_key,unicode")[0].returncode == 0
    before = (ids(store), store.values())
    assert cli.run("secrets", "set", "ssh_key", "rotated").returncode == 0
    assert cli.run("secrets", "delete", "unicode", "--force").returncode == 0
    result, requests = sync(cli, backend, "--dry-run", "--prune")
    assert result.returncode == 0, result.stderr
    assert (ids(store), store.values()) == before
    assert value_reads(backend, requests) == []
    header, table = result.out.split("\n\n")[0].split("\n", 1)
    assert table.splitlines()[0] == "Dry run: nothing was changed."
    rows = [line.split()[:2] for line in table.splitlines()[1:]]
    assert rows == [["create", "openai_api_key"], ["update", "ssh_key"], ["remove", "unicode"]]
    assert header == f"From {backend.url} to Podman 4.3.1 (rootful)"


def test_json_is_one_object(synced):
    cli, store, backend = synced
    result, _ = sync(cli, backend, "--json", "--only", "ssh_key")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["ok"] is True
    assert document["server"] == backend.url
    assert document["podman"]["replace"] is False  # Debian 12's Podman 4.3
    assert [(s["name"], s["action"], s["result"]) for s in document["secrets"]] == [
        ("ssh_key", "create", "done")
    ]
    assert document["counts"]["create"] == 1
    assert set(store.secrets()) == {"ssh_key"}


def test_without_podman_a_clear_message_and_no_request(synced, tmp_path):
    cli, _, backend = synced
    result, requests = sync_with_path(cli, backend, str(cli.bin))
    assert result.returncode == 1
    assert "Error: Podman is not installed: no podman command on PATH" in result.stderr
    assert "apt-get install podman" in result.stderr
    assert requests == []


def sync_with_path(cli: Cli, backend: LocalBackend, path: str):
    before = len(backend.requests())
    result = cli.run("secrets", "sync", env={"PATH": path})
    return result, backend.requests()[before:]


def test_a_podman_failing_for_one_secret_does_not_stop_the_others(synced):
    cli, store, backend = synced
    # A podman that refuses to create one name and runs the real one otherwise.
    podman_shim(
        cli,
        'for arg in "$@"; do\n'
        '  [ "$arg" = unicode ] && { echo "Error: disk full" >&2; exit 125; }\n'
        "done\n",
    )
    result, _ = sync(cli, backend)
    assert result.returncode == 1
    assert row(result.out, "unicode") == ["failed", "podman secret create failed: disk full"]
    assert store.values() == encoded({n: v for n, v in UPSTREAM.items() if n != "unicode"})


def test_a_name_podman_cannot_take_is_skipped(cli, podman_store, fresh_rest_backend):
    backend = fresh_rest_backend
    cli.use_api(backend.url)
    cli.env.update(podman_store.env, LEGER_API_ROUTES="rest")
    assert cli.run("auth", "login").returncode == 0
    for name in ("team:key", "fine"):
        assert cli.run("secrets", "set", name, "v").returncode == 0
    result, _ = sync(cli, backend)
    assert result.returncode == 1
    [word, reason] = row(result.out, "team:key")
    assert word == "skipped"
    assert reason.startswith("Podman cannot take this name")
    assert podman_store.values() == {"fine": b"v"}


def test_rootless_as_another_user(cli, fresh_backend_any_form, request):
    """As root, run leger as ``nobody`` (rootless Podman); otherwise as the user we are."""
    backend = fresh_backend_any_form
    token = backend.login()
    value = "rootless ünï\n"
    write(cli.root / "v", value)
    cli.use_api(backend.url)
    cli.env["LEGER_API_ROUTES"] = backend.routes
    stored = cli.run("secrets", "set", "k", "@" + str(cli.root / "v"), env={"LEGER_TOKEN": token})
    assert stored.returncode == 0, stored.stderr
    with rootless(request) as (root, nobody):
        store = make_store(root / "store", podman_executable(), NOBODY if nobody else None)
        env = {**cli.env, **store.env, "HOME": str(root / "store" / "home"), "LEGER_TOKEN": token}
        env["XDG_CONFIG_HOME"] = str(root / "store" / "config")
        if nobody:
            result = nobody.run("secrets", "sync", env=env)
        else:
            argv = [str(installed_leger()), "secrets", "sync"]
            result = subprocess.run(argv, env=env, capture_output=True, timeout=120, check=False)
        assert result.returncode == 0, result.stderr.decode()
        assert b"(rootless)" in result.stdout
        assert b"systemctl --user restart" not in result.stdout  # nothing replaced yet
        assert store.values() == {"k": value.encode()}
        labels = store.secrets()["k"]["Labels"]
        assert "io.leger.user" not in labels  # LEGER_TOKEN: no stored user


def test_a_container_reads_the_synced_value(synced, tmp_path):
    cli, store, backend = synced
    assert sync(cli, backend, "--only", "ssh_key")[0].returncode == 0
    image = store.local_image(tmp_path, "/usr/bin/cat")
    run = store.run_container("--secret=ssh_key", image, "/usr/bin/cat", "/run/secrets/ssh_key")
    assert run.stdout == PEM.encode()


# --- --driver shell: Podman keeps leger's lookups, and no value -----------------------------------

PRINTABLE = "".join(map(chr, range(32, 127)))
SHELL_UPSTREAM = {
    "openai_api_key": "sk-proj-abc123\n",  # the trailing newline is part of the value
    "ssh_key": PEM,
    "big": (PRINTABLE * 200)[:10240],  # the largest value leger.run takes
}


@pytest.fixture
def proxied(cli: Cli, podman_store: PodmanStore, fresh_proxied_backend_any_form: ProxiedBackend):
    """Alice logged in through the proxy with three secrets upstream; leger pointed at the
    private store."""
    proxy = fresh_proxied_backend_any_form
    logged_in_over_http(cli, podman_store, proxy, proxy.backend, SHELL_UPSTREAM)
    return cli, podman_store, proxy


def set_value(cli: Cli, name: str, value: str) -> None:
    path = cli.root / f"{name}.value"
    path.write_text(value, encoding="utf-8")
    done = cli.run("secrets", "set", name, f"@{path}")
    assert done.returncode == 0, done.stderr


def expected_driver(cli: Cli, server: str, name: str) -> ShellDriver:
    """The four commands sync should give Podman for ``name``."""
    return ShellDriver.for_lookup(
        lookup_argv(str(cli.executable), server, cli.config_dir, cli.cache_dir, name)
    )


def lookup_as_podman_does(store: PodmanStore, name: str) -> subprocess.CompletedProcess:
    """The lookup Podman runs for ``name``, run as Podman runs it."""
    secret = store.secrets()[name]
    return run_as_podman_does(secret["Options"]["lookup"], secret["ID"])[0]


def rows(output: str) -> dict[str, list[str]]:
    """The report's table: name -> [word, detail]."""
    table = [line.split(None, 2) for line in output.split("\n\n")[0].splitlines()[1:]]
    return {name: [word, detail] for word, name, detail in table}


def test_podman_keeps_leger_lookups_and_no_value(proxied):
    cli, store, proxy = proxied
    result, requests = sync(cli, proxy.backend, "--driver", "shell")
    assert result.returncode == 0, result.stderr
    # Metadata only: no value left leger.run.
    listing = "/secrets" if proxy.backend.routes == "rest" else "/secrets/list"
    assert [(r["method"], r["path"], r["query"]) for r in requests] == [("GET", listing, "")]

    secrets = store.secrets()
    user = json.loads(cli.auth_file.read_text())["user_uuid"]
    for name in SHELL_UPSTREAM:
        assert secrets[name]["Driver"] == "shell"
        assert secrets[name]["Options"] == expected_driver(cli, proxy.url, name).options()
        assert secrets[name]["Labels"] == {
            "io.leger.managed": "true",
            "io.leger.server": proxy.url,
            "io.leger.user": user,
            "io.leger.driver": "shell",
        }
    assert not store.file_driver_ids() & {s["ID"] for s in secrets.values()}
    lookup = secrets["ssh_key"]["Options"]["lookup"]
    assert lookup.startswith(f"{cli.executable} podman lookup --server {proxy.url} --config-dir ")
    assert "stored-token" not in lookup
    assert "token" not in json.dumps(secrets)
    assert result.out.splitlines()[0].endswith("(rootful, shell driver)")
    live_row = ["created", "read from leger.run at each container start"]
    assert rows(result.out) == {name: live_row for name in SHELL_UPSTREAM}


def test_each_lookup_prints_the_current_value_byte_exact(proxied):
    cli, store, proxy = proxied
    assert sync(cli, proxy.backend, "--driver", "shell")[0].returncode == 0
    for name, value in SHELL_UPSTREAM.items():
        done = lookup_as_podman_does(store, name)
        assert (done.returncode, done.stderr) == (0, b""), done.stderr
        assert done.stdout == value.encode()
    before = ids(store)

    set_value(cli, "ssh_key", "new")
    assert lookup_as_podman_does(store, "ssh_key").stdout == b"new"  # no sync in between
    assert ids(store) == before


def test_a_container_sees_the_value_of_leger_run_at_each_start(proxied, tmp_path):
    cli, store, proxy = proxied
    assert (
        sync(cli, proxy.backend, "--driver", "shell", "--only", "openai_api_key")[0].returncode == 0
    )
    image = store.local_image(tmp_path, "/usr/bin/printenv")

    def seen() -> bytes:
        run = store.run_container(
            "--secret=openai_api_key,type=env,target=OPENAI_API_KEY",
            image, "/usr/bin/printenv", "OPENAI_API_KEY",
        )  # fmt: skip
        return run.stdout

    assert seen() == b"sk-proj-abc123\n\n"  # the value's own newline, then printenv's
    gets = len(proxy.backend.requests())
    set_value(cli, "openai_api_key", "sk-proj-ROTATED")
    assert seen() == b"sk-proj-ROTATED\n"
    assert len(proxy.backend.requests()) > gets
    assert not store.file_driver_ids()


def test_again_is_unchanged_and_switching_drivers_replaces_both_ways(proxied):
    cli, store, proxy = proxied
    assert sync(cli, proxy.backend, "--driver", "shell")[0].returncode == 0
    first = ids(store)

    again, requests = sync(cli, proxy.backend, "--driver", "shell")
    assert again.returncode == 0, again.stderr
    assert "0 created, 0 updated, 3 unchanged" in again.out
    assert ids(store) == first
    assert len(requests) == 1

    to_file, _ = sync(cli, proxy.backend)
    assert to_file.returncode == 0, to_file.stderr
    assert rows(to_file.out)["big"] == ["updated", "version 1, switching from the shell driver"]
    assert store.values() == {name: value.encode() for name, value in SHELL_UPSTREAM.items()}
    assert set(ids(store).values()).isdisjoint(first.values())

    to_shell, _ = sync(cli, proxy.backend, "--driver", "shell")
    assert to_shell.returncode == 0, to_shell.stderr
    assert rows(to_shell.out)["big"] == ["updated", "switching from the file driver"]
    assert {s["Driver"] for s in store.secrets().values()} == {"shell"}
    assert store.file_driver_ids() == set()  # the copies are gone from secretsdata.json


def test_dry_run_json_and_prune_work_as_with_the_file_driver(proxied):
    cli, store, proxy = proxied
    planned, _ = sync(cli, proxy.backend, "--driver", "shell", "--dry-run", "--json")
    assert planned.returncode == 0, planned.stderr
    document = json.loads(planned.stdout)
    assert (document["driver"], document["dry_run"]) == ("shell", True)
    assert [(s["name"], s["action"], s["driver"]) for s in document["secrets"]] == [
        (name, "create", "shell") for name in sorted(SHELL_UPSTREAM)
    ]
    assert store.secrets() == {}

    assert sync(cli, proxy.backend, "--driver", "shell")[0].returncode == 0
    assert cli.run("secrets", "delete", "big", "--force").returncode == 0
    pruned, _ = sync(cli, proxy.backend, "--driver", "shell", "--prune", "--json")
    assert pruned.returncode == 0, pruned.stderr
    removed = [s for s in json.loads(pruned.stdout)["secrets"] if s["action"] == "remove"]
    assert [(s["name"], s["result"], s["driver"]) for s in removed] == [("big", "done", "shell")]
    assert set(store.secrets()) == {"openai_api_key", "ssh_key"}


def test_a_podman_without_the_shell_driver_changes_nothing(proxied):
    cli, store, proxy = proxied
    podman_shim(
        cli, '[ "$1" = version ] && { echo \'{"Client": {"Version": "3.2.3"}}\'; exit 0; }\n'
    )
    result, requests = sync(cli, proxy.backend, "--driver", "shell")
    assert result.returncode == 1
    assert result.stderr.startswith(
        "Error: Podman 3.2.3 has no shell secret driver: it needs Podman 3.3 or later\n"
    )
    assert "--driver file" in result.stderr
    assert (requests, store.secrets()) == ([], {})


def test_rootless_the_lookup_names_that_users_login(proxied, request):
    """As root, sync as ``nobody`` (rootless Podman); otherwise as the user we are.

    A rootless container is not started here: Podman runs the lookup inside its
    user namespace, where this machine's Python (under /root, mode 0700) cannot
    be reached. With leger installed where the user can run it, it was checked
    by hand (see the README's Quadlet example).
    """
    cli, _, proxy = proxied
    with rootless(request) as (root, nobody):
        owner = NOBODY if nobody else None
        leger = nobody.leger if nobody else cli.executable
        store = make_store(root / "store", podman_executable(), owner)
        home = root / "store" / "home"
        config_dir = root / "store" / "config" / "leger"
        config_dir.mkdir(mode=0o700)
        (config_dir / "auth.json").write_bytes(cli.auth_file.read_bytes())  # Alice's login
        (config_dir / "auth.json").chmod(0o600)
        if owner is not None:
            for path in (config_dir, config_dir / "auth.json"):
                os.chown(path, owner, owner)
        env = {**cli.env, **store.env, "HOME": str(home), "XDG_CONFIG_HOME": str(config_dir.parent)}
        for unset in ("XDG_CACHE_HOME", "XDG_STATE_HOME"):  # that user's own, under HOME
            env.pop(unset)
        argv = ["secrets", "sync", "--driver", "shell", "--only", "ssh_key"]
        if nobody:
            synced = nobody.run(*argv, env=env)
        else:
            synced = subprocess.run(
                [str(leger), *argv], env=env, capture_output=True, timeout=120, check=False
            )
        assert synced.returncode == 0, synced.stderr.decode()
        assert b"(rootless, shell driver)" in synced.stdout
        [secret] = store.secrets().values()
        assert secret["Driver"] == "shell"
        cache_dir = home / ".cache" / "leger"
        assert secret["Options"]["lookup"] == (
            f"{leger} podman lookup --server {proxy.url} --config-dir {config_dir} "
            f"--cache-dir {cache_dir} -- ssh_key"
        )


# --- the offline cache: sync records the values it fetches ----------------------------------------


def test_sync_records_what_it_fetched_and_only_that(
    cli: Cli, podman_store: PodmanStore, fresh_rest_backend: LocalBackend
):
    cli.env.update(podman_store.env)
    log_in_holding(cli, fresh_rest_backend, {"k": "synced-value", "other": "o"})
    synced = cli.run("secrets", "sync", "--only", "k")
    assert synced.returncode == 0, synced.stderr
    got = cli.run("secrets", "get", "k", "--offline")
    assert (got.returncode, got.stdout) == (0, b"synced-value")
    [entry] = cache_entries(cli)
    assert (entry["count"], entry["complete"]) == (1, False)
    # Unchanged: nothing fetched, so nothing recorded again (only the age has grown).
    again = cli.run("secrets", "sync", "--only", "k")
    assert again.returncode == 0, again.stderr
    [later] = cache_entries(cli)
    assert {**later, "age_seconds": None} == {**entry, "age_seconds": None}
    assert cli.run("secrets", "get", "other", "--offline").returncode == 1


def test_sync_with_leger_cache_0_records_nothing(
    cli: Cli, podman_store: PodmanStore, fresh_rest_backend: LocalBackend
):
    cli.env.update(podman_store.env)
    log_in_holding(cli, fresh_rest_backend, {"k": "synced-value"})
    assert cli.run("secrets", "sync", env={"LEGER_CACHE": "0"}).returncode == 0
    assert cache_entries(cli) == []


# --- --prune beyond the 1000 secrets leger.run lists: no Podman secret whose secret exists goes ---
# The page is 1000 names Podman cannot take (':'), so the sync skips them
# instead of creating a thousand Podman secrets; the 26 beyond the page are
# ordinary names that earlier syncs left in Podman.

COLON_PAGE = wire.page_names(wire.LIST_PAGE, prefix="a:")
SYNCED_EARLIER = wire.page_names(26, prefix="s")


@pytest.fixture
def page_podman_cannot_take(cli: Cli, fresh_rest_backend: LocalBackend) -> tuple[Cli, str]:
    """Alice logged in, holding a page of ':' names and 26 ordinary ones beyond it; her UUID."""
    store = {name: f"value of {name}" for name in COLON_PAGE + SYNCED_EARLIER}
    return cli, log_in_holding(cli, fresh_rest_backend, store)


def test_prune_removes_no_podman_secret_whose_secret_exists(
    page_podman_cannot_take, fresh_rest_backend, podman_store: PodmanStore
):
    cli, user = page_podman_cannot_take
    backend = fresh_rest_backend
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
    assert f"Nothing was pruned: {MORE_MAY_EXIST}" in pruned.stderr
    assert "Warning: Nothing was pruned" not in pruned.stderr  # said once, as the error
    assert pruned.stderr.endswith(
        "Prune by name instead: --prune --only NAME,NAME... asks leger.run for each name.\n"
    )
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
