"""``leger secrets export --format kube [--kube-name NAME]``, whole command lines in-process.

``podman kube play`` of what it writes is in tests/e2e/test_secrets_export_kube.py.
"""

from __future__ import annotations

import base64

import pytest
import yaml

from tests.support import wire

VALUES = {
    "openai_api_key": "sk-proj-abc123\n",
    "github-token": "gh 'x' \"y\" ünï 🙂",
    "tls_key": "-----BEGIN KEY-----\nAAAA\n-----END KEY-----\n",
    "on": "a key YAML 1.1 would read as true",
}


def holds(leger, values: dict[str, str]) -> None:
    """A REST leger.run whose one list with values answers ``values``."""
    server = leger.with_token().speaks(wire.REST)
    rows = [{**wire.row(name), "value": leger.secret(value)} for name, value in values.items()]
    server.answers(wire.REST.list, *wire.REST.list_answer(rows))


def decoded(manifest: bytes) -> tuple[dict, dict[str, str]]:
    document = yaml.safe_load(manifest)
    data = {key: base64.b64decode(text).decode() for key, text in document.pop("data").items()}
    return document, data


def test_one_secret_manifest_keyed_by_secret_names_in_one_request(leger):
    holds(leger, VALUES)
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
    holds(leger, VALUES)
    result = leger.run(
        "secrets", "export", "--format=kube", "--kube-name", "myapp.prod", "--only", "on,tls_key"
    )
    assert result.exit_code == 0, result.stderr
    document, data = decoded(result.stdout)
    assert document["metadata"] == {"name": "myapp.prod"}
    assert data == {"on": VALUES["on"], "tls_key": VALUES["tls_key"]}


def test_a_name_that_is_not_a_kubernetes_key_is_an_error_naming_it(leger):
    holds(leger, {"db:url": "postgres://u:p@h/db", "team:key": "tk-SECRET", "fine": "ok-SECRET"})
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
