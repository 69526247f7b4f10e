"""``leger secrets sync`` end to end: installed ``leger``, real ``podman``, the local backend.

Every test runs in both route forms (``fresh_backend_any_form``), on a private
Podman store (``podman_store``). The backend's request log shows which values
were fetched; Podman's IDs show which secrets were rewritten; values are read
back from Podman's own storage, byte for byte.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.fixtures.backend import LocalBackend
from tests.fixtures.cli import Cli, installed_leger
from tests.fixtures.other_user import NOBODY, OtherUser
from tests.fixtures.podman import PodmanStore, make_store, podman_executable

pytestmark = pytest.mark.podman

PEM = "-----BEGIN KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END KEY-----\n"
UPSTREAM = {
    "openai_api_key": "sk-proj-abc123",
    "ssh_key": PEM,
    "unicode": "ünï 🙂 \\ \" ' $HOME `x` \t end",
}


@pytest.fixture
def synced(cli: Cli, podman_store: PodmanStore, fresh_backend_any_form: LocalBackend):
    """Alice logged in with three secrets upstream; leger pointed at the private store."""
    backend = fresh_backend_any_form
    cli.env.update(podman_store.env, LEGER_API_ROUTES=backend.routes)
    # Straight over HTTP: logging in and setting are not what these tests are about.
    backend.seed(cli.log_in_over_http(backend, backend.routes), UPSTREAM)
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
    shim = cli.bin / "podman"
    shim.write_text(
        "#!/bin/sh\n"
        'for arg in "$@"; do\n'
        '  [ "$arg" = unicode ] && { echo "Error: disk full" >&2; exit 125; }\n'
        "done\n"
        f'exec {podman_executable()} "$@"\n'
    )
    shim.chmod(0o755)
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
    rootless = os.geteuid() == 0
    # As nobody: the staged leger and a directory that user owns (the checkout may be
    # out of its reach).
    nobody: OtherUser | None = request.getfixturevalue("nobody") if rootless else None
    root = nobody.home() if nobody else Path(tempfile.mkdtemp(prefix="leger-rootless-"))
    try:
        store = make_store(root / "store", podman_executable(), NOBODY if rootless else None)
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
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_a_container_reads_the_synced_value(synced, tmp_path):
    cli, store, backend = synced
    assert sync(cli, backend, "--only", "ssh_key")[0].returncode == 0
    image = store.local_image(tmp_path, "/usr/bin/cat")
    run = store.run_container("--secret=ssh_key", image, "/usr/bin/cat", "/run/secrets/ssh_key")
    assert run.stdout == PEM.encode()
