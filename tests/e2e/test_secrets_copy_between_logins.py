"""The README's copy recipe, between two logins: every name and value arrives exactly.

``leger secrets export --format json | leger secrets import --format json -``
(what ``| ssh host leger ...`` runs), from Alice's login to Bob's, two users of
one local backend, through the installed ``leger``, on each route form. The
JSON keeps secret names as they are, where a dotenv file would have renamed
them to variable names (``k_file`` -> ``K_FILE``).
"""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.fixtures.backend import BOB, LocalBackend
from tests.fixtures.cli import Cli, installed_leger
from tests.support.tailscale import TAILSCALE_FIXTURES
from tests.support.text import PEM
from tests.support.values import TRICKY


def names(routes: str) -> list[str]:
    """Names that differ in case, '-', '_' and (on REST) ':' without sharing a variable name."""
    base = ["k_file", "GitHub-Token", "MiXeD-case_9", "x-", "_lead", "9lives"]
    return base + (["db:url", "a:b:c"] if routes == "rest" else [])


def store(routes: str) -> dict[str, str]:
    values = [PEM, "line one\nline two\r\n", *TRICKY]
    chosen = {name: values[i] for i, name in enumerate(names(routes))}
    chosen |= {f"tricky_{i:03}": value for i, value in enumerate(TRICKY)}
    return chosen


def logged_in(cli: Cli, backend: LocalBackend) -> Cli:
    cli.use_api(backend.url)
    cli.env.pop("LEGER_API_ROUTES", None)  # as a user does: login finds the route form
    login = cli.run("auth", "login")
    assert login.returncode == 0, login.stderr
    return cli


def bob(tmp_path) -> Cli:
    """A second user's leger: its own config, and Bob's Tailscale identity."""
    status = json.loads((TAILSCALE_FIXTURES / "running.json").read_text())
    user_id = int(BOB["user_id"])
    status["Self"].update(ID=BOB["device_id"], HostName=BOB["device_hostname"], UserID=user_id)
    status["User"] = {str(user_id): {"ID": user_id, "LoginName": BOB["login_name"]}}
    status["CurrentTailnet"]["Name"] = BOB["tailnet"]
    root = tmp_path / "bob"
    root.mkdir()
    other = Cli(root, installed_leger())
    other.tailscale("raw:" + json.dumps(status))
    return other


def export_json(cli: Cli) -> dict[str, str]:
    result = cli.run("secrets", "export", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("routes", ["v0.1", "rest"])
def test_export_json_piped_to_import_json_copies_every_name_and_value(
    cli, tmp_path, request, routes
):
    backend = request.getfixturevalue("fresh_rest_backend" if routes == "rest" else "fresh_backend")
    alice = logged_in(cli, backend)
    secrets = store(routes)
    backend.seed(json.loads(alice.auth_file.read_text())["user_uuid"], secrets)
    receiver = logged_in(bob(tmp_path), backend)
    assert export_json(receiver) == {}

    exporting = subprocess.Popen(
        [str(alice.executable), "secrets", "export", "--format", "json"],
        env=alice.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    importing = subprocess.run(
        [str(receiver.executable), "secrets", "import", "--format", "json", "-"],
        env=receiver.env,
        stdin=exporting.stdout,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert exporting.stdout is not None
    exporting.stdout.close()
    assert exporting.wait(timeout=60) == 0, exporting.stderr.read() if exporting.stderr else ""
    assert importing.returncode == 0, importing.stderr
    assert importing.stdout.decode().endswith(
        f"Imported {len(secrets)}: {len(secrets)} created, 0 updated.\n"
    )
    assert export_json(receiver) == secrets
    assert export_json(alice) == secrets
