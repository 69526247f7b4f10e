"""``leger run`` through the installed ``leger``, against the local backend.

What only a process shows: the command's environment, that leger becomes the
command (same process id, signals delivered to it, its exit status or the
signal that killed it is what the caller sees), 126/127, and that nothing of
leger's reaches stdout. Each test runs on both route forms of the backend.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap

import pytest

from leger.errors import ExitCode

DUMP_ENV = "import json, os, sys; sys.stdout.write(json.dumps(dict(os.environ)))"


SIGNALLED = textwrap.dedent(
    """
    import os, signal, time
    def stop(signum, frame):
        os.write(1, f"got {signum}\\n".encode())
        os._exit(40 + signum)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    os.write(1, f"{os.getpid()} {os.environ['TOKEN']}\\n".encode())
    time.sleep(60)
    os._exit(99)
    """
)


def env_of(result) -> dict[str, str]:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_secrets_become_variables_over_the_inherited_environment(seeded, routes):
    store = {"github-token": "gh-1", "openai_api_key": "sk\n'multi' $x"}
    if routes == "rest":  # ':' is a REST-form name only
        store["db:url"] = "pg"
    cli = seeded(store)
    result = cli.run("run", "--", sys.executable, "-c", DUMP_ENV, env={"GITHUB_TOKEN": "old"})
    env = env_of(result)
    assert env["GITHUB_TOKEN"] == "gh-1"
    assert env["OPENAI_API_KEY"] == "sk\n'multi' $x"
    assert env["HOME"] == str(cli.home)
    assert env["PATH"] == cli.env["PATH"]
    assert env.get("DB_URL") == store.get("db:url")
    # exactly the environment leger was started with, plus the secrets
    assert set(env) - set(cli.env) - {"GITHUB_TOKEN", "OPENAI_API_KEY", "DB_URL"} <= {"PWD"}
    assert result.stderr == ""


def test_only_passes_just_the_named_secrets(seeded):
    cli = seeded({"a": "1", "b": "2", "c": "3"})
    env = env_of(cli.run("run", "--only", "a,c", "--", sys.executable, "-c", DUMP_ENV))
    assert (env.get("A"), env.get("B"), env.get("C")) == ("1", None, "3")


def test_everything_after_double_dash_reaches_the_command_untouched(seeded):
    cli = seeded({"k": "v"})
    args = ["--only", "x", "--help", "-h", "--", "123", "None", "[1]", "it's", "a\nb", "-"]
    code = "import json, sys; sys.stdout.write(json.dumps(sys.argv[1:]))"
    result = cli.run("run", "--", sys.executable, "-c", code, *args)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == args


@pytest.mark.parametrize(
    ("store", "says"),
    [
        ({"github-token": "1", "GITHUB_TOKEN": "2"}, '"GITHUB_TOKEN" and "github-token" both'),
        ({"path": "/evil"}, '"path" would replace PATH'),
        ({"ld_preload": "/evil.so"}, '"ld_preload" would replace LD_PRELOAD'),
        ({"pythonstartup": "/evil.py"}, '"pythonstartup" would replace PYTHONSTARTUP'),
    ],
)
def test_collisions_and_reserved_names_run_nothing(seeded, tmp_path, store, says):
    cli = seeded(store)
    marker = tmp_path / "ran"
    result = cli.run("run", "--", "touch", str(marker))
    assert result.returncode == ExitCode.ERROR
    assert says in result.stderr
    assert "/evil" not in result.stderr
    assert result.stdout == b""
    assert not marker.exists()


def test_only_can_leave_a_reserved_name_out(seeded):
    cli = seeded({"path": "/evil", "token": "t"})
    env = env_of(cli.run("run", "--only", "token", "--", sys.executable, "-c", DUMP_ENV))
    assert env["TOKEN"] == "t"
    assert env["PATH"] == cli.env["PATH"]


def test_the_commands_exit_status_is_leger_runs(seeded):
    cli = seeded({"k": "v"})
    result = cli.run("run", "--", "sh", "-c", "echo out; echo err >&2; exit 3")
    assert (result.returncode, result.stdout, result.stderr) == (3, b"out\n", "err\n")


def test_a_command_killed_by_sigterm_is_reported_as_such(seeded):
    cli = seeded({"k": "v"})
    result = cli.run("run", "--", "sh", "-c", "kill -TERM $$")
    assert result.returncode == -signal.SIGTERM
    # and a shell sees 128 + 15
    shell = subprocess.run(
        ["sh", "-c", '"$0" run -- sh -c "kill -TERM \\$\\$"; echo "status $?"', cli.executable],
        env=cli.env,
        capture_output=True,
        check=False,
    )
    assert shell.stdout.endswith(b"status 143\n")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_sent_to_leger_runs_pid_reaches_the_command(seeded, signum):
    cli = seeded({"token": "t0k"})
    proc = subprocess.Popen(
        [str(cli.executable), "run", "--", sys.executable, "-c", SIGNALLED],
        env=cli.env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        assert proc.stderr is not None
        first = proc.stdout.readline().split()
        assert first == [str(proc.pid).encode(), b"t0k"], proc.stderr.read()
        proc.send_signal(signum)
        rest, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
        proc.wait()
    assert (proc.returncode, rest, err) == (40 + signum, f"got {int(signum)}\n".encode(), b"")


def test_a_command_not_found_is_127(seeded):
    result = seeded({"k": "v"}).run("run", "--", "leger-no-such-command")
    assert result.returncode == 127
    assert result.stderr.startswith("Error: leger-no-such-command: command not found\n")
    assert result.stdout == b""


def test_a_command_that_cannot_be_executed_is_126(seeded, tmp_path):
    script = tmp_path / "not-executable"
    script.write_text("#!/bin/sh\necho hi\n")
    result = seeded({"k": "v"}).run("run", "--", str(script))
    assert result.returncode == 126
    assert "not-executable: Permission denied" in result.stderr


def test_nothing_of_legers_goes_to_stdout(seeded):
    result = seeded({"k": "v"}).run("run", "--", "true")
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", "")


def test_a_missing_secret_in_only_runs_nothing(seeded, tmp_path):
    marker = tmp_path / "ran"
    result = seeded({"k": "v"}).run("run", "--only", "k,nope", "--", "touch", str(marker))
    assert result.returncode == ExitCode.ERROR
    assert "nope" in result.stderr
    assert not marker.exists()
