"""``leger secrets export`` through the installed ``leger``, against the local backend.

On each route form: what reaches stdout (the data and nothing else), exit
codes, and round trips of any valid value (export → import, export --format
shell → eval in sh, export → python-dotenv).
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
from tests.support.flows import ok
from tests.support.text import PEM
from tests.support.values import BIGGEST, VALUES

ROUND_TRIP = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


STORE = {"openai_api_key": "sk-1", "github-token": "gh 'x' $HOME", "ssh_key": PEM}


# --- export ----------------------------------------------------------------------------


def test_export_writes_only_the_data_to_stdout_in_each_format(seeded):
    cli = seeded(STORE)
    dotenv_text = ok(cli.run("secrets", "export")).stdout.decode()
    assert dotenv_values(stream=io.StringIO(dotenv_text), interpolate=False) == {
        "GITHUB_TOKEN": "gh 'x' $HOME",
        "OPENAI_API_KEY": "sk-1",
        "SSH_KEY": PEM,
    }
    assert json.loads(ok(cli.run("secrets", "export", "--format", "json")).stdout) == STORE
    shell = ok(cli.run("secrets", "export", "--format=shell", "--only", "github-token")).stdout
    assert shell == b"export GITHUB_TOKEN='gh '\\''x'\\'' $HOME'\n"


def test_export_env_file_refuses_a_multi_line_value(seeded):
    cli = seeded(STORE)
    result = cli.run("secrets", "export", "--format", "env-file")
    assert result.returncode == ExitCode.ERROR
    assert result.stdout == b""
    assert '"ssh_key" has one' in result.stderr
    assert "secrets sync" in result.stderr
    only = cli.run("secrets", "export", "-f", "env-file", "-o", "openai_api_key,github-token")
    assert ok(only).stdout == b"GITHUB_TOKEN=gh 'x' $HOME\nOPENAI_API_KEY=sk-1\n"


def test_export_refuses_collisions_naming_both(seeded):
    result = seeded({"a-b": "1", "a_b": "2"}).run("secrets", "export")
    assert result.returncode == ExitCode.ERROR
    assert '"a-b" and "a_b" both become A_B' in result.stderr
    assert result.stdout == b""


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
    # Named as its variable: the import below updates it (a secret "src" next to
    # "SRC" would be refused, as run and export could not hold both).
    seed(routed_backend, routes, {"SRC": value})
    exported = ok(cli.run("secrets", "export", "--only", "SRC")).stdout
    # python-dotenv reads exactly the value back
    assert dotenv_values(stream=io.StringIO(exported.decode()), interpolate=False) == {"SRC": value}
    # leger secrets import stores exactly the value under the variable's name
    path = tmp_path_factory.mktemp("export") / "exported.env"
    path.write_bytes(exported)
    imported = cli.run("secrets", "import", str(path))
    assert imported.returncode == 0, imported.stderr
    assert stored_value(routed_backend, routes, "SRC") == value
    # eval in sh sets exactly the value (a NUL cannot be in a variable: refused)
    shell = cli.run("secrets", "export", "--format", "shell", "--only", "SRC")
    if "\0" in value:
        assert shell.returncode == ExitCode.ERROR
        assert '"SRC"' in shell.stderr
        return
    evaluated = subprocess.run(
        ["sh", "-c", 'eval "$1" && printf %s "$SRC"', "sh", ok(shell).stdout.decode()],
        capture_output=True,
        check=False,
    )
    assert (evaluated.returncode, evaluated.stdout) == (0, value.encode())
