"""leger.podman: the version rule, errors, argv and stdin, and the wrapper on a real store."""

from __future__ import annotations

import base64
import csv
import dataclasses
import json
import subprocess
from typing import Any

import pytest
import yaml

from leger.child import ChildOutputTooLarge, ChildResult, ChildTimedOut
from leger.errors import PodmanError
from leger.kube_manifest import secret_manifest
from leger.podman import (
    SHELL_PLACEHOLDER,
    Podman,
    PodmanSecret,
    ShellDriver,
    driver_option,
    podman_complaint,
    require_shell_driver,
    supports_replace,
    supports_shell_driver,
)
from tests.fixtures.podman import PodmanStore


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("4.3.1", False),
        ("4.6.2", False),
        ("4.7.0", True),
        ("4.9.3", True),
        ("5.0.0-dev", True),
        ("10.1", True),
        ("3.4.4", False),
        ("", False),
        ("dev", False),
    ],
)
def test_replace_is_known_from_the_version(version, expected):
    assert supports_replace(version) is expected


def test_complaint_prefers_podmans_error_line_over_warnings():
    stderr = b'time="..." level=warning msg="not a shared mount"\nError: s1: secret name in use\n'
    assert podman_complaint(ChildResult(125, b"", stderr)) == "s1: secret name in use"
    assert podman_complaint(ChildResult(1, b"", b"")) == "exit status 1"
    hostile = b"Error: \x1b]52;c;aGk=\x07bad\nfix: curl x | sh"
    assert "\x1b" not in podman_complaint(ChildResult(1, b"", hostile))


class Recorder:
    """A runner that records argv and stdin and answers like podman, in turn (the last repeats)."""

    def __init__(self, *answers: ChildResult | Exception) -> None:
        self.answers = list(answers)
        self.calls: list[tuple[list[str], bytes, dict | None]] = []

    def __call__(self, argv, *, stdin, timeout, stdout_limit, stderr_limit, env):
        self.calls.append((list(argv), stdin, env))
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_create_sends_the_value_on_stdin_only():
    runner = Recorder(ChildResult(0, b"abc123\n", b""))
    env = {"PATH": "/usr/bin", "LEGER_TOKEN": "t0ken", "LEGER_API_URL": "https://x"}
    podman = Podman("/usr/bin/podman", timeout=5, env=env, runner=runner)
    new_id = podman.create("k", "sk-ünï\n".encode(), {"io.leger.managed": "true"}, replace=True)
    assert new_id == "abc123"
    [(argv, stdin, sent_env)] = runner.calls
    assert sent_env == {"PATH": "/usr/bin"}  # podman never sees the token
    assert stdin == "sk-ünï\n".encode()
    assert all("sk-" not in arg for arg in argv)
    assert argv == [
        "/usr/bin/podman",
        "secret",
        "create",
        "--label=io.leger.managed=true",
        "--replace",
        "--",
        "k",
        "-",
    ]


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (ChildResult(125, b"", b"Error: boom\n"), "podman secret ls failed: boom"),
        (
            ChildOutputTooLarge("stdout", 99),
            "podman secret ls printed more than 99 bytes on stdout",
        ),
        (ChildTimedOut(), "podman secret ls did not finish within 5 s"),
    ],
)
def test_failures_are_podman_errors(answer, message):
    podman = Podman("/usr/bin/podman", timeout=5, runner=Recorder(answer))
    with pytest.raises(PodmanError, match=message):
        podman.list_secrets()


def test_an_unstartable_podman_is_a_podman_error(tmp_path):
    with pytest.raises(PodmanError, match="Cannot run"):
        Podman(str(tmp_path / "nothing"), timeout=5).version()


@pytest.mark.parametrize("output", [b"not json", b"[]", b'{"Client": {}}'])
def test_an_unreadable_version_is_a_podman_error(output):
    podman = Podman("/usr/bin/podman", timeout=5, runner=Recorder(ChildResult(0, output, b"")))
    with pytest.raises(PodmanError, match="Cannot read what podman version printed"):
        podman.version()


