"""The bounded child runner: capped output, one deadline for the child's whole life, clean env."""

from __future__ import annotations

import sys
import time

import pytest

from leger.child import ChildOutputTooLarge, ChildTimedOut, child_env, run_bounded
from tests.support.pids import ends_soon

PY = sys.executable


def py(code: str) -> list[str]:
    return [PY, "-c", code]


def test_output_and_exit_status_come_back_whole():
    result = run_bounded(
        py("import sys; sys.stdout.write('out'); sys.stderr.write('err'); sys.exit(3)"),
        timeout=30,
        stdout_limit=3,
        stderr_limit=3,
    )
    assert (result.returncode, result.stdout, result.stderr) == (3, b"out", b"err")


@pytest.mark.parametrize("stream", ["stdout", "stderr"])
def test_an_endless_stream_is_cut_at_its_limit_and_the_child_killed(tmp_path, stream):
    pid_file = tmp_path / "pid"
    code = (
        f"import os, sys; open({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
        f"while True: sys.{stream}.buffer.write(b'x' * 65536)"
    )
    with pytest.raises(ChildOutputTooLarge) as caught:
        run_bounded(py(code), timeout=60, stdout_limit=100_000, stderr_limit=100_000)
    assert (caught.value.stream, caught.value.limit) == (stream, 100_000)
    assert ends_soon(int(pid_file.read_text()))


def test_one_byte_over_the_limit_is_too_large():
    with pytest.raises(ChildOutputTooLarge):
        run_bounded(py("print('x' * 10, end='')"), timeout=30, stdout_limit=9, stderr_limit=9)


def test_a_slow_writer_is_stopped_at_the_deadline_not_at_each_read(tmp_path):
    # A byte every 0.1 s never leaves a read waiting long, but the whole run must end.
    code = (
        "import sys, time\nwhile True:\n sys.stdout.write('x'); sys.stdout.flush(); time.sleep(0.1)"
    )
    start = time.monotonic()
    with pytest.raises(ChildTimedOut):
        run_bounded(py(code), timeout=1, stdout_limit=1 << 20, stderr_limit=1 << 20)
    assert time.monotonic() - start < 10


def test_a_grandchild_holding_the_pipe_open_is_killed_too(tmp_path):
    pid_file = tmp_path / "grandchild"
    # The shell starts a writer in the background and exits at once; the writer
    # keeps stdout open, so "the child exited" is not "the child is done".
    script = f"sh -c 'echo $$ > {pid_file}; exec sleep 60' & exit 0"
    with pytest.raises(ChildTimedOut):
        run_bounded(["/bin/sh", "-c", script], timeout=1, stdout_limit=100, stderr_limit=100)
    deadline = time.monotonic() + 5
    while not pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ends_soon(int(pid_file.read_text()))


def test_a_missing_executable_is_an_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        run_bounded([str(tmp_path / "nope")], timeout=5, stdout_limit=10, stderr_limit=10)


def test_child_env_drops_every_leger_variable_and_keeps_the_rest():
    env = {
        "LEGER_TOKEN": "secret-token",
        "LEGER_API_URL": "https://api.leger.run",
        "LEGER_DEBUG": "1",
        "PATH": "/usr/bin",
        "HOME": "/home/a",
        "TS_SOCKET": "/run/ts.sock",
    }
    assert child_env(env) == {"PATH": "/usr/bin", "HOME": "/home/a", "TS_SOCKET": "/run/ts.sock"}


def test_the_default_environment_has_no_leger_variables(monkeypatch):
    monkeypatch.setenv("LEGER_TOKEN", "secret-token")
    monkeypatch.setenv("KEEP_ME", "yes")
    result = run_bounded(
        py("import os; print(sorted(os.environ))"),
        timeout=30,
        stdout_limit=1 << 16,
        stderr_limit=1 << 16,
    )
    assert b"KEEP_ME" in result.stdout
    assert b"LEGER_" not in result.stdout


def test_stdin_is_fed_while_the_output_is_read():
    # More than a pipe holds each way: writing all first, then reading, would deadlock.
    data = bytes(range(256)) * 4096
    code = "import sys; sys.stdout.buffer.write(sys.stdin.buffer.read()[::-1])"
    result = run_bounded(py(code), stdin=data, timeout=30, stdout_limit=len(data), stderr_limit=100)
    assert (result.returncode, result.stdout) == (0, data[::-1])


def test_a_child_that_ignores_its_stdin_is_no_error():
    result = run_bounded(
        py("import sys; sys.exit(4)"),
        stdin=b"v" * 1_000_000,
        timeout=30,
        stdout_limit=10,
        stderr_limit=10,
    )
    assert result.returncode == 4


def test_without_stdin_the_child_reads_end_of_file_at_once():
    code = "import sys; print(repr(sys.stdin.buffer.read()))"
    result = run_bounded(py(code), timeout=30, stdout_limit=100, stderr_limit=100)
    assert result.stdout.strip() == b"b''"


def test_a_child_that_never_reads_its_stdin_is_stopped_at_the_deadline():
    started = time.monotonic()
    with pytest.raises(ChildTimedOut):
        run_bounded(
            py("import time; time.sleep(60)"),
            stdin=b"v" * 1_000_000,
            timeout=1,
            stdout_limit=10,
            stderr_limit=10,
        )
    assert time.monotonic() - started < 10
