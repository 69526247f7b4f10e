"""The secret-name → variable-name rule and what it refuses (leger/envnames.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leger.envnames import Entry, check_no_nul, env_entries, env_name, is_reserved
from leger.errors import ExitCode, InputError


@pytest.mark.parametrize(
    ("secret", "variable"),
    [
        ("openai_api_key", "OPENAI_API_KEY"),
        ("github-token", "GITHUB_TOKEN"),
        ("db:url", "DB_URL"),
        ("Already_UPPER_9", "ALREADY_UPPER_9"),
        ("1password", "_1PASSWORD"),
        ("9", "_9"),
        ("_x", "_X"),
        ("-x", "_X"),
        ("straße", "STRA_E"),
        ("a.b c", "A_B_C"),
    ],
)
def test_a_secret_name_becomes_a_variable_name(secret, variable):
    assert env_name(secret) == variable


@given(st.text(min_size=1))
def test_every_variable_name_is_a_portable_shell_name(secret):
    variable = env_name(secret)
    assert re.fullmatch(r"[A-Z_][A-Z0-9_]*", variable)
    assert len(variable) in (len(secret), len(secret) + 1)


@pytest.mark.parametrize(
    "variable", ["PATH", "HOME", "SHELL", "USER", "PWD", "IFS", "LD_PRELOAD", "LD_", "PYTHONPATH"]
)
def test_reserved_variables(variable):
    assert is_reserved(variable)


@pytest.mark.parametrize("variable", ["PATHS", "MY_PATH", "HOMEDIR", "OLD_LD_X", "PY", "LANG"])
def test_other_variables_are_not_reserved(variable):
    assert not is_reserved(variable)


def test_entries_keep_the_secret_name_and_value():
    assert env_entries([("github-token", "v1"), ("db:url", "v2")]) == [
        Entry("github-token", "GITHUB_TOKEN", "v1"),
        Entry("db:url", "DB_URL", "v2"),
    ]


def test_two_secrets_on_one_variable_are_refused_naming_both():
    with pytest.raises(InputError) as caught:
        env_entries([("github-token", "secret-a"), ("ok", "v"), ("GITHUB_TOKEN", "secret-b")])
    message = caught.value.message
    assert '"GITHUB_TOKEN" and "github-token" both become GITHUB_TOKEN' in message
    assert "secret-a" not in message
    assert "secret-b" not in message
    assert "--only" in (caught.value.hint or "")
    assert caught.value.exit_code == ExitCode.ERROR


def test_three_secrets_on_one_variable_are_all_named():
    with pytest.raises(InputError, match='"A_B", "a-b" and "a_b" all become A_B'):
        env_entries([("a-b", "1"), ("a_b", "2"), ("A_B", "3")])


def test_every_problem_is_reported_at_once():
    with pytest.raises(InputError) as caught:
        env_entries([("path", "x"), ("ld_preload", "y"), ("a-b", "1"), ("a_b", "2")])
    lines = caught.value.message.splitlines()[1:]
    assert lines == [
        '  - "a-b" and "a_b" both become A_B',
        '  - "ld_preload" would replace LD_PRELOAD',
        '  - "path" would replace PATH',
    ]


def test_a_nul_byte_is_refused_naming_the_secret_not_the_value():
    entries = [Entry("ok", "OK", "fine"), Entry("bin", "BIN", "se\0cret")]
    with pytest.raises(InputError) as caught:
        check_no_nul(entries)
    assert '"bin"' in caught.value.message
    assert "se\0cret" not in caught.value.message
    assert '"ok"' not in caught.value.message


def test_values_without_nul_pass():
    check_no_nul([Entry("a", "A", "multi\nline 'quoted' $x")])
