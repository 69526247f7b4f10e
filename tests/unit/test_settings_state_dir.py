"""Where leger keeps what it learnt: ``$XDG_STATE_HOME/leger``, by the XDG rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from leger.settings import Settings


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
