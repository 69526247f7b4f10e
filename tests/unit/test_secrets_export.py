"""``leger secrets export``'s run function (leger/commands/secrets_export/), with the fake API.

Whole command lines are in tests/cli/test_secrets_export.py; what a process
shows (stdout through a pipe, exit codes, request counts on each route form),
in tests/e2e/test_secrets_export.py.
"""

from __future__ import annotations

import json

import pytest

from leger.commands.secrets_export import export_secrets
from leger.errors import ExitCode, InputError, LegerError, UsageError
from tests.support.fake_secrets import FakeSecrets, fake_context

STORE = {"openai_api_key": "sk-1", "github-token": "gh 'x'", "db:url": "postgres://a\nb"}


def export(api: FakeSecrets, format_name: str = "dotenv", only: str | None = None):
    ctx, stdout, stderr = fake_context(api)
    export_secrets(ctx, format=format_name, only=only)
    return stdout.getvalue().decode("utf-8"), stderr.getvalue()


def test_dotenv_is_the_default_with_variable_names_sorted_by_secret_name():
    api = FakeSecrets(dict(STORE))
    out, err = export(api)
    assert out == ('DB_URL="postgres://a\\nb"\nGITHUB_TOKEN="gh \'x\'"\nOPENAI_API_KEY="sk-1"\n')
    assert err == ""
    assert api.calls == [("fetch_values", None)]


def test_shell_format():
    out, _ = export(FakeSecrets({"github-token": "gh 'x'"}), "shell")
    assert out == "export GITHUB_TOKEN='gh '\\''x'\\'''\n"


def test_json_keeps_the_secret_names():
    out, _ = export(FakeSecrets(dict(STORE)), "json")
    assert json.loads(out) == STORE


def test_only_fetches_just_those_names():
    api = FakeSecrets(dict(STORE))
    out, _ = export(api, "env-file", only=" openai_api_key , github-token,openai_api_key")
    assert api.calls == [("fetch_values", ["openai_api_key", "github-token"])]
    assert out == "GITHUB_TOKEN=gh 'x'\nOPENAI_API_KEY=sk-1\n"


def test_env_file_refuses_a_multi_line_value_and_writes_nothing():
    ctx, stdout, _ = fake_context(FakeSecrets(dict(STORE)))
    with pytest.raises(InputError, match='"db:url" has one'):
        export_secrets(ctx, format="env-file")
    assert stdout.getvalue() == b""


def test_an_unknown_format_sends_no_request():
    api = FakeSecrets(dict(STORE))
    with pytest.raises(UsageError):
        export(api, "yaml")
    assert api.calls == []


@pytest.mark.parametrize("format_name", ["dotenv", "shell", "env-file"])
def test_collisions_and_reserved_names_are_refused_for_variable_formats(format_name):
    api = FakeSecrets({"a-b": "1", "a_b": "2", "path": "/evil"})
    ctx, stdout, _ = fake_context(api)
    with pytest.raises(InputError) as caught:
        export_secrets(ctx, format=format_name)
    assert '"a-b" and "a_b" both become A_B' in caught.value.message
    assert '"path" would replace PATH' in caught.value.message
    assert stdout.getvalue() == b""


def test_json_has_no_variable_names_to_collide():
    out, _ = export(FakeSecrets({"a-b": "1", "a_b": "2", "path": "/p"}), "json")
    assert json.loads(out) == {"a-b": "1", "a_b": "2", "path": "/p"}


def test_only_can_leave_a_reserved_name_out():
    out, _ = export(FakeSecrets({"path": "/evil", "token": "t"}), only="token")
    assert out == 'TOKEN="t"\n'


@pytest.mark.parametrize("only", ["", ",", " , "])
def test_an_empty_only_is_a_usage_error(only):
    with pytest.raises(UsageError, match="--only needs"):
        export(FakeSecrets(dict(STORE)), only=only)


def test_an_invalid_name_in_only_is_refused_without_echoing_it():
    with pytest.raises(InputError) as caught:
        export(FakeSecrets(dict(STORE)), only="ok,sk live/secret")
    assert "sk live" not in caught.value.message


def test_a_missing_secret_in_only_is_the_apis_error():
    with pytest.raises(LegerError, match="No such secret: nope") as caught:
        export(FakeSecrets(dict(STORE)), only="nope")
    assert caught.value.exit_code == ExitCode.ERROR


def test_no_secrets_export_nothing():
    assert export(FakeSecrets({}))[0] == ""
    assert export(FakeSecrets({}), "json")[0] == "{}\n"
