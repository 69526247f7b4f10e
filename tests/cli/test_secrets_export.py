"""``leger secrets export`` as whole command lines, in-process, on both route forms: each
format, ``--format kube [--kube-name NAME]``, and the offline cache.

What each format promises for any value is tested on the formats module
(tests/unit/test_secrets_export_formats.py), the command's rules with the fake
API (tests/unit/test_secrets_export.py), and the installed leger against the
local backend (and ``podman kube play`` of a manifest) in tests/e2e/test_secrets_export.py.
"""

from __future__ import annotations

import base64
import io
import json
from datetime import timedelta

import pytest
import yaml
from dotenv import dotenv_values

from leger.errors import ExitCode
from tests.support import wire
from tests.support.clock import NOW
from tests.support.httpmock import each_form
from tests.support.inprocess import Leger

STORE = {"github-token": "gh 'x' $HOME", "openai_api_key": "sk-1"}


@each_form
def test_each_format_prints_the_values_and_nothing_else(authed, form):
    for _ in range(3):
        authed.speaks(form).holds(STORE)
    dotenv = authed.run("secrets", "export")
    as_json = authed.run("secrets", "export", "--format", "json")
    env_file = authed.run("secrets", "export", "-f", "env-file")
    for result in (dotenv, as_json, env_file):
        assert (result.exit_code, result.stderr) == (0, ""), result.stderr
    assert dotenv_values(stream=io.StringIO(dotenv.out), interpolate=False) == {
        "GITHUB_TOKEN": "gh 'x' $HOME",
        "OPENAI_API_KEY": "sk-1",
    }
    assert json.loads(as_json.stdout) == STORE
    assert env_file.out == "GITHUB_TOKEN=gh 'x' $HOME\nOPENAI_API_KEY=sk-1\n"


def test_only_gets_just_the_named_secrets_on_v0_1(authed):
    authed.server.has_secret("openai_api_key", "sk-1")
    result = authed.run("secrets", "export", "--format", "shell", "--only", "openai_api_key")
    assert (result.exit_code, result.out, result.stderr) == (
        0,
        "export OPENAI_API_KEY='sk-1'\n",
        "",
    )
    assert wire.V01.get("github-token") not in authed.registry.sent()


def test_a_secret_that_cannot_be_a_variable_writes_nothing(authed):
    authed.server.holds({"a-b": "1", "a_b": "2"})
    result = authed.run("secrets", "export")
    assert result.exit_code == ExitCode.ERROR
    assert '"a-b" and "a_b" both become A_B' in result.stderr
    assert result.stdout == b""


def test_an_unknown_format_is_a_usage_error(leger):
    result = leger.run("secrets", "export", "--format", "yaml")
    assert result.returncode == ExitCode.USAGE
    assert "dotenv, shell, json, env-file" in result.stderr
    assert result.stdout == b""


# --- --format kube --------------------------------------------------------------------------------

VALUES = {
    "openai_api_key": "sk-proj-abc123\n",
    "github-token": "gh 'x' \"y\" ünï 🙂",
    "tls_key": "-----BEGIN KEY-----\nAAAA\n-----END KEY-----\n",
    "on": "a key YAML 1.1 would read as true",
}


def rest_holds(leger, values: dict[str, str]) -> None:
    """A REST leger.run whose one list with values answers ``values``."""
    secret_values = {name: leger.secret(value) for name, value in values.items()}
    leger.with_token().speaks(wire.REST).lists_values(secret_values)


def decoded(manifest: bytes) -> tuple[dict, dict[str, str]]:
    document = yaml.safe_load(manifest)
    data = {key: base64.b64decode(text).decode() for key, text in document.pop("data").items()}
    return document, data


def test_one_secret_manifest_keyed_by_secret_names_in_one_request(leger):
    rest_holds(leger, VALUES)
    result = leger.run("secrets", "export", "--format", "kube")
    assert (result.exit_code, result.stderr) == (0, "")
    document, data = decoded(result.stdout)
    assert document == {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "leger-secrets"},
        "type": "Opaque",
    }
    assert data == VALUES
    assert list(data) == sorted(VALUES)
    assert leger.registry.sent() == [wire.REST.list]


