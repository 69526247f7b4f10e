"""``leger run`` hands on the environment it was started with, not the one Python made of it.

With no locale set (cron, a bare systemd unit), Python's locale coercion
(PEP 538) adds ``LC_CTYPE=C.UTF-8`` to its own environment; a command run by
leger must not see it, or it reads text differently. Only a real process,
started with a bare environment as ``env -i`` gives one, shows this.
"""

from __future__ import annotations

import subprocess
import sys

from tests.fixtures.cli import installed_leger
from tests.support import wire
from tests.support.canned import canned_server

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
