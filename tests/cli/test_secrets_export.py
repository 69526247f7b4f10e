"""``leger secrets export`` as whole command lines, in-process, on both route forms.

What each format promises for any value is tested on the formats module
(tests/unit/test_secrets_export_formats.py), the command's rules with the fake
API (tests/unit/test_secrets_export.py), and the installed leger against the
local backend in tests/e2e/test_secrets_export.py.
"""

from __future__ import annotations

import io
import json

from dotenv import dotenv_values

from leger.errors import ExitCode
from tests.support import wire
from tests.support.httpmock import each_form

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
