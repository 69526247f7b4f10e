"""Every LEGER_* setting is checked as a whole, before any work, and a bad one is exit 2; and
where leger keeps its state and its offline cache (the XDG variables, LEGER_CACHE)."""

from __future__ import annotations

from pathlib import Path

import pytest

from leger.errors import ExitCode, UsageError
from leger.settings import DEFAULT_API_URL, MAX_TIMEOUT, Settings

PASSWORD = "hunter2-s3cr3t"


def refused(env: dict[str, str]) -> UsageError:
    with pytest.raises(UsageError) as caught:
        Settings.from_env(env)
    assert caught.value.exit_code == ExitCode.USAGE
    return caught.value


# --- LEGER_API_URL -------------------------------------------------------------------------


def test_defaults():
    settings = Settings.from_env({})
    assert (settings.api_url, settings.timeout, settings.routes) == (DEFAULT_API_URL, 10.0, None)


def test_the_api_url_is_checked_and_normalised():
    assert Settings.from_env({"LEGER_API_URL": "http://127.0.0.1:8787/api/"}).api_url == (
        "http://127.0.0.1:8787/api"
    )


@pytest.mark.parametrize(
    "url",
    [
        f"https://user:{PASSWORD}@api.leger.run",
        f"https://{PASSWORD}@api.leger.run",
        f"http://user:{PASSWORD}@127.0.0.1:8787",
        f"https://user:{PASSWORD}@api.leger.run:bad",
        f"ftp://user:{PASSWORD}@api.leger.run",
    ],
)
def test_user_info_is_refused_without_quoting_the_password(url):
    error = refused({"LEGER_API_URL": url})
    assert "LEGER_API_URL" in error.message
    assert PASSWORD not in error.message + (error.hint or "")


@pytest.mark.parametrize(
    "url",
    [
        "https://api.leger.run\n",
        " https://api.leger.run",
        "https://api.leger.run/a b",
        "https://api.leger.run\x1b[2J",
        "https://api.leger.run\x00",
        "https://api.leger.run\u200b",
    ],
)
def test_whitespace_or_control_characters_are_refused(url):
    error = refused({"LEGER_API_URL": url})
    assert "LEGER_API_URL has whitespace or control characters" in error.message


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("api.leger.run", "not a usable URL"),
        ("https://", "not a usable URL"),
        ("https://api.leger.run:99999", "not a usable URL"),
        ("https://api.leger.run/?x=1", "query or fragment"),
        ("https://api.leger.run/#top", "query or fragment"),
        ("http://api.leger.run", "HTTPS is required"),
    ],
)
def test_the_full_url_check_runs_at_start(url, says):
    assert says in refused({"LEGER_API_URL": url}).message


# --- LEGER_TIMEOUT -------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["0.5", "1", "3600", str(MAX_TIMEOUT)])
def test_timeouts_in_range_are_used(raw):
    assert Settings.from_env({"LEGER_TIMEOUT": raw}).timeout == float(raw)


@pytest.mark.parametrize("raw", ["0", "-1", "3600.5", "1e10", "inf", "nan", "ten", "1e400"])
def test_timeouts_out_of_range_are_refused(raw):
    error = refused({"LEGER_TIMEOUT": raw})
    assert "LEGER_TIMEOUT must be a number of seconds above 0 and at most 3600" in error.message


# --- LEGER_API_ROUTES ----------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "routes"), [("", None), ("rest", "rest"), ("v0.1", "v0.1")])
def test_routes(raw, routes):
    assert Settings.from_env({"LEGER_API_ROUTES": raw}).routes == routes


@pytest.mark.parametrize("raw", ["REST", "v1", "graphql", " rest", "v0.1\n"])
def test_unknown_routes_are_refused(raw):
    assert "LEGER_API_ROUTES must be rest or v0.1" in refused({"LEGER_API_ROUTES": raw}).message


def test_leger_api_routes_must_name_a_form(tmp_path):
    with pytest.raises(UsageError, match="LEGER_API_ROUTES"):
        Settings.from_env(
            {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path), "LEGER_API_ROUTES": "graphql"}
        )


# --- settings from the environment (the process reports them: tests/process/test_settings.py)


@pytest.mark.parametrize("timeout", ["abc", "0", "-1", "nan", "inf"])
def test_bad_leger_timeout_is_a_usage_error(timeout):
    with pytest.raises(UsageError) as raised:
        Settings.from_env({"LEGER_TIMEOUT": timeout})
    assert raised.value.exit_code == ExitCode.USAGE
    assert "LEGER_TIMEOUT" in raised.value.message


@pytest.mark.parametrize("token", ["tok\nen", "tök", "tok\x7f"])
def test_an_unsendable_leger_token_is_a_usage_error_that_does_not_quote_it(token):
    with pytest.raises(UsageError) as raised:
        Settings.from_env({"LEGER_TOKEN": token})
    assert raised.value.exit_code == ExitCode.USAGE
    assert "LEGER_TOKEN cannot be sent" in raised.value.message
    assert token not in f"{raised.value.message} {raised.value.hint}"


# --- where leger keeps what it learnt: $XDG_STATE_HOME/leger, by the XDG rule ---------------------


def test_xdg_state_home_when_absolute():
    settings = Settings.from_env({"HOME": "/home/alice", "XDG_STATE_HOME": "/var/lib/alice"})
    assert settings.state_dir == Path("/var/lib/alice/leger")


@pytest.mark.parametrize("value", ["", "state", "./state", "~/state"])
def test_unset_empty_or_relative_means_the_default_under_home(value):
    # The spec: a relative path in an XDG variable is invalid and ignored.
    settings = Settings.from_env({"HOME": "/home/alice", "XDG_STATE_HOME": value})
    assert settings.state_dir == Path("/home/alice/.local/state/leger")
    assert Settings.from_env({"HOME": "/home/alice"}).state_dir == settings.state_dir


def test_state_is_apart_from_the_login():
    settings = Settings.from_env({"HOME": "/home/alice"})
    assert settings.state_dir != settings.config_dir
    assert settings.config_dir == Path("/home/alice/.config/leger")


# --- the offline cache: where it lives (XDG_CACHE_HOME), and LEGER_CACHE --------------------------


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"HOME": "/home/alice"}, "/home/alice/.cache/leger"),
        ({"HOME": "/home/alice", "XDG_CACHE_HOME": "/var/cache/alice"}, "/var/cache/alice/leger"),
        # The XDG spec: a relative path there is invalid and ignored.
        ({"HOME": "/home/alice", "XDG_CACHE_HOME": "relative"}, "/home/alice/.cache/leger"),
    ],
)
def test_the_cache_lives_in_xdg_cache_home(env, expected):
    assert Settings.from_env(env).cache_dir == Path(expected)


@pytest.mark.parametrize(("value", "on"), [(None, True), ("", True), ("1", True), ("0", False)])
def test_leger_cache_0_turns_it_off(value, on):
    env = {} if value is None else {"LEGER_CACHE": value}
    assert Settings.from_env(env).cache is on


@pytest.mark.parametrize("value", ["false", "no", "off", "2", " 0", "0\n"])
def test_any_other_leger_cache_is_a_usage_error(value):
    error = refused({"LEGER_CACHE": value})
    assert error.message.startswith("LEGER_CACHE must be 0 (no offline cache) or 1, not ")
    assert error.hint == "Unset it to use the offline cache (the default)."
