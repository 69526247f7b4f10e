"""``leger secrets export`` through the installed ``leger``, against the local backend.

On each route form: what reaches stdout (the data and nothing else), exit
codes, round trips of any valid value (export → import, export --format
shell → eval in sh, export → python-dotenv), and ``--format kube`` into the
real ``podman kube play``.
"""

from __future__ import annotations

import base64
import io
import json
import subprocess

import pytest
import yaml
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


# --- --format kube into the real podman kube play -------------------------------------------------
# Podman 4.3 turns a Secret manifest into one Podman secret named after
# ``metadata.name`` whose value is the whole Secret, re-written as YAML; its
# pods cannot read single keys of it (Podman bugs 16269 and 16623). So what is
# checked is what it can do: take the manifest from the pipe, and keep every
# value byte for byte.

UPSTREAM = {
    "openai_api_key": "sk-proj-abc123\n",
    "ssh_key": PEM,
    "unicode": "ünï 🙂 \\ \" ' $HOME `x` \t end",
}


@pytest.mark.podman
def test_podman_kube_play_makes_the_exported_secret(
    cli, podman_store, fresh_proxied_backend_any_form
):
    proxy = fresh_proxied_backend_any_form
    cli.use_api(proxy.url)
    cli.env["LEGER_API_ROUTES"] = proxy.backend.routes
    assert cli.run("auth", "login").returncode == 0
    for name, value in UPSTREAM.items():
        (cli.root / name).write_text(value, encoding="utf-8")
        assert cli.run("secrets", "set", name, f"@{cli.root / name}").returncode == 0

    exported = cli.run("secrets", "export", "--format", "kube", "--kube-name", "myapp-secrets")
    assert (exported.returncode, exported.stderr) == (0, "")
    played = podman_store.run("kube", "play", "-", stdin=exported.stdout)  # the pipe
    assert played.returncode == 0

    [(name, secret)] = podman_store.secrets().items()
    assert (name, secret["Driver"]) == ("myapp-secrets", "file")
    stored = yaml.safe_load(podman_store.values()["myapp-secrets"])
    assert (stored["kind"], stored["metadata"]["name"]) == ("Secret", "myapp-secrets")
    assert {
        key: base64.b64decode(text).decode() for key, text in stored["data"].items()
    } == UPSTREAM
