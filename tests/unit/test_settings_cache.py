"""The offline cache's settings: where it lives (XDG_CACHE_HOME) and LEGER_CACHE."""

from __future__ import annotations

from pathlib import Path

import pytest

from leger.errors import ExitCode, UsageError
from leger.settings import Settings


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
    with pytest.raises(UsageError) as caught:
        Settings.from_env({"LEGER_CACHE": value})
    assert caught.value.exit_code == ExitCode.USAGE
    assert caught.value.message.startswith("LEGER_CACHE must be 0 (no offline cache) or 1, not ")
    assert caught.value.hint == "Unset it to use the offline cache (the default)."
