"""Podman's ``shell`` secret driver and ``kube play``, driven by leger.podman on the real podman.

Each test has a private store (``podman_store``). Stand-in lookup commands
(``printf``, ``cat``) take leger's place, so what is checked is Podman's side:
which commands it keeps, how it runs them, what reaches a container.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import subprocess

import pytest
import yaml

from leger.errors import PodmanError
from leger.kube_manifest import secret_manifest
from leger.podman import Podman, ShellDriver, require_shell_driver
from tests.fixtures.podman import PodmanStore

pytestmark = pytest.mark.podman

PEM = b"-----BEGIN KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nAAAA\n-----END KEY-----\n"
PRINTABLE = bytes(range(32, 127))
VALUES = {
    "trailing-newline": b"sk-proj-abc123\n",
    "pem": PEM,
    "max_size": (PRINTABLE * 200)[:10240],
}
LABELS = {"io.leger.managed": "true", "io.leger.driver": "shell"}


@pytest.fixture
def podman(podman_store: PodmanStore) -> Podman:
    """leger's wrapper pointed at the private store."""
    return Podman.locate(timeout=60, env={"PATH": "/usr/bin:/bin", **podman_store.env})


def run_as_podman_does(command: str, secret_id: str) -> subprocess.CompletedProcess:
    """``/bin/sh -c COMMAND`` with SECRET_ID set, and no HOME, terminal or locale."""
    return subprocess.run(
        ["/bin/sh", "-c", command],
        env={"PATH": "/usr/bin:/bin", "SECRET_ID": secret_id},
        cwd="/",
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=30,
        check=False,
    )


@pytest.mark.parametrize(
    "argv",
    [
        # No '=' at all: Podman keeps the option as it is, commas included.
        ["printf", "<%s>", "--server", "https://leger.example:8443/api/v1,x", "--config-dir",
         "/etc/leger/it's a dir", "--", "team:key-1_x.y"],
        # '=' in a word: the option goes as a quoted CSV record.
        ["printf", "<%s>", "--server=https://h/?a=b,c", '"quoted"', "--", "k"],
    ],
)  # fmt: skip
def test_podman_keeps_the_four_commands_and_no_value(podman, podman_store, argv):
    require_shell_driver(podman.version())
    kept = podman.create("file-secret", b"v", {})
    driver = ShellDriver.for_lookup(argv)
    secret_id = podman.create_shell("team-key", LABELS, driver)

    shown = podman_store.secrets()["team-key"]
    assert (shown["ID"], shown["Driver"], shown["Labels"]) == (secret_id, "shell", LABELS)
    assert shown["Options"] == driver.options()
    assert {s.name: s.driver for s in podman.list_secrets()} == {
        "file-secret": "file",
        "team-key": "shell",
    }
    assert podman_store.file_driver_ids() == {kept}  # no copy of the shell secret's value

    lookup = run_as_podman_does(shown["Options"]["lookup"], secret_id)
    assert lookup.returncode == 0, lookup.stderr
    assert lookup.stdout.decode() == "".join(f"<{arg}>" for arg in argv[2:])


def test_a_container_gets_the_lookup_output_verbatim_at_every_start(podman, podman_store, tmp_path):
    files = {name: tmp_path / f"{name}.value" for name in VALUES}
    for name, value in VALUES.items():
        files[name].write_bytes(value)
        podman.create_shell(name, LABELS, ShellDriver.for_lookup(["cat", "--", str(files[name])]))
    ids = {s.name: s.id for s in podman.list_secrets()}
    image = podman_store.local_image(tmp_path, "/usr/bin/printenv")

    def seen(name: str) -> bytes:
        printed = podman_store.run_container(
            f"--secret={name},type=env,target=X", image, "/usr/bin/printenv", "X"
        ).stdout
        assert printed.endswith(b"\n")  # printenv's own
        return printed[:-1]

    assert {name: seen(name) for name in VALUES} == VALUES
    files["pem"].write_bytes(b"rotated")
    assert seen("pem") == b"rotated"
    assert {s.name: s.id for s in podman.list_secrets()} == ids  # nothing was re-created
    assert podman_store.file_driver_ids() == set()


