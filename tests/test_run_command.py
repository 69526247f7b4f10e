"""``leger run`` up to the exec, and the exec step itself (leger/exec_command.py).

In-process with a fake secrets API and a recording ``os.execvpe``: what
environment and argv the command gets, and what stops it from running. The exec
step's real behaviour (exit status, signals, 126/127) is checked in child
processes; tests/test_run_e2e.py does the same through the installed ``leger``.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

import pytest

import leger.commands.run.exec
from leger.commands.run import run
from leger.commands.run.exec import child_environment
from leger.envnames import Entry
from leger.errors import ExitCode, InputError
from tests.support.fake_secrets import FakeSecrets, fake_context


class Execed(Exception):
    """Raised by the recording execvpe: the process would have become the command."""

    def __init__(self, file: str, argv: list[str], env: dict[str, str]) -> None:
        super().__init__(file)
        self.file, self.argv, self.env = file, argv, env


@pytest.fixture
def execs(monkeypatch):
    def record(file, argv, env):
        raise Execed(file, argv, env)

    monkeypatch.setattr(leger.commands.run.exec.os, "execvpe", record)


INHERITED = {"PATH": "/usr/bin:/bin", "HOME": "/home/alice", "INHERITED": "kept"}


def run_with(api: FakeSecrets, command: list[str], only: str | None = None, **env: str) -> Execed:
    ctx, stdout, stderr = fake_context(api)
    ctx.environ = {**INHERITED, **env}
    with pytest.raises(Execed) as caught:
        run(ctx, command, only=only)
    assert stdout.getvalue() == b""
    assert stderr.getvalue() == ""
    return caught.value


def test_secrets_are_added_to_the_environment_leger_was_started_with(execs):
    api = FakeSecrets({"github-token": "gh", "openai_api_key": "sk\nmulti"})
    done = run_with(api, ["printenv", "--", "A B"], GITHUB_TOKEN="overridden")
    assert (done.file, done.argv) == ("printenv", ["printenv", "--", "A B"])
    assert done.env == {**INHERITED, "GITHUB_TOKEN": "gh", "OPENAI_API_KEY": "sk\nmulti"}
    assert api.calls == [("fetch_values", None)]


def test_only_passes_just_those_secrets(execs):
    api = FakeSecrets({"a": "1", "b": "2", "home": "/evil"})
    done = run_with(api, ["true"], only="b")
    assert api.calls == [("fetch_values", ["b"])]
    assert done.env == {**INHERITED, "B": "2"}


@pytest.mark.parametrize(
    ("store", "says"),
    [
        ({"github-token": "1", "GITHUB_TOKEN": "2"}, '"GITHUB_TOKEN" and "github-token" both'),
        ({"path": "/evil"}, '"path" would replace PATH'),
        ({"ld_preload": "/evil.so"}, '"ld_preload" would replace LD_PRELOAD'),
        ({"pythonpath": "/evil"}, '"pythonpath" would replace PYTHONPATH'),
        ({"bin": "a\0b"}, '"bin" contains one'),
    ],
)
def test_nothing_runs_when_a_secret_cannot_become_a_variable(execs, store, says):
    ctx, stdout, _ = fake_context(FakeSecrets(store))
    with pytest.raises(InputError) as caught:
        run(ctx, ["true"])
    assert says in caught.value.message
    assert "/evil" not in caught.value.message
    assert stdout.getvalue() == b""


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
