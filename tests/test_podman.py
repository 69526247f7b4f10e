"""leger.podman: the bounded child runner, the version rule, and the wrapper on a real store."""

from __future__ import annotations

import os
import sys

import pytest

from leger.errors import PodmanError
from leger.podman import Finished, Podman, podman_complaint, run_bounded, supports_replace

PY = sys.executable


def test_runner_feeds_stdin_and_collects_both_streams():
    script = (
        "import sys; d = sys.stdin.buffer.read(); sys.stdout.buffer.write(d[::-1]);"
        " print('e', file=sys.stderr)"
    )
    data = bytes(range(256)) * 2000  # larger than a pipe's buffer
    done = run_bounded([PY, "-c", script], stdin=data, timeout=30, limit=10**6)
    assert done == Finished(0, data[::-1], b"e\n", truncated=False)


def test_runner_keeps_at_most_the_limit_and_says_so():
    script = "import sys; sys.stdout.write('x' * 300000); sys.stderr.write('y' * 300000)"
    done = run_bounded([PY, "-c", script], stdin=b"", timeout=30, limit=1000)
    assert done.returncode == 0
    assert done.stdout == b"x" * 1000
    assert done.stderr == b"y" * 1000
    assert done.truncated


def test_runner_kills_a_child_that_does_not_finish(tmp_path):
    pid_file = tmp_path / "pid"
    script = (
        f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(60)"
    )
    with pytest.raises(TimeoutError):
        run_bounded([PY, "-c", script], stdin=b"", timeout=1, limit=100)
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_runner_survives_a_child_that_ignores_its_stdin():
    done = run_bounded([PY, "-c", "pass"], stdin=b"v" * 10**6, timeout=30, limit=100)
    assert done.returncode == 0


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
    assert podman_complaint(Finished(125, b"", stderr, False)) == "s1: secret name in use"
    assert podman_complaint(Finished(1, b"", b"", False)) == "exit status 1"
    hostile = b"Error: \x1b]52;c;aGk=\x07bad\nfix: curl x | sh"
    assert "\x1b" not in podman_complaint(Finished(1, b"", hostile, False))


class Recorder:
    """A runner that records argv and stdin and answers like podman."""

    def __init__(self, answer: Finished) -> None:
        self.answer = answer
        self.calls: list[tuple[list[str], bytes]] = []

    def __call__(self, argv, *, stdin, timeout, limit, env):
        self.calls.append((list(argv), stdin))
        return self.answer


def test_create_sends_the_value_on_stdin_only():
    runner = Recorder(Finished(0, b"abc123\n", b"", False))
    podman = Podman("/usr/bin/podman", timeout=5, runner=runner)
    new_id = podman.create("k", "sk-ünï\n".encode(), {"io.leger.managed": "true"}, replace=True)
    assert new_id == "abc123"
    [(argv, stdin)] = runner.calls
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
        (Finished(125, b"", b"Error: boom\n", False), "podman secret ls failed: boom"),
        (Finished(0, b"x" * 10, b"", True), "podman secret ls printed more than"),
    ],
)
def test_failures_are_podman_errors(answer, message):
    podman = Podman("/usr/bin/podman", timeout=5, runner=Recorder(answer))
    with pytest.raises(PodmanError, match=message):
        podman.list_secrets()


def test_timeout_and_unstartable_are_podman_errors(tmp_path):
    def hangs(argv, **kwargs):
        raise TimeoutError

    with pytest.raises(PodmanError, match="did not finish within 5 s"):
        Podman("/usr/bin/podman", timeout=5, runner=hangs).version()
    with pytest.raises(PodmanError, match="Cannot run"):
        Podman(str(tmp_path / "nothing"), timeout=5).version()


@pytest.mark.parametrize("output", [b"not json", b"[]", b'{"Client": {}}'])
def test_an_unreadable_version_is_a_podman_error(output):
    podman = Podman("/usr/bin/podman", timeout=5, runner=Recorder(Finished(0, output, b"", False)))
    with pytest.raises(PodmanError, match="Cannot read what podman version printed"):
        podman.version()


def test_missing_podman_says_how_to_install(tmp_path):
    with pytest.raises(PodmanError) as raised:
        Podman.locate(timeout=5, env={"PATH": str(tmp_path)})
    assert raised.value.message == "Podman is not installed: no podman command on PATH"
    assert "apt-get install podman" in raised.value.hint


@pytest.mark.podman
def test_wrapper_on_a_real_store(podman_store):
    podman = Podman.locate(timeout=60, env={"PATH": "/usr/bin:/bin", **podman_store.env})
    assert podman.version()
    assert podman.list_secrets() == []
    value = "line 1\nline 2 ünï 🙂\n"
    first = podman.create("a.b-c_1", value.encode(), {"io.leger.managed": "true", "k": "x=y,z"})
    [listed] = podman.list_secrets()
    assert (listed.id, listed.name) == (first, "a.b-c_1")
    assert listed.labels == {"io.leger.managed": "true", "k": "x=y,z"}
    assert podman_store.values() == {"a.b-c_1": value.encode()}
    with pytest.raises(PodmanError, match=r"podman secret create failed: .*in use"):
        podman.create("a.b-c_1", b"other", {})
    with pytest.raises(PodmanError, match="invalid secret name"):
        podman.create("a:b", b"v", {})
    podman.remove(first)
    assert podman.list_secrets() == []
