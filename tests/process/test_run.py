"""``leger run`` as a process: refusing to run (usage errors and no login), and the environment
it hands on.

Refusals stay processes: a leger that wrongly went on would exec the command in
place of the test run.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from leger.errors import ExitCode
from tests.fixtures.cli import installed_leger
from tests.support import wire
from tests.support.canned import canned_server


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["run", "true"], "Put '--' before the command"),
        (["run"], "Missing COMMAND after '--'"),
        (["run", "--onyl", "k", "--", "true"], "Unknown option '--onyl' for 'leger run'"),
    ],
)
def test_usage_errors_exit_2_and_run_nothing(cli, argv, says):
    result = cli.run(*argv)
    assert result.returncode == ExitCode.USAGE
    assert says in result.stderr
    assert result.stdout == b""


def test_without_a_login_nothing_runs(cli, tmp_path):
    marker = tmp_path / "ran"
    cli.env["LEGER_API_URL"] = "http://127.0.0.1:9"
    result = cli.run("run", "--", "touch", str(marker))
    assert result.returncode == ExitCode.AUTH_REQUIRED
    assert not marker.exists()


# --- it hands on the environment it was started with, not the one Python made of it ---------------
# With no locale set (cron, a bare systemd unit), Python's locale coercion
# (PEP 538) adds ``LC_CTYPE=C.UTF-8`` to its own environment; a command run by
# leger must not see it, or it reads text differently. Only a real process,
# started with a bare environment as ``env -i`` gives one, shows this.

COUNT = "printf 'été' | wc -m"
# Python's own view of a bare environment: what leger's process holds after start-up.
COERCED = "import os, sys; sys.stdout.write(os.environ.get('LC_CTYPE', '(none)'))"


def bare_env(url: str, home: str) -> dict[str, str]:
    """Only PATH, a private HOME and what leger needs: no locale variable at all."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": home,
        "LEGER_API_URL": url,
        "LEGER_API_ROUTES": "rest",
        "LEGER_TOKEN": wire.TOKEN,
    }


def run(argv: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(argv, env=env, capture_output=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.decode()


def test_a_command_reads_text_as_it_would_without_leger(tmp_path):
    value = {"name": "k", "value": "v", "version": 1, "created_at": "2026-11-27T09:30:00.000Z"}
    with canned_server() as server:
        server.respond_json(*wire.REST.list_answer([value]))
        env = bare_env(server.url, str(tmp_path))
        # The case this is about: Python does coerce here (so leger's own environment differs).
        assert run([sys.executable, "-c", COERCED], env) == "C.UTF-8"
        direct = run(["sh", "-c", COUNT], env)
        through_leger = run([str(installed_leger()), "run", "--", "sh", "-c", COUNT], env)
        variables = run([str(installed_leger()), "run", "--", "env"], env)
    assert through_leger == direct
    names = {line.split("=", 1)[0] for line in variables.splitlines()}
    assert names == {*env, "K"}  # what it was started with, and the secret
    assert "LC_CTYPE" not in names
