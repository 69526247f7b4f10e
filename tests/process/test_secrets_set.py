"""``leger secrets set`` as a process: what only the installed ``leger`` shows.

Real terminals (colour, no echo at the prompt, Ctrl-C, Ctrl-D), shells, closed
streams, the OS's argv, HOME and memory limits, and tricky values through the
OS's argv and a pipe. Everything else about the command runs in-process in
tests/cli/test_secrets_set.py.
"""

from __future__ import annotations

import contextlib
import json
import resource
import subprocess

import pytest

from tests.support import wire
from tests.support.roundtrip import check_set, positionals, read_back
from tests.support.text import PEM


@pytest.mark.parametrize("how", ["argument", "stdin"])
def test_tricky_values_round_trip_through_the_installed_leger(cli, fresh_proxied_backend, how):
    cli.use_api(fresh_proxied_backend.url)
    assert cli.run("auth", "login").returncode == 0
    values = ["--help", "[1, 2]", "a\r\nb\r\n", "👩‍👩‍👧", "e\u0301", "\u202eright-to-left", PEM]
    for index, value in enumerate(values):
        name = f"k{index}"
        if how == "argument":
            result = cli.run("secrets", "set", *positionals(name, value))
        else:
            result = cli.run("secrets", "set", name, "-", stdin=value.encode("utf-8") + b"\n")
        check_set(result, how)
        read_back(cli, name, value, how)


def test_prompt_on_a_terminal_reads_the_value_twice_without_echo(cli):
    value = "S3CRET typed at the prompt"
    with cli.canned() as server:
        server.respond_json(*wire.V01.set_answer("k", created=True))
        session = cli.terminal("secrets", "set", "k")
        session.expect(b"Secret value: ")
        session.send(value.encode() + b"\n")
        session.expect(b"Secret value (again): ")
        session.send(value.encode() + b"\n")
        code, output, stderr = session.finish()
    assert code == 0, stderr
    assert value.encode() not in output  # the terminal did not echo it
    assert value not in stderr
    assert b"Secret created" in output
    [request] = server.requests
    assert json.loads(request.body) == wire.V01.set_body("k", value)


def test_ctrl_c_at_the_prompt_stores_nothing_and_exits_130(cli):
    with cli.canned() as server:
        session = cli.terminal("secrets", "set", "k")
        session.expect(b"Secret value: ")
        session.send(b"S3CRET-half\x03")
        code, output, stderr = session.finish()
    assert code == 130
    assert "Traceback" not in stderr
    assert "S3CRET-half" not in stderr
    assert b"S3CRET-half" not in output
    assert server.requests == []


def test_dash_on_a_terminal_reads_until_ctrl_d(cli):
    with cli.canned() as server:
        server.respond_json(*wire.V01.set_answer("k", created=True))
        session = cli.terminal("secrets", "set", "k", "-")
        session.send(b"line one\nline two\n")
        session.send(b"\x04")
        code, _output, stderr = session.finish()
    assert code == 0, stderr
    assert "Ctrl-D" in stderr
    [request] = server.requests
    assert json.loads(request.body)["value"] == "line one\nline two"


def test_missing_file_under_home_names_the_expanded_path(cli):
    with cli.canned() as server:
        result = cli.run("secrets", "set", "k", "@~/.ssh/id_missing")
    assert result.returncode == 1
    assert f"Cannot read {cli.home}/.ssh/id_missing" in result.stderr
    assert server.requests == []


@pytest.mark.parametrize(
    ("argv", "stdin"),
    [(["secrets", "set", "k", "-"], "/dev/zero"), (["secrets", "set", "k", "@/dev/zero"], None)],
)
def test_endless_input_is_refused_as_too_large_within_a_memory_cap(cli, argv, stdin):
    # `yes | leger secrets set k -` or `@/dev/zero` must end with the size rule,
    # not exhaust memory: a runaway read fails under the cap instead.
    cap = 1536 * 1024 * 1024

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    with cli.canned() as server, contextlib.ExitStack() as stack:
        source = stack.enter_context(open(stdin, "rb")) if stdin else subprocess.DEVNULL
        proc = subprocess.run(
            [str(cli.executable), *argv],
            stdin=source,
            capture_output=True,
            env=cli.env,
            timeout=60,
            check=False,
            preexec_fn=limit,
        )
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 1, stderr
    assert "The secret value is too large" in stderr, stderr
    assert server.requests == []


# --- shells, against the stateful backend ---------------------------------------------------------


def test_echo_into_set_stores_what_was_echoed(live_cli):
    # The documented shell idiom, through a real shell.
    value = "S3CRET multi\nline"
    script = 'printf "%s\\n" "$V" | leger secrets set k -'
    proc = subprocess.run(
        ["/bin/sh", "-c", script],
        env=live_cli.shell_env(V=value),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert value.encode() not in proc.stdout + proc.stderr
    read_back(live_cli, "k", value, "echo")


def test_file_under_home_round_trip(live_cli):
    ssh = live_cli.home / ".ssh"
    ssh.mkdir()
    (ssh / "id_ed25519").write_text(PEM)
    result = live_cli.run("secrets", "set", "ssh_key", "@~/.ssh/id_ed25519")
    assert result.returncode == 0, result.stderr
    assert PEM.strip() not in result.out + result.stderr
    read_back(live_cli, "ssh_key", PEM, "@file")
