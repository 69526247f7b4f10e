"""leger.podman: the version rule, errors, argv and stdin, and the wrapper on a real store."""

from __future__ import annotations

import pytest

from leger.child import ChildOutputTooLarge, ChildResult, ChildTimedOut
from leger.errors import PodmanError
from leger.podman import Podman, podman_complaint, supports_replace


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
    """A runner that records argv and stdin and answers like podman."""

    def __init__(self, answer: ChildResult | Exception) -> None:
        self.answer = answer
        self.calls: list[tuple[list[str], bytes, dict | None]] = []

    def __call__(self, argv, *, stdin, timeout, stdout_limit, stderr_limit, env):
        self.calls.append((list(argv), stdin, env))
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


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
