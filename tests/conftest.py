"""Shared pytest setup for every level: the fixtures in tests/fixtures/, one module per tool.

A fixture module that imports another comes after it here, so that pytest
registers (and rewrites the asserts of) each before anything imports it.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

pytest_plugins = [
    "tests.fixtures.prism",
    "tests.fixtures.backend",
    "tests.fixtures.other_user",
    "tests.fixtures.podman",
    "tests.fixtures.transport",
    "tests.fixtures.cli",
    "tests.fixtures.inprocess",
    "tests.fixtures.seeded",
    "tests.fixtures.offline_cache",
    "tests.fixtures.contract_watch",
]

_HOMES = ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")


@pytest.fixture(scope="session", autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point HOME and the XDG directories of the test process at a private folder.

    leger falls back to them (a test that unsets HOME gets ``Path.home()``,
    which reads $HOME), and no test may read or write the real user's login,
    cache or state.
    """
    root = tmp_path_factory.mktemp("home")
    saved = {name: os.environ.get(name) for name in _HOMES}
    os.environ["HOME"] = str(root)
    for name, folder in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        os.environ[name] = str(root / folder)
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


# What ``leger run``'s exec step gives back their default action just before it
# execs. In-process tests record that exec instead of letting it happen, so the
# test process would keep the defaults and die of its next write to a closed pipe.
_EXEC_RESETS = (signal.SIGPIPE, signal.SIGXFSZ)


@pytest.fixture(autouse=True)
def signals_as_python_sets_them() -> Iterator[None]:
    """Put back after each test the signal dispositions ``leger run``'s exec step changes."""
    saved = {number: signal.getsignal(number) for number in _EXEC_RESETS}
    yield
    for number, handler in saved.items():
        signal.signal(number, handler)
