"""``leger auth ...`` as a process: the real ``tailscale``, concurrent logins, the
process entry point (``--version``, settings from the environment, argv).

The rest of auth runs in-process in tests/test_auth_cli.py.
"""

from __future__ import annotations

import json
import subprocess
import time

import pytest

from devtools.processes import free_port
from leger import __version__
from tests.support import wire
from tests.support.canned import canned_server


def closed_port_url() -> str:
    """A loopback URL nothing listens on: any request would fail to connect."""
    return f"http://127.0.0.1:{free_port()}"


def test_login_sends_the_identity_tailscale_reports(cli):
    # The stand-in tailscale prints tests/data/tailscale/running.json.
    with canned_server() as server:
        server.respond_json(*wire.login_answer())
        result = cli.use_api(server.url).run("auth", "login")
    assert result.returncode == 0, result.stderr
    [request] = server.requests
    assert (request.method, request.path) == wire.V01.login
    assert json.loads(request.body) == {**wire.login_request(), "cli_version": __version__}
    assert cli.tailscale_calls.read_text() == "called\n"


@pytest.mark.parametrize(
    ("mode", "message", "hint"),
    [
        ("missing", "not installed", "https://tailscale.com/download"),
        ("daemon-down", "failed to connect to local tailscaled", "sudo tailscale up"),
        ("needs-login", "not logged in", "sudo tailscale up"),
        ("stopped", "Tailscale is stopped", "sudo tailscale up"),
        ("raw:this is not json", "not JSON", "tailscale status"),
        ('raw:{"BackendState": "Running"}', "Self is missing", "tailscale status"),
        ('raw:{"BackendState": "NeedsMachineAuth"}', "approval", "admin"),
        ('raw:{"BackendState": "Starting"}', "starting", "try again"),
    ],
)
def test_login_explains_each_tailscale_failure_and_sends_nothing(cli, mode, message, hint):
    cli.tailscale(mode)
    with canned_server() as server:
        server.respond_json(*wire.login_answer())
        result = cli.use_api(server.url).run("auth", "login")
    assert result.returncode == 1
    assert message in result.stderr
    assert hint in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == b""
    assert server.requests == []
    assert not cli.auth_file.exists()


def test_login_does_not_wait_forever_for_a_wedged_tailscale(cli):
    cli.tailscale("hang")
    started = time.monotonic()
    result = cli.use_api(closed_port_url()).run("auth", "login", env={"LEGER_TIMEOUT": "1"})
    assert time.monotonic() - started < 10
    assert result.returncode == 1
    assert "did not answer within 1 s" in result.stderr


def test_two_logins_at_once_leave_one_valid_file(cli, prism_mock):
    cli.use_api(prism_mock.url)
    procs = [
        subprocess.Popen(
            [str(cli.executable), "auth", "login"], env=cli.env, stdout=subprocess.PIPE
        )
        for _ in range(4)
    ]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0, 0]
    for proc in procs:
        proc.stdout.close()
    assert json.loads(cli.auth_file.read_text())["token"] == wire.EXAMPLE_TOKEN
    assert sorted(p.name for p in cli.config_dir.iterdir()) == ["auth.json"]


def test_version(cli):
    result = cli.run("--version")
    assert (result.returncode, result.out) == (0, f"leger {__version__}\n")


@pytest.mark.parametrize(("argv", "code"), [(("--help",), 0), (("frobnicate",), 2)])
def test_help_and_usage_errors_from_the_installed_leger(cli, argv, code):
    result = cli.run(*argv)
    assert result.returncode == code
    if code == 0:
        assert "leger" in result.out
        assert result.stderr == ""
    else:
        assert result.stdout == b""
        assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [("LEGER_TIMEOUT", "abc", "LEGER_TIMEOUT"), ("LEGER_TOKEN", "tok\nen", "cannot be sent")],
)
def test_a_bad_setting_in_the_environment_is_exit_2(cli, variable, value, says):
    result = cli.run("secrets", "list", env={variable: value})
    assert result.returncode == 2
    assert result.stderr.startswith("Error: ")
    assert says in result.stderr
    if variable == "LEGER_TOKEN":
        assert value not in result.stderr
    assert "Traceback" not in result.stderr
