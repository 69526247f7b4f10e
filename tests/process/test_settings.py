"""A bad LEGER_* setting in the environment is exit 2 before any work (installed leger).

The settings are read from the process's environment before any command runs;
each rule is tested on ``Settings`` in tests/unit/test_settings.py.
"""

from __future__ import annotations

import pytest

from leger.api.url import MAX_URL_LENGTH
from tests.support.canned import canned_server

PASSWORD = "hunter2-s3cr3t"
BAD_SETTINGS = [
    {"LEGER_API_URL": f"https://user:{PASSWORD}@api.leger.run"},
    {"LEGER_API_URL": "https://api.leger.run\n"},
    {"LEGER_API_URL": "https://api.leger.run?x=1"},
    {"LEGER_TIMEOUT": "1e10"},
    {"LEGER_API_ROUTES": "graphql"},
]


BAD_IDS = ["user-info", "newline", "query", "huge-timeout", "routes"]


@pytest.mark.parametrize("bad", BAD_SETTINGS, ids=BAD_IDS)
@pytest.mark.parametrize(
    "argv",
    [("auth", "status"), ("auth", "logout"), ("auth", "login"), ("secrets", "list")],
    ids=" ".join,
)
def test_a_bad_setting_is_exit_2_naming_it_before_any_work(cli, bad, argv):
    cli.config_dir.mkdir(parents=True)
    cli.auth_file.write_text("{}")
    cli.auth_file.chmod(0o600)
    with canned_server() as server:
        result = cli.use_api(server.url).run(*argv, env={"LEGER_TOKEN": "t0k", **bad})
    assert result.returncode == 2, result.stderr
    [name] = bad
    assert f"Error: {name}" in result.stderr
    assert PASSWORD not in result.stderr + result.out
    assert "unexpected" not in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == b""
    assert server.requests == []
    assert cli.auth_file.read_text() == "{}", "logout ran although a setting was bad"
    assert not cli.tailscale_calls.exists()


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [("LEGER_TIMEOUT", "abc", "LEGER_TIMEOUT"), ("LEGER_TOKEN", "tok\nen", "cannot be sent")],
)
def test_a_bad_setting_in_the_environment_is_exit_2(cli, variable, value, says):
    result = cli.run("secrets", "list", env={variable: value})
    assert result.returncode == 2
    assert result.stderr.startswith("Error: ")
    assert says in result.stderr
    if variable == "LEGER_TOKEN":
        assert value not in result.stderr
    assert "Traceback" not in result.stderr


def test_a_huge_api_url_is_a_usage_error_not_a_crash(cli):
    url = "https://" + "a" * 70_000 + ".example"
    result = cli.run("secrets", "list", env={"LEGER_API_URL": url, "LEGER_TOKEN": "t0ken"})
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.startswith(
        f"Error: LEGER_API_URL is {len(url)} characters long (at most {MAX_URL_LENGTH})\n"
    )
    assert "unexpected" not in result.stderr
    assert len(result.stderr) < 500