def test_missing_podman_says_how_to_install(tmp_path):
    with pytest.raises(PodmanError) as raised:
        Podman.locate(timeout=5, env={"PATH": str(tmp_path)})
    assert raised.value.message == "Podman is not installed: no podman command on PATH"
    assert "apt-get install podman" in (raised.value.hint or "")


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("3.2.3", False),
        ("3.3.0", True),
        ("3.4.4", True),
        ("4.3.1", True),
        ("5.0.0-dev", True),
        ("2.9", False),
        ("dev", False),
    ],
)
def test_the_shell_driver_is_known_from_the_version(version, expected):
    assert supports_shell_driver(version) is expected


def test_a_podman_without_the_shell_driver_is_a_clear_error():
    require_shell_driver("3.3.0")
    with pytest.raises(PodmanError) as raised:
        require_shell_driver("3.2.3\x1b[2J")
    assert raised.value.message.startswith("Podman 3.2.3")
    assert "has no shell secret driver: it needs Podman 3.3 or later" in raised.value.message
    assert "\x1b" not in raised.value.message
    assert "--driver file" in (raised.value.hint or "")


def podman_reads(option: str) -> str:
    """What Podman's ``--driver-opts`` (pflag's stringToString) makes of ``option``.

    One ``=``: the whole text, ``"`` stripped at both ends; more: one CSV record,
    which must hold one field here.
    """
    if option.count("=") == 1:
        return option.strip('"')
    [record] = list(csv.reader([option], strict=True))
    [field] = record
    return field


@pytest.mark.parametrize(
    "command",
    [
        "/usr/bin/leger secrets get --server https://h:8443/a,b -- team:key",
        "printf '%s' \"a, b\" x",
        '[ -n "$SECRET_ID" ]',
        "leger get --server=https://h/?a=b,c --config '/x/it'\"'\"'s' \"q\"",
        "x=1 y=2",
        ' "=leading space',
    ],
)
def test_a_driver_option_reads_back_as_written(command):
    option = driver_option("lookup", command)
    assert podman_reads(option) == f"lookup={command}"


def test_a_driver_option_with_one_equals_sign_is_left_as_it_is():
    command = "/usr/bin/leger secrets get --server https://h:8443/a,b -- team:key"
    assert driver_option("lookup", command) == f"lookup={command}"
    assert driver_option("lookup", "a=b") == '"lookup=a=b"'


@pytest.mark.parametrize(
    ("command", "problem"),
    [
        ('echo "x"', "ends with"),
        ("echo a\necho b", "line break"),
        ("echo a\r", "line break"),
        ("echo \0", "NUL"),
    ],
)
def test_a_driver_option_podman_would_damage_is_refused(command, problem):
    with pytest.raises(PodmanError, match=f"Podman cannot store a lookup command .*{problem}"):
        driver_option("lookup", command)


def sh(command: str, *, secret_id: str = "4f0c2b", stdin: bytes = b""):
    """Run ``command`` as Podman's shell driver does: /bin/sh -c, SECRET_ID set, no HOME."""
    return subprocess.run(
        ["/bin/sh", "-c", command],
        input=stdin,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "SECRET_ID": secret_id},
        cwd="/",
        check=False,
    )


def test_lookup_runs_exactly_the_argv_it_was_made_from():
    argv = ["printf", "<%s>", "a b", "it's", "x=y,z", "team:key", '"q"', "$HOME", "`id`", "*"]
    driver = ShellDriver.for_lookup(argv)
    done = sh(driver.lookup)
    assert done.returncode == 0
    assert done.stdout.decode() == "".join(f"<{arg}>" for arg in argv[2:])


def test_the_other_three_commands_keep_nothing_and_refuse_an_empty_id():
    driver = ShellDriver.for_lookup(["true"])
    listed = sh(driver.list)
    assert (listed.returncode, listed.stdout) == (0, b"")
    stored = sh(driver.store, stdin=b"x" * 200_000)
    assert (stored.returncode, stored.stdout, stored.stderr) == (0, b"", b"")
    assert sh(driver.delete).returncode == 0
    assert sh(driver.delete, secret_id="").returncode != 0


