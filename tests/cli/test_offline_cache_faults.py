"""A cache that cannot be written never fails the command, in-process: one warning, and the
values just fetched are used (a full disk, a read-only or unusable cache directory)."""

from __future__ import annotations

import errno
import os

import pytest

import leger.cache.store
import leger.commands.run
from leger.private_files import replace_atomically
from tests.support import wire
from tests.support.inprocess import Leger


@pytest.fixture
def app(leger: Leger) -> Leger:
    leger.with_token().speaks(wire.REST)
    return leger


def no_space(fd: int, data: bytes) -> None:
    os.write(fd, data[: len(data) // 2])
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def full_disk(monkeypatch) -> None:
    """Every cache file write runs out of space halfway."""

    def replace_on_a_full_disk(*args, **kwargs):
        return replace_atomically(*args, **{**kwargs, "write": no_space})

    monkeypatch.setattr(leger.cache.store, "replace_atomically", replace_on_a_full_disk)


@pytest.fixture
def read_only(monkeypatch) -> None:
    """Nothing new can be created in the cache directory (a read-only file system)."""
    real_open = os.open

    def open_read_only(path, flags, *args, **kwargs):
        if flags & os.O_CREAT and kwargs.get("dir_fd") is not None:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_read_only)


def run_app(app: Leger, monkeypatch, *env_pairs: tuple[str, str]):
    envs: list[dict[str, str]] = []
    monkeypatch.setattr(leger.commands.run, "exec_command", lambda _argv, env: envs.append(env))
    app.server.holds({"k": app.secret("VALUE-of-k")})
    result = app.run("run", "--", "app", env=dict(env_pairs))
    return result, envs


@pytest.mark.parametrize(
    ("fault", "why"),
    [("full_disk", "No space left on device"), ("read_only", "Read-only file system")],
)
def test_run_goes_on_with_the_values_it_fetched(app, monkeypatch, request, fault, why):
    request.getfixturevalue(fault)
    result, envs = run_app(app, monkeypatch)
    assert result.exit_code == 0
    assert result.stderr == (
        f"Warning: Could not update the offline cache in {app.cache_dir}: {why}\n"
    )
    assert envs[0]["K"] == "VALUE-of-k"


def test_a_cache_directory_that_cannot_be_made_is_one_warning(app, monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    result, envs = run_app(app, monkeypatch, ("XDG_CACHE_HOME", str(blocker)))
    assert result.exit_code == 0
    assert result.stderr == (
        f"Warning: Could not update the offline cache in {blocker}/leger: Not a directory\n"
    )
    assert envs[0]["K"] == "VALUE-of-k"


def test_get_still_prints_the_value_on_a_full_disk(app, full_disk):
    app.server.has_secret("k", app.secret("VALUE-of-k"))
    result = app.run("secrets", "get", "k")
    assert (result.exit_code, result.stdout) == (0, b"VALUE-of-k")
    assert "Warning: Could not update the offline cache" in result.stderr