def test_podman_runs_lookup_with_sh_c_and_its_own_id_not_the_name(podman, podman_store, tmp_path):
    driver = dataclasses.replace(
        ShellDriver.for_lookup(["true"]), lookup="printf '%s %s' $0 $SECRET_ID"
    )
    secret_id = podman.create_shell("k", LABELS, driver)
    image = podman_store.local_image(tmp_path, "/usr/bin/printenv")
    run = podman_store.run_container(
        "--secret=k,type=env,target=X", image, "/usr/bin/printenv", "X"
    )
    assert run.stdout == f"/bin/sh {secret_id}\n".encode()


def test_a_failing_lookup_stops_the_container_and_podman_names_only_the_id(
    podman, podman_store, tmp_path
):
    driver = ShellDriver.for_lookup(["sh", "-c", "echo 'why it failed' >&2; exit 3"])
    secret_id = podman.create_shell("k", LABELS, driver)
    image = podman_store.local_image(tmp_path, "/usr/bin/printenv")
    run = podman_store.run_container(
        "--secret=k,type=env,target=X", image, "/usr/bin/printenv", "X", check=False
    )
    assert run.returncode != 0
    assert b"why it failed" in run.stderr  # the lookup's stderr is passed through
    assert f"Error: {secret_id}: no secret data with ID".encode() in run.stderr
    assert run.stdout == b""


def test_switching_drivers_is_remove_then_create(podman, podman_store):
    first = podman.create("k", b"in podman's store", {})
    assert podman_store.file_driver_ids() == {first}
    with pytest.raises(PodmanError, match="secret name in use"):
        podman.create_shell("k", LABELS, ShellDriver.for_lookup(["echo", "x"]))
    podman.remove(first)
    second = podman.create_shell("k", LABELS, ShellDriver.for_lookup(["echo", "x"]))
    [secret] = podman.list_secrets()
    assert (secret.id, secret.driver) == (second, "shell")
    assert podman_store.file_driver_ids() == set()
    podman.remove(second)  # runs `delete`, which takes a non-empty SECRET_ID
    assert podman.list_secrets() == []


def test_podman_kube_play_makes_one_secret_of_the_manifest(podman_store, tmp_path):
    values = {"api-key": "sk-proj-abc123\n", "pem": PEM.decode(), "unicode": "ünï 🙂 \\ \" '"}
    manifest = tmp_path / "secret.yaml"
    manifest.write_text(secret_manifest(list(values.items()), name="app.secrets"))
    played = podman_store.run("kube", "play", str(manifest))
    assert played.returncode == 0

    [(name, secret)] = podman_store.secrets().items()
    assert (name, secret["Driver"]) == ("app.secrets", "file")
    # Podman 4.3 keeps the whole Secret object, re-serialised, as the one value.
    stored = yaml.safe_load(podman_store.values()["app.secrets"])
    assert (stored["kind"], stored["metadata"]["name"]) == ("Secret", "app.secrets")
    decoded = {key: base64.b64decode(text).decode() for key, text in stored["data"].items()}
    assert decoded == values

    podman_store.run("secret", "rm", "app.secrets")
    assert podman_store.secrets() == {}


def test_inspect_shows_the_lookup_as_a_person_reads_it(podman, podman_store):
    argv = ["/usr/local/bin/leger", "secrets", "get", "--server", "https://leger.example:8443",
            "--config-dir", "/root/.config/leger", "--", "team:key"]  # fmt: skip
    podman.create_shell("team-key", LABELS, ShellDriver.for_lookup(argv))
    [shown] = json.loads(podman_store.run("secret", "inspect", "team-key").stdout)
    assert shown["Spec"]["Driver"] == {
        "Name": "shell",
        "Options": {
            "delete": '[ -n "$SECRET_ID" ]',
            "list": "true",
            "lookup": " ".join(argv),
            "store": "cat >/dev/null",
        },
    }
