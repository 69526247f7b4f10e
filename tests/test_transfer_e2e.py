"""``leger secrets export`` and ``leger secrets import`` through the installed ``leger``.

Against the local backend on each route form: what reaches stdout (the data
and nothing else), exit codes, round trips of any valid value (export → import,
export --format shell → eval in sh, export → python-dotenv), import's
all-or-report behaviour, and how many requests each command makes.
"""

from __future__ import annotations

import io
import json
import subprocess

import pytest
from dotenv import dotenv_values
from hypothesis import HealthCheck, example, given, settings

from leger.errors import ExitCode
from tests.fixtures.seeded import seed, stored_value
from tests.support.text import PEM
from tests.support.values import BIGGEST, VALUES

ROUND_TRIP = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
STORE = {"openai_api_key": "sk-1", "github-token": "gh 'x' $HOME", "ssh_key": PEM}


def ok(result) -> bytes:
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


# --- export ----------------------------------------------------------------------------


def test_export_writes_only_the_data_to_stdout_in_each_format(seeded):
    cli = seeded(STORE)
    dotenv_text = ok(cli.run("secrets", "export")).decode()
    assert dotenv_values(stream=io.StringIO(dotenv_text), interpolate=False) == {
        "GITHUB_TOKEN": "gh 'x' $HOME",
        "OPENAI_API_KEY": "sk-1",
        "SSH_KEY": PEM,
    }
    assert json.loads(ok(cli.run("secrets", "export", "--format", "json"))) == STORE
    shell = ok(cli.run("secrets", "export", "--format=shell", "--only", "github-token"))
    assert shell == b"export GITHUB_TOKEN='gh '\\''x'\\'' $HOME'\n"


def test_export_env_file_refuses_a_multi_line_value(seeded):
    cli = seeded(STORE)
    result = cli.run("secrets", "export", "--format", "env-file")
    assert result.returncode == ExitCode.ERROR
    assert result.stdout == b""
    assert '"ssh_key" has one' in result.stderr
    assert "secrets sync" in result.stderr
    only = cli.run("secrets", "export", "-f", "env-file", "-o", "openai_api_key,github-token")
    assert ok(only) == b"GITHUB_TOKEN=gh 'x' $HOME\nOPENAI_API_KEY=sk-1\n"


def test_export_refuses_collisions_naming_both(seeded):
    result = seeded({"a-b": "1", "a_b": "2"}).run("secrets", "export")
    assert result.returncode == ExitCode.ERROR
    assert '"a-b" and "a_b" both become A_B' in result.stderr
    assert result.stdout == b""


def test_an_unknown_format_is_a_usage_error(cli):
    result = cli.run("secrets", "export", "--format", "yaml")
    assert result.returncode == ExitCode.USAGE
    assert "dotenv, shell, json, env-file" in result.stderr


# --- round trips of any value ------------------------------------------------------------


@pytest.fixture
def logged_in(seeded):
    return seeded({})


@ROUND_TRIP
@given(value=VALUES)
@example(value=PEM)
@example(value="a\x00b")
@example(value="\r\n'\"\\$`")
@example(value=BIGGEST)
def test_any_value_round_trips_through_export_and_import(
    logged_in, routes, routed_backend, tmp_path_factory, value
):
    cli = logged_in
    seed(routed_backend, routes, {"src": value})
    exported = ok(cli.run("secrets", "export", "--only", "src"))
    # python-dotenv reads exactly the value back
    assert dotenv_values(stream=io.StringIO(exported.decode()), interpolate=False) == {"SRC": value}
    # leger secrets import stores exactly the value under the variable's name
    path = tmp_path_factory.mktemp("export") / "exported.env"
    path.write_bytes(exported)
    imported = cli.run("secrets", "import", str(path))
    assert imported.returncode == 0, imported.stderr
    assert stored_value(routed_backend, routes, "SRC") == value
    # eval in sh sets exactly the value (a NUL cannot be in a variable: refused)
    shell = cli.run("secrets", "export", "--format", "shell", "--only", "src")
    if "\0" in value:
        assert shell.returncode == ExitCode.ERROR
        assert '"src"' in shell.stderr
        return
    evaluated = subprocess.run(
        ["sh", "-c", 'eval "$1" && printf %s "$SRC"', "sh", ok(shell).decode()],
        capture_output=True,
        check=False,
    )
    assert (evaluated.returncode, evaluated.stdout) == (0, value.encode())


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
    assert ok(cli.run("secrets", "get", "QUOTED")) == b"line one\nline two"
    assert ok(cli.run("secrets", "get", "SINGLE")) == b"single $HOME"


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
    assert ok(cli.run("secrets", "get", "API_KEY")) == b"old"


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


def test_a_missing_file_is_an_error(cli, tmp_path):
    result = cli.run("secrets", "import", str(tmp_path / "nope.env"))
    assert result.returncode == ExitCode.ERROR
    assert "Cannot read" in result.stderr


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


# --- how many requests -------------------------------------------------------------------

HUNDRED = {f"secret_{i:03}": f"value {i}" for i in range(100)}


def requests_made(backend, run) -> list[tuple[str, str, str]]:
    """The API requests ``run()`` made, as (method, path, query)."""
    before = len(backend.requests())
    result = run()
    assert result.returncode == 0, result.stderr
    return [(r["method"], r["path"], r["query"]) for r in backend.requests()[before:]]


@pytest.mark.parametrize("command", [("secrets", "export"), ("run", "--", "true")])
def test_fetching_every_secret_takes_one_request_on_rest_one_list_and_gets_on_v01(
    seeded, routed_backend, routes, command
):
    cli = seeded(HUNDRED)
    made = requests_made(routed_backend, lambda: cli.run(*command))
    if routes == "rest":
        assert made == [("GET", "/secrets", "include_values=true")]
    else:
        assert made[0] == ("GET", "/secrets/list", "")
        assert sorted(made[1:]) == [("GET", f"/secrets/get/{name}", "") for name in HUNDRED]


def test_only_filters_on_the_client_on_rest_and_gets_just_those_on_v01(
    seeded, routed_backend, routes
):
    cli = seeded(HUNDRED)
    made = requests_made(
        routed_backend, lambda: cli.run("run", "--only", "secret_007,secret_042", "--", "true")
    )
    if routes == "rest":
        assert made == [("GET", "/secrets", "include_values=true")]
    else:
        assert made[0] == ("GET", "/secrets/list", "")
        assert sorted(made[1:]) == [
            ("GET", "/secrets/get/secret_007", ""),
            ("GET", "/secrets/get/secret_042", ""),
        ]
