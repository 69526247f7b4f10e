"""The installed ``leger podman lookup``, run exactly as Podman runs it, when it cannot answer.

``env -i PATH=/usr/bin:/bin SECRET_ID=... /bin/sh -c "$lookup"``: no HOME,
terminal or locale. Each failure must end within LEGER_TIMEOUT, counted from
the start of the process, with one line on stderr; a hung lookup would block
a container's start for good (Podman sets no limit). With the local backend
stopped, the value it last fetched stands in, and the journal (stderr) says
how old it is: the boot-with-the-network-down case of Quadlet. Lookups that
succeed, through Podman itself, are in tests/e2e/test_secrets_sync.py.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from devtools.login_file import login_text, write_login
from devtools.processes import free_port
from leger.commands.podman_lookup.command_line import lookup_argv
from leger.podman import ShellDriver
from tests.fixtures.cli import Cli, installed_leger
from tests.fixtures.podman import run_as_podman_does
from tests.support.backend_process import local_backend
from tests.support.faulty import faulty_server, hang, respond, slow
from tests.support.flows import log_in_holding

SECRET_ID = "0123456789abcdef012345678"
# A timer thread wakes late on a busy machine; the process must still end about on time.
SLACK = 1.0


def stored_login(root: Path, server: str, *, expires_at: str = "2099-01-01T00:00:00+00:00") -> Path:
    """A login to ``server`` (REST routes) in ``root``/leger, as ``auth login`` leaves it."""
    text = login_text("stored-token", api_url=server, api_routes="rest", expires_at=expires_at)
    return write_login(root / "leger", text).parent


def lookup_command(server: str, config_dir: Path, name: str = "k") -> str:
    """The ``lookup`` option ``secrets sync --driver shell`` stores for ``name``."""
    argv = lookup_argv(str(installed_leger()), server, config_dir, config_dir / "cache", name)
    return ShellDriver.for_lookup(argv).lookup


def one_line(done: subprocess.CompletedProcess) -> str:
    assert (done.returncode, done.stdout) == (1, b"")
    text = done.stderr.decode()
    assert text.endswith("\n")
    assert text.count("\n") == 1, text
    return text[:-1]


def test_a_stopped_backend_is_one_line_at_once(tmp_path):
    server = f"http://127.0.0.1:{free_port()}"  # nothing listens: connection refused
    done, took = run_as_podman_does(
        lookup_command(server, stored_login(tmp_path, server)), SECRET_ID
    )
    line = one_line(done)
    assert line.startswith(f"leger: cannot read secret k from {server}: cannot connect to {server}")
    assert line.endswith(f"; run: LEGER_API_URL={server} leger secrets list")
    assert took < 10


def test_a_server_that_never_answers_is_cut_off_at_leger_timeout(tmp_path):
    with faulty_server(hang()) as server:
        command = lookup_command(server.url, stored_login(tmp_path, server.url))
        done, took = run_as_podman_does(command, SECRET_ID, "LEGER_TIMEOUT=2")
        assert len(server.requests) == 1
    assert one_line(done) == (
        f"leger: cannot read secret k from {server.url}: no answer within 2 s (LEGER_TIMEOUT); "
        f"run: LEGER_API_URL={server.url} leger secrets list"
    )
    assert 1.5 <= took < 2 + SLACK


def test_retries_cannot_add_up_past_leger_timeout(tmp_path):
    # Each attempt fits in the timeout; two of them do not.
    with faulty_server(slow(1.2, respond(503, b""))) as server:
        command = lookup_command(server.url, stored_login(tmp_path, server.url))
        done, took = run_as_podman_does(command, SECRET_ID, "LEGER_TIMEOUT=2")
    assert "no answer within 2 s (LEGER_TIMEOUT)" in one_line(done)
    assert len(server.requests) == 2
    assert took < 2 + SLACK


def test_an_expired_login_names_auth_login_and_sends_nothing(tmp_path):
    with faulty_server(hang()) as server:
        config_dir = stored_login(tmp_path, server.url, expires_at="2020-01-01T00:00:00+00:00")
        done, _ = run_as_podman_does(lookup_command(server.url, config_dir), SECRET_ID)
        assert server.requests == []
    assert one_line(done) == (
        f"leger: cannot read secret k from {server.url}: token expired; "
        f"run: LEGER_API_URL={server.url} leger auth login"
    )


@pytest.mark.parametrize("how", ["expire_all", "revoke_all"])
def test_a_login_the_server_no_longer_accepts_names_auth_login(cli, fresh_rest_backend, how):
    backend = fresh_rest_backend
    cli.use_api(backend.url)
    cli.env["LEGER_API_ROUTES"] = "rest"
    assert cli.run("auth", "login").returncode == 0
    assert cli.run("secrets", "set", "k", "v").returncode == 0
    command = lookup_command(backend.url, cli.config_dir)
    assert run_as_podman_does(command, SECRET_ID)[0].stdout == b"v"
    getattr(backend, how)()
    assert one_line(run_as_podman_does(command, SECRET_ID)[0]) == (
        f"leger: cannot read secret k from {backend.url}: leger.run rejected the token "
        f"(invalid or expired); run: LEGER_API_URL={backend.url} leger auth login"
    )


def test_a_stopped_backend_gets_the_last_value_from_the_cache(cli: Cli, tmp_path):
    with local_backend(tmp_path) as (backend, _):
        log_in_holding(cli, backend, {"k": "the-value"})
        command = lookup_command(backend.url, cli.config_dir)
        online, _ = run_as_podman_does(command, SECRET_ID)
        assert (online.returncode, online.stdout, online.stderr) == (0, b"the-value", b"")
    offline, took = run_as_podman_does(command, SECRET_ID)
    assert (offline.returncode, offline.stdout) == (0, b"the-value")
    assert re.fullmatch(
        rb"leger\.run unreachable \(Connection refused\); using secrets cached "
        rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(\d+s ago\)\n",
        offline.stderr,
    ), offline.stderr
    assert took < 10
