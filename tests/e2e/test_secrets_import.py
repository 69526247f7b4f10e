"""``leger secrets import`` through the installed ``leger``, against the local backend.

On each route form: what it creates and updates, a dry run, a file with
problems, and a backend that fails the third write (all or report); created or
updated said rightly for secrets beyond the 1000 the server lists; and the
README's copy recipe between two logins.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from leger.errors import ExitCode
from tests.fixtures.cli import Cli
from tests.fixtures.seeded import BEYOND, LISTED
from tests.support.flows import BOB_STATUS, another_cli, log_in_holding, stdout_of
from tests.support.roundtrip import read_back
from tests.support.text import PEM
from tests.support.values import TRICKY

# --- import -------------------------------------------------------------------------------

DOTENV = b"""\
# exported by hand
export API_KEY=plain
QUOTED="line one\\nline two"
SINGLE='single $HOME'
"""


def test_import_creates_and_updates_then_get_reads_back(seeded):
    cli = seeded({"API_KEY": "old"})
    result = cli.run("secrets", "import", "-", stdin=DOTENV.replace(b"\n", b"\r\n"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines() == [
        "Updated API_KEY (version 2)",
        "Created QUOTED (version 1)",
        "Created SINGLE (version 1)",
        "",
        "Imported 3: 2 created, 1 updated.",
    ]
    read_back(cli, "QUOTED", "line one\nline two", "import")
    read_back(cli, "SINGLE", "single $HOME", "import")


def test_dry_run_writes_nothing(seeded, routed_backend):
    cli = seeded({"API_KEY": "old"})
    result = cli.run("secrets", "import", "-", "--dry-run", stdin=DOTENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines() == [
        "Would update API_KEY",
        "Would create QUOTED",
        "Would create SINGLE",
        "",
        "Dry run: 2 to create, 1 to update; nothing was written.",
    ]
    assert routed_backend.state()["secrets"] == 1
    read_back(cli, "API_KEY", "old", "dry run")


def test_a_file_with_problems_writes_nothing_and_lists_them_all(seeded, routed_backend, tmp_path):
    cli = seeded({})
    path = tmp_path / "bad.env"
    path.write_bytes(b"GOOD=1\nEMPTY=\nsk-pasted-value\nGOOD=2\n")
    result = cli.run("secrets", "import", str(path))
    assert result.returncode == ExitCode.ERROR
    assert "3 problems; nothing was imported" in result.stderr
    assert "line 2 (EMPTY)" in result.stderr
    assert "line 3: no '='" in result.stderr
    assert "line 4 (GOOD): also set on line 1" in result.stderr
    assert "sk-pasted-value" not in result.stderr
    assert routed_backend.state()["secrets"] == 0


def test_a_server_that_fails_the_third_write_leaves_an_exact_report(seeded, routed_backend):
    cli = seeded({})
    routed_backend.fail_writes(after=2)
    result = cli.run("secrets", "import", "-", stdin=b"A=1\nB=2\nC=3\nD=4\nE=5\n")
    assert result.returncode == ExitCode.ERROR
    assert result.stdout.decode().splitlines() == [
        "Created A (version 1)",
        "Created B (version 1)",
    ]
    assert "The import stopped at C (line 3): " in result.stderr
    assert "  Written (2): A, B\n" in result.stderr
    assert "  Failed (1): C\n" in result.stderr
    assert "  Not attempted (2): D, E\n" in result.stderr
    routed_backend.fail_writes(after=None)
    assert sorted(routed_backend.names(routed_backend.login_data()["user_uuid"])) == ["A", "B"]


def test_import_verdicts_are_right_beyond_the_page(many, tmp_path):
    cli = many
    path = tmp_path / "in.env"
    path.write_text(f"{LISTED[1]}=new\n{BEYOND[-1]}=new\nzz_new=new\n")
    preview = cli.run("secrets", "import", str(path), "--dry-run")
    assert stdout_of(preview).decode().splitlines()[:3] == [
        f"Would update {LISTED[1]}",
        f"Would update {BEYOND[-1]}",
        "Would create zz_new",
    ]
    done = cli.run("secrets", "import", str(path))
    assert stdout_of(done).decode().splitlines()[:3] == [
        f"Updated {LISTED[1]} (version 2)",
        f"Updated {BEYOND[-1]} (version 2)",
        "Created zz_new (version 1)",
    ]
    assert stdout_of(cli.run("secrets", "get", BEYOND[-1])) == b"new"


# --- the README's copy recipe, between two logins: every name and value arrives exactly -----------
# ``leger secrets export --format json | leger secrets import --format json -``
# (what ``| ssh host leger ...`` runs), from Alice's login to Bob's, two users of
# one local backend, on each route form. The JSON keeps secret names as they
# are, where a dotenv file would have renamed them to variable names (``k_file`` -> ``K_FILE``).


def names(routes: str) -> list[str]:
    """Names that differ in case, '-', '_' and (on REST) ':' without sharing a variable name."""
    base = ["k_file", "GitHub-Token", "MiXeD-case_9", "x-", "_lead", "9lives"]
    return base + (["db:url", "a:b:c"] if routes == "rest" else [])


def store(routes: str) -> dict[str, str]:
    values = [PEM, "line one\nline two\r\n", *TRICKY]
    chosen = {name: values[i] for i, name in enumerate(names(routes))}
    chosen |= {f"tricky_{i:03}": value for i, value in enumerate(TRICKY)}
    return chosen


def export_json(cli: Cli) -> dict[str, str]:
    result = cli.run("secrets", "export", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("routes", ["v0.1", "rest"])
def test_export_json_piped_to_import_json_copies_every_name_and_value(
    cli, tmp_path, request, routes
):
    backend = request.getfixturevalue("fresh_rest_backend" if routes == "rest" else "fresh_backend")
    alice, secrets = cli, store(routes)
    log_in_holding(alice, backend, secrets)
    receiver = another_cli(tmp_path, "bob", BOB_STATUS)
    log_in_holding(receiver, backend, {}, "bob@example.com")
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
