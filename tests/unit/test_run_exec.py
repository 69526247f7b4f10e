"""The exec step of ``leger run`` (leger/commands/run/exec.py).

The child's environment, then the real exec in a child Python: exit status,
signals, the process id, SIGPIPE, and 126/127 for what cannot be run.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

from leger.commands.run.exec import child_environment
from leger.envnames import Entry
from leger.errors import ExitCode


def test_child_environment_lets_secrets_win():
    env = child_environment({"A": "old", "B": "b"}, [Entry("a", "A", "new")])
    assert env == {"A": "new", "B": "b"}


# --- the real exec, in a child process ---------------------------------------------

DRIVER = textwrap.dedent(
    """
    import os, sys
    from leger.errors import LegerError
    from leger.commands.run.exec import exec_command
    try:
        exec_command(sys.argv[1:], dict(os.environ))
    except LegerError as error:
        sys.stderr.write(error.message + "\\n")
        sys.exit(error.exit_code)
    """
)


def exec_in_child(*argv: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", DRIVER, *argv], capture_output=True, check=False, **kwargs
    )


def test_the_commands_exit_status_is_the_processs():
    assert exec_in_child("sh", "-c", "exit 3").returncode == 3


def test_a_command_killed_by_a_signal_kills_the_process_with_it():
    result = exec_in_child("sh", "-c", "kill -TERM $$")
    assert result.returncode == -signal.SIGTERM


def test_the_command_keeps_the_process_id():
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER, "sh", "-c", "echo $$"], stdout=subprocess.PIPE
    )
    out, _ = proc.communicate()
    assert int(out) == proc.pid


def test_sigpipe_is_default_again_in_the_command():
    # Python ignores SIGPIPE; inherited, `yes` would complain about EPIPE.
    result = exec_in_child("sh", "-c", "yes | head -n 1")
    assert (result.returncode, result.stdout, result.stderr) == (0, b"y\n", b"")


def test_a_command_not_found_is_127_with_a_message():
    result = exec_in_child("leger-no-such-command-x")
    assert result.returncode == ExitCode.COMMAND_NOT_FOUND == 127
    assert result.stderr == b"leger-no-such-command-x: command not found\n"


def test_a_missing_path_is_127_no_such_file(tmp_path):
    result = exec_in_child(str(tmp_path / "nope"))
    assert result.returncode == 127
    assert result.stderr.endswith(b"nope: No such file or directory\n")


def test_a_file_that_is_not_executable_is_126(tmp_path):
    script = tmp_path / "script"
    script.write_text("#!/bin/sh\nexit 0\n")
    result = exec_in_child(str(script))
    assert result.returncode == ExitCode.CANNOT_EXECUTE == 126
    assert result.stderr.endswith(b"script: Permission denied\n")


def test_a_directory_is_126(tmp_path):
    assert exec_in_child(str(tmp_path)).returncode == 126


def test_an_empty_command_name_is_127():
    assert exec_in_child("").returncode == 127
