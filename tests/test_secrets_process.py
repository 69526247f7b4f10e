"""``leger secrets ...`` as a process: what only the installed ``leger`` shows.

Real terminals (colour, no echo at the prompt, Ctrl-C, Ctrl-D), shells, closed
streams, the OS's argv, HOME, and memory limits. Everything else about these
commands runs in-process in tests/test_secrets_cli.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import subprocess
from collections.abc import Iterator

import pytest

from tests.support import wire
from tests.support.canned import Canned, canned_server
from tests.support.text import ESC, GREEN_CHECK, PEM
from tests.support.v01_front import v01_front


@pytest.fixture
def mocked(cli, prism_mock_v01):
    """A token, against the Prism mock (the contract's examples) as a v0.1 server."""
    cli.use_api(prism_mock_v01.url)
    cli.env["LEGER_TOKEN"] = wire.TOKEN
    return cli


@contextlib.contextmanager
def canned(cli) -> Iterator[Canned]:
    """A recording loopback server, with leger pointed at it and a token in LEGER_TOKEN.

    A v0.1 server: a front answers the probe leger sends before a v0.1 set.
    """
    with canned_server() as server, v01_front(server.url) as url:
        cli.use_api(url)
        cli.env["LEGER_TOKEN"] = wire.TOKEN
        yield server


@pytest.fixture
def live(cli, fresh_proxied_backend):
    """Logged in (stand-in tailscale) to an empty backend behind a validating Prism proxy."""
    cli.use_api(fresh_proxied_backend.url)
    login = cli.run("auth", "login")
    assert login.returncode == 0, login.stderr
    return cli


def get_value(cli, name: str) -> bytes:
    result = cli.run("secrets", "get", name)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


# --- a real terminal ---------------------------------------------------------------------------


def test_list_json_on_a_terminal_is_plain_json_too(mocked):
    code, output, stderr = mocked.terminal("secrets", "list", "--json").finish()
    assert code == 0, stderr
    assert json.loads(output.replace(b"\r\n", b"\n")) == [
        {**row, "label": None} for row in wire.EXAMPLE_ROWS
    ]
    assert ESC not in output


def test_list_on_a_terminal_is_the_same_table(mocked):
    code, output, stderr = mocked.terminal("secrets", "list").finish()
    assert code == 0, stderr
    assert output.replace(b"\r\n", b"\n") == wire.EXAMPLE_TABLE.encode()


def test_get_on_a_terminal_adds_no_newline_or_colour(mocked):
    code, output, stderr = mocked.terminal("secrets", "get", "openai_api_key").finish()
    assert (code, output, stderr) == (0, wire.EXAMPLE_VALUE.encode(), "")


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (("secrets", "set", "openai_api_key", "S3CRET-colour"), b"Secret updated"),
        (("secrets", "delete", "k", "--force"), b"Secret k deleted"),
    ],
)
def test_success_has_a_green_check_on_a_terminal(mocked, argv, line):
    code, output, stderr = mocked.terminal(*argv).finish()
    assert code == 0, stderr
    assert GREEN_CHECK + line in output
    assert stderr == ""


def test_no_color_on_a_terminal_means_plain(mocked):
    session = mocked.terminal(
        "secrets", "set", "openai_api_key", "S3CRET-colour", env={"NO_COLOR": "1"}
    )
    code, output, stderr = session.finish()
    assert code == 0, stderr
    assert output.startswith(b"Secret updated\r\n")
    assert ESC not in output
    assert "✓".encode() not in output


def test_prompt_on_a_terminal_reads_the_value_twice_without_echo(cli):
    value = "S3CRET typed at the prompt"
    with canned(cli) as server:
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
    with canned(cli) as server:
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
    with canned(cli) as server:
        server.respond_json(*wire.V01.set_answer("k", created=True))
        session = cli.terminal("secrets", "set", "k", "-")
        session.send(b"line one\nline two\n")
        session.send(b"\x04")
        code, _output, stderr = session.finish()
    assert code == 0, stderr
    assert "Ctrl-D" in stderr
    [request] = server.requests
    assert json.loads(request.body)["value"] == "line one\nline two"


