"""``leger run`` through the installed ``leger``, against the local backend.

What only a process shows: the command's environment, that leger becomes the
command (same process id, signals delivered to it, its exit status or the
signal that killed it is what the caller sees), 126/127, and that nothing of
leger's reaches stdout. Each test runs on both route forms of the backend.

And the offline cache end to end, as a new user meets it: logged in with
``auth login``, against the local backend stopped, killed mid-run, answering
500 (a fault-injecting server: the backend fails only writes) and answering 401.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from leger.errors import ExitCode
from tests.fixtures.backend import LocalBackend
from tests.fixtures.cli import Cli
from tests.support import faulty, wire
from tests.support.backend_process import local_backend
from tests.support.flows import cache_entries, log_in_holding

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


# --- the offline cache, as a new user meets it ----------------------------------------------------

STORE = {"alpha": "A-value", "beta": "B-value"}
SHOW = 'printf "%s %s" "$ALPHA" "$BETA"; exit 3'  # the command's exit status is 3
FALLBACK = re.compile(
    r"leger\.run unreachable \((?P<reason>[^)]+)\); "
    r"using secrets cached \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \((?P<age>\d+[smhd]( \d+[smh])?) ago\)\n"
)


def run_show(cli: Cli, *options: str):
    return cli.run("run", *options, "--", "sh", "-c", SHOW)


def cached_run(cli: Cli, *options: str) -> str:
    """Run with leger.run unreachable: the cached values, the command's status; the reason."""
    result = run_show(cli, *options)
    assert (result.returncode, result.out) == (3, "A-value B-value"), result.stderr
    matched = FALLBACK.fullmatch(result.stderr)
    assert matched, result.stderr
    return matched["reason"]


def test_with_the_backend_stopped_the_cache_stands_in(cli, tmp_path):
    with local_backend(tmp_path) as (backend, _):
        log_in_holding(cli, backend, STORE)
        online = run_show(cli)
        assert (online.returncode, online.out, online.stderr) == (3, "A-value B-value", "")
    assert cached_run(cli, "--max-age", "1h") == "Connection refused"
    get = cli.run("secrets", "get", "beta")
    assert (get.returncode, get.stdout) == (0, b"B-value")
    [entry] = cache_entries(cli)
    assert (entry["this_login"], entry["complete"], entry["count"]) == (True, True, 2)
    offline = cli.run("secrets", "export", "--offline", "--format", "json")
    assert json.loads(offline.stdout) == STORE


def test_with_the_backend_killed_mid_run_the_cache_stands_in(cli, tmp_path):
    with local_backend(tmp_path, "--latency", "1500") as (backend, proc):
        log_in_holding(cli, backend, STORE)
        assert run_show(cli).returncode == 3
        waiting = subprocess.Popen(
            [str(cli.executable), "run", "--", "sh", "-c", SHOW],
            env=cli.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(0.7)  # leger's request is in the backend, waiting out its latency
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = waiting.communicate(timeout=60)
    assert (waiting.returncode, out) == (3, b"A-value B-value"), err
    assert FALLBACK.fullmatch(err.decode()), err


def test_with_the_server_answering_500_the_cache_stands_in(cli):
    values = faulty.json_response(*wire.REST.values_answer(STORE))
    failing = faulty.json_response(500, wire.error("internal_error", "Something broke."))
    with faulty.faulty_server(values, failing) as server:
        cli.use_api(server.url).env.update(LEGER_TOKEN="ci-token", LEGER_API_ROUTES="rest")
        assert run_show(cli).returncode == 3
        assert cached_run(cli) == "HTTP 500"
    assert len(server.requests) == 2


@pytest.mark.parametrize("reject", [LocalBackend.revoke_all, LocalBackend.expire_all])
def test_with_the_backend_answering_401_the_cache_is_removed_not_used(cli, tmp_path, reject):
    with local_backend(tmp_path) as (backend, _):
        log_in_holding(cli, backend, STORE)
        assert run_show(cli).returncode == 3
        assert len(cache_entries(cli)) == 1
        reject(backend)
        result = run_show(cli)
        assert (result.returncode, result.out) == (ExitCode.AUTH_REQUIRED, "")
        assert result.stderr.startswith(
            f"Warning: {backend.url} rejected the login: removed its offline cache\n"
            "Error: leger.run rejected the token"
        )
        assert cache_entries(cli) == []
    after = run_show(cli)
    assert after.returncode == ExitCode.ERROR
    assert after.stderr.startswith(f"Error: Cannot connect to {backend.url}")


def test_offline_sends_nothing_to_a_server_nor_to_an_unreachable_url(cli):
    values = faulty.json_response(*wire.REST.values_answer(STORE))
    with faulty.faulty_server(values, faulty.close_at_once()) as server:
        cli.use_api(server.url).env.update(LEGER_TOKEN="ci-token", LEGER_API_ROUTES="rest")
        assert run_show(cli).returncode == 3
        for argv, status in (
            (("run", "--offline", "--", "sh", "-c", SHOW), 3),
            (("secrets", "export", "--offline"), 0),
            (("secrets", "get", "alpha", "--offline"), 0),
        ):
            assert cli.run(*argv).returncode == status, argv
        assert len(server.requests) == 1  # the run that filled the cache, nothing since
    # Now nothing listens there at all.
    offline = cli.run("run", "--offline", "--", "sh", "-c", SHOW)
    assert (offline.returncode, offline.out) == (3, "A-value B-value")
    assert offline.stderr.startswith("leger.run not asked (--offline); using secrets cached ")
    assert cached_run(cli) == "Connection refused"
