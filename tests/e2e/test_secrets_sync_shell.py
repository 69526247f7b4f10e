"""``leger secrets sync --driver shell`` end to end: installed leger, real Podman, local backend.

Every test runs in both route forms, through the validating Prism proxy
(``fresh_proxied_backend_any_form``), on a private Podman store. Podman keeps
no value, only leger's lookup command, which is run here exactly as Podman
runs it (``/bin/sh -c``, SECRET_ID, no HOME, terminal or locale) and by
Podman itself when a container starts.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from leger.commands.podman_lookup.command_line import lookup_argv
from leger.podman import ShellDriver
from tests.fixtures.backend import LocalBackend, ProxiedBackend
from tests.fixtures.cli import Cli
from tests.fixtures.other_user import NOBODY, OtherUser
from tests.fixtures.podman import PodmanStore, make_store, podman_executable

pytestmark = pytest.mark.podman

PEM = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\nAAAA\n"
PEM += "-----END OPENSSH PRIVATE KEY-----\n"
PRINTABLE = "".join(map(chr, range(32, 127)))
UPSTREAM = {
    "openai_api_key": "sk-proj-abc123\n",  # the trailing newline is part of the value
    "ssh_key": PEM,
    "big": (PRINTABLE * 200)[:10240],  # the largest value leger.run takes
}


@pytest.fixture
def live(cli: Cli, podman_store: PodmanStore, fresh_proxied_backend_any_form: ProxiedBackend):
    """Alice logged in with three secrets upstream; leger pointed at the private store."""
    proxy = fresh_proxied_backend_any_form
    cli.env.update(podman_store.env, LEGER_API_ROUTES=proxy.backend.routes)
    # Straight over HTTP: logging in and setting are not what these tests are about.
    proxy.backend.seed(cli.log_in_over_http(proxy, proxy.backend.routes), UPSTREAM)
    return cli, podman_store, proxy


def set_value(cli: Cli, name: str, value: str) -> None:
    path = cli.root / f"{name}.value"
    path.write_text(value, encoding="utf-8")
    done = cli.run("secrets", "set", name, f"@{path}")
    assert done.returncode == 0, done.stderr


def sync(cli: Cli, backend: LocalBackend, *args: str):
    """Run ``leger secrets sync ARGS``; the result and the API requests it made."""
    before = len(backend.requests())
    result = cli.run("secrets", "sync", *args)
    return result, backend.requests()[before:]


def expected_driver(cli: Cli, server: str, name: str) -> ShellDriver:
    """The four commands sync should give Podman for ``name``."""
    cache_dir = Path(cli.env["XDG_CACHE_HOME"]) / "leger"
    return ShellDriver.for_lookup(
        lookup_argv(str(cli.executable), server, cli.config_dir, cache_dir, name)
    )


def run_as_podman_does(store: PodmanStore, name: str) -> subprocess.CompletedProcess:
    """``env -i PATH=/usr/bin:/bin SECRET_ID=<id> /bin/sh -c "$lookup"`` for ``name``."""
    secret = store.secrets()[name]
    return subprocess.run(
        ["env", "-i", "PATH=/usr/bin:/bin", f"SECRET_ID={secret['ID']}",
         "/bin/sh", "-c", secret["Options"]["lookup"]],
        cwd="/",
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        check=False,
    )  # fmt: skip


def ids(store: PodmanStore) -> dict[str, str]:
    return {name: secret["ID"] for name, secret in store.secrets().items()}


def rows(output: str) -> dict[str, list[str]]:
    """The report's table: name -> [word, detail]."""
    table = [line.split(None, 2) for line in output.split("\n\n")[0].splitlines()[1:]]
    return {name: [word, detail] for word, name, detail in table}


def test_podman_keeps_leger_lookups_and_no_value(live):
    cli, store, proxy = live
    result, requests = sync(cli, proxy.backend, "--driver", "shell")
    assert result.returncode == 0, result.stderr
    # Metadata only: no value left leger.run.
    listing = "/secrets" if proxy.backend.routes == "rest" else "/secrets/list"
    assert [(r["method"], r["path"], r["query"]) for r in requests] == [("GET", listing, "")]

    secrets = store.secrets()
    user = json.loads(cli.auth_file.read_text())["user_uuid"]
    for name in UPSTREAM:
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
    assert rows(result.out) == {name: live_row for name in UPSTREAM}