@pytest.mark.parametrize(("answer", "deleted"), [(b"y\n", True), (b"\x04", False)])
def test_delete_on_a_terminal_asks_on_stderr(cli, answer, deleted):
    with canned(cli) as server:
        server.respond_json(*wire.V01.delete_answer("k"))
        session = cli.terminal("secrets", "delete", "k")
        session.send(answer)
        code, output, stderr = session.finish()
    assert code == 0, stderr
    if deleted:
        assert stderr == 'Delete secret "k"? [y/N] '
        assert GREEN_CHECK + b"Secret k deleted" in output
        assert [(r.method, r.path) for r in server.requests] == [wire.V01.delete("k")]
    else:
        assert stderr == 'Delete secret "k"? [y/N] Cancelled\n'
        assert b"deleted" not in output
        assert server.requests == []


# --- the OS: argv bytes, HOME, closed streams, memory --------------------------------------------


def test_argument_that_is_not_utf8_is_refused_before_any_request(cli):
    with canned(cli) as server:
        result = cli.run("secrets", "set", "k", "S3CRET-raw" + os.fsdecode(b"\xff"))
    assert result.returncode == 1
    assert "not valid UTF-8 text" in result.stderr
    assert server.requests == []


def test_missing_file_under_home_names_the_expanded_path(cli):
    with canned(cli) as server:
        result = cli.run("secrets", "set", "k", "@~/.ssh/id_missing")
    assert result.returncode == 1
    assert f"Cannot read {cli.home}/.ssh/id_missing" in result.stderr
    assert server.requests == []


@pytest.mark.parametrize("argv", [("secrets", "list"), ("secrets", "get", "openai_api_key")])
def test_works_with_stdin_closed(mocked, argv):
    # `leger secrets list <&-` (cron, some CI runners): stdin is not needed.
    proc = subprocess.run(
        [str(mocked.executable), *argv],
        capture_output=True,
        env=mocked.env,
        timeout=60,
        check=False,
        preexec_fn=lambda: os.close(0),
    )
    assert proc.returncode == 0, proc.stderr
    if argv[1] == "list":
        assert proc.stdout.decode().endswith("Total: 2 secrets\n")
    else:
        assert proc.stdout == wire.EXAMPLE_VALUE.encode()


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

    with canned(cli) as server, contextlib.ExitStack() as stack:
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


def shell_env(cli, **extra: str) -> dict[str, str]:
    return {**cli.env, "PATH": f"{cli.executable.parent}:{cli.env['PATH']}", **extra}


def test_echo_into_set_stores_what_was_echoed(live):
    # The documented shell idiom, through a real shell.
    value = "S3CRET multi\nline"
    script = 'printf "%s\\n" "$V" | leger secrets set k -'
    proc = subprocess.run(
        ["/bin/sh", "-c", script],
        env=shell_env(live, V=value),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert value.encode() not in proc.stdout + proc.stderr
    assert get_value(live, "k") == value.encode()


def test_get_is_byte_exact_through_a_shell(live, tmp_path):
    value = "S3CRET \"quoted\" 'single' $dollar `tick` 😀"
    assert live.run("secrets", "set", "k", value).returncode == 0
    out = tmp_path / "out"
    script = 'leger secrets get k > "$OUT" && X=$(leger secrets get k) && printf %s "$X"'
    proc = subprocess.run(
        ["/bin/sh", "-c", script],
        env=shell_env(live, OUT=str(out)),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == value.encode()
    assert proc.stdout == value.encode()
    assert proc.stderr == b""


def test_file_under_home_round_trip(live):
    ssh = live.home / ".ssh"
    ssh.mkdir()
    (ssh / "id_ed25519").write_text(PEM)
    result = live.run("secrets", "set", "ssh_key", "@~/.ssh/id_ed25519")
    assert result.returncode == 0, result.stderr
    assert PEM.strip() not in result.out + result.stderr
    assert get_value(live, "ssh_key") == PEM.encode()