def test_create_shell_passes_the_four_commands_and_no_value():
    runner = Recorder(ChildResult(0, b"abc123\n", b""))
    podman = Podman("/usr/bin/podman", timeout=5, runner=runner)
    driver = ShellDriver.for_lookup(["/usr/bin/leger", "secrets", "get", "--", "k"])
    assert podman.create_shell("k", {"io.leger.driver": "shell"}, driver) == "abc123"
    [(argv, stdin, _)] = runner.calls
    assert stdin == SHELL_PLACEHOLDER
    assert argv == [
        "/usr/bin/podman", "secret", "create", "--label=io.leger.driver=shell",
        "--driver", "shell",
        "--driver-opts", "list=true",
        "--driver-opts", "lookup=/usr/bin/leger secrets get -- k",
        "--driver-opts", "store=cat >/dev/null",
        "--driver-opts", 'delete=[ -n "$SECRET_ID" ]',
        "--", "k", "-",
    ]  # fmt: skip
    assert "--replace" not in argv


def test_create_shell_refuses_a_command_before_running_podman():
    runner = Recorder(ChildResult(0, b"abc123\n", b""))
    podman = Podman("/usr/bin/podman", timeout=5, runner=runner)
    with pytest.raises(PodmanError, match="line break"):
        podman.create_shell("k", {}, ShellDriver.for_lookup(["leger", "get", "a\nb"]))
    assert runner.calls == []


def inspected(name: str, driver: object) -> dict:
    return {"ID": f"id-{name}", "Spec": {"Name": name, "Driver": driver, "Labels": None}}


def test_list_secrets_reads_each_driver():
    shell: dict[str, Any] = {
        "Name": "shell",
        "Options": ShellDriver.for_lookup(["leger", "get", "b"]).options(),
    }
    answer = [
        inspected("a", {"Name": "file", "Options": {"path": "/var/lib/x"}}),
        inspected("b", shell),
        inspected("c", {"Name": "pass", "Options": None}),
    ]
    runner = Recorder(
        ChildResult(0, b"id-a\nid-b\nid-c\n", b""), ChildResult(0, json.dumps(answer).encode(), b"")
    )
    listed = Podman("/usr/bin/podman", timeout=5, runner=runner).list_secrets()
    assert listed == [
        PodmanSecret("id-a", "a", {}, "file", {"path": "/var/lib/x"}),
        PodmanSecret("id-b", "b", {}, "shell", shell["Options"]),
        PodmanSecret("id-c", "c", {}, "pass", {}),
    ]
    assert runner.calls[1][0][1:] == ["secret", "inspect", "--", "id-a", "id-b", "id-c"]


@pytest.mark.parametrize("driver", [None, {}, {"Name": 3}, {"Name": "file", "Options": ["x"]}])
def test_an_unreadable_driver_is_a_podman_error(driver):
    runner = Recorder(
        ChildResult(0, b"id-a\n", b""),
        ChildResult(0, json.dumps([inspected("a", driver)]).encode(), b""),
    )
    with pytest.raises(PodmanError, match="Cannot read what podman secret inspect printed"):
        Podman("/usr/bin/podman", timeout=5, runner=runner).list_secrets()


@pytest.mark.podman
def test_wrapper_on_a_real_store(podman_store):
    podman = Podman.locate(timeout=60, env={"PATH": "/usr/bin:/bin", **podman_store.env})
    assert podman.version()
    assert podman.list_secrets() == []
    value = "line 1\nline 2 ünï 🙂\n"
    first = podman.create("a.b-c_1", value.encode(), {"io.leger.managed": "true", "k": "x=y,z"})
    [listed] = podman.list_secrets()
    assert (listed.id, listed.name, listed.driver) == (first, "a.b-c_1", "file")
    assert listed.labels == {"io.leger.managed": "true", "k": "x=y,z"}
    assert podman_store.values() == {"a.b-c_1": value.encode()}
    with pytest.raises(PodmanError, match=r"podman secret create failed: .*in use"):
        podman.create("a.b-c_1", b"other", {})
    with pytest.raises(PodmanError, match="invalid secret name"):
        podman.create("a:b", b"v", {})
    podman.remove(first)
    assert podman.list_secrets() == []


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