def test_each_lookup_prints_the_current_value_byte_exact(live):
    cli, store, proxy = live
    assert sync(cli, proxy.backend, "--driver", "shell")[0].returncode == 0
    for name, value in UPSTREAM.items():
        done = run_as_podman_does(store, name)
        assert (done.returncode, done.stderr) == (0, b""), done.stderr
        assert done.stdout == value.encode()
    before = ids(store)

    set_value(cli, "ssh_key", "new")
    assert run_as_podman_does(store, "ssh_key").stdout == b"new"  # no sync in between
    assert ids(store) == before


def test_a_container_sees_the_value_of_leger_run_at_each_start(live, tmp_path):
    cli, store, proxy = live
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


def test_again_is_unchanged_and_switching_drivers_replaces_both_ways(live):
    cli, store, proxy = live
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
    assert store.values() == {name: value.encode() for name, value in UPSTREAM.items()}
    assert set(ids(store).values()).isdisjoint(first.values())

    to_shell, _ = sync(cli, proxy.backend, "--driver", "shell")
    assert to_shell.returncode == 0, to_shell.stderr
    assert rows(to_shell.out)["big"] == ["updated", "switching from the file driver"]
    assert {s["Driver"] for s in store.secrets().values()} == {"shell"}
    assert store.file_driver_ids() == set()  # the copies are gone from secretsdata.json


def test_dry_run_json_and_prune_work_as_with_the_file_driver(live):
    cli, store, proxy = live
    planned, _ = sync(cli, proxy.backend, "--driver", "shell", "--dry-run", "--json")
    assert planned.returncode == 0, planned.stderr
    document = json.loads(planned.stdout)
    assert (document["driver"], document["dry_run"]) == ("shell", True)
    assert [(s["name"], s["action"], s["driver"]) for s in document["secrets"]] == [
        (name, "create", "shell") for name in sorted(UPSTREAM)
    ]
    assert store.secrets() == {}

    assert sync(cli, proxy.backend, "--driver", "shell")[0].returncode == 0
    assert cli.run("secrets", "delete", "big", "--force").returncode == 0
    pruned, _ = sync(cli, proxy.backend, "--driver", "shell", "--prune", "--json")
    assert pruned.returncode == 0, pruned.stderr
    removed = [s for s in json.loads(pruned.stdout)["secrets"] if s["action"] == "remove"]
    assert [(s["name"], s["result"], s["driver"]) for s in removed] == [("big", "done", "shell")]
    assert set(store.secrets()) == {"openai_api_key", "ssh_key"}


def test_a_podman_without_the_shell_driver_changes_nothing(live):
    cli, store, proxy = live
    shim = cli.bin / "podman"
    shim.write_text(
        "#!/bin/sh\n"
        '[ "$1" = version ] && { echo \'{"Client": {"Version": "3.2.3"}}\'; exit 0; }\n'
        f'exec {podman_executable()} "$@"\n'
    )
    shim.chmod(0o755)
    result, requests = sync(cli, proxy.backend, "--driver", "shell")
    assert result.returncode == 1
    assert result.stderr.startswith(
        "Error: Podman 3.2.3 has no shell secret driver: it needs Podman 3.3 or later\n"
    )
    assert "--driver file" in result.stderr
    assert (requests, store.secrets()) == ([], {})


def test_rootless_the_lookup_names_that_users_login(live, request):
    """As root, sync as ``nobody`` (rootless Podman); otherwise as the user we are.

    A rootless container is not started here: Podman runs the lookup inside its
    user namespace, where this machine's Python (under /root, mode 0700) cannot
    be reached. With leger installed where the user can run it, it was checked
    by hand (see the README's Quadlet example).
    """
    cli, _, proxy = live
    rootless = os.geteuid() == 0
    owner = NOBODY if rootless else None
    # As nobody: the staged leger and a directory that user owns (the checkout may be
    # out of its reach).
    nobody: OtherUser | None = request.getfixturevalue("nobody") if rootless else None
    root = nobody.home() if nobody else Path(tempfile.mkdtemp(prefix="leger-rootless-"))
    leger = nobody.leger if nobody else cli.executable
    try:
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
    finally:
        shutil.rmtree(root, ignore_errors=True)