def test_kube_name_names_the_secret_and_only_picks_the_keys(leger):
    rest_holds(leger, VALUES)
    result = leger.run(
        "secrets", "export", "--format=kube", "--kube-name", "myapp.prod", "--only", "on,tls_key"
    )
    assert result.exit_code == 0, result.stderr
    document, data = decoded(result.stdout)
    assert document["metadata"] == {"name": "myapp.prod"}
    assert data == {"on": VALUES["on"], "tls_key": VALUES["tls_key"]}


def test_a_name_that_is_not_a_kubernetes_key_is_an_error_naming_it(leger):
    rest_holds(
        leger, {"db:url": "postgres://u:p@h/db", "team:key": "tk-SECRET", "fine": "ok-SECRET"}
    )
    result = leger.run("secrets", "export", "--format", "kube")
    assert (result.exit_code, result.stdout) == (1, b"")
    first, _, hint = result.stderr.partition("\n\n")
    assert first == 'Error: "db:url" and "team:key" are not valid Kubernetes Secret keys'
    assert "--only NAME,NAME" in hint


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kube-name", "app"], "--kube-name is the name of a manifest: it needs --format kube"),
        (
            ["--format", "json", "--kube-name", "app"],
            "--kube-name is the name of a manifest: it needs --format kube",
        ),
        (
            ["--format", "kube", "--kube-name", "My_App"],
            "Invalid --kube-name: Kubernetes does not take it as a Secret's name",
        ),
        (["--format", "kubernetes"], "Unknown --format"),
    ],
)
def test_wrong_options_are_usage_errors_before_any_request(leger, args, message):
    leger.with_token()
    result = leger.run("secrets", "export", *args)
    assert (result.exit_code, result.stdout) == (2, b"")
    assert result.stderr.startswith(f"Error: {message}\n")
    assert leger.registry.requests == []


def test_the_list_of_formats_names_kube(leger):
    result = leger.run("secrets", "export", "--format", "yaml")
    assert "Formats: dotenv, shell, json, env-file, kube (default: dotenv)." in result.stderr


# --- the offline cache: stdout holds the secrets only ---------------------------------------------
# (The values are not registered with ``leger.secret``: export writes them to
# stdout, which is what is checked here.)

LATER = NOW + timedelta(days=3, hours=4)
CACHED = {"db:url": "postgres://x", "github-token": "gh-1"}


def filled(leger: Leger) -> Leger:
    leger.with_token().speaks(wire.REST).holds(CACHED)
    first = leger.run("secrets", "export", now=lambda: NOW)
    assert first.exit_code == 0, first.stderr
    return leger


def test_export_falls_back_with_the_same_output_and_one_line_on_stderr(leger):
    app = filled(leger)
    app.server.holds(CACHED)
    online = app.run("secrets", "export", "--format", "shell", now=lambda: NOW)
    app.server.answers(
        app.server.form.list, 502, wire.error("bad_gateway", "Bad gateway"), times=None
    )
    cached = app.run("secrets", "export", "--format", "shell", now=lambda: LATER)
    assert cached.exit_code == 0
    assert cached.stdout == online.stdout
    assert cached.stderr == (
        "leger.run unreachable (HTTP 502); using secrets cached 2026-11-28T10:00:00Z (3d 4h ago)\n"
    )


def test_export_offline_keeps_secret_names_in_json(leger):
    app = filled(leger)
    result = app.run("secrets", "export", "--offline", "--format", "json", now=lambda: LATER)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == CACHED


def test_export_offline_past_max_age_is_an_error_and_writes_nothing(leger):
    app = filled(leger)
    result = app.run("secrets", "export", "--offline", "--max-age", "3d", now=lambda: LATER)
    assert (result.exit_code, result.stdout) == (ExitCode.ERROR, b"")
    assert result.stderr.startswith(
        "Error: No usable offline cache of http://127.0.0.1:8787 for this login: "
        "it is 3d 4h old, more than --max-age 3d\n"
    )
