"""leger.podman: the version rule, errors, argv and stdin, and the wrapper on a real store."""

from __future__ import annotations

import csv
import json
import subprocess

import pytest

from leger.child import ChildOutputTooLarge, ChildResult, ChildTimedOut
from leger.errors import PodmanError
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
    assert "apt-get install podman" in raised.value.hint


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
    assert "--driver file" in raised.value.hint


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
    shell = {"Name": "shell", "Options": ShellDriver.for_lookup(["leger", "get", "b"]).options()}
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
