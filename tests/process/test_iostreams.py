"""A command whose output cannot be written fails, through the installed leger.

stdout closed (``>&-``) or full (``> /dev/full``): exit 1 with one clear line on
stderr and no Python noise, for every kind of command output. A reader that
went away (``| head``, EPIPE) stays silent. Only a process has these streams.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest

from tests.support.canned import canned_server

SECRET = {"success": True, "data": {"name": "k", "value": "v4lue-b1t5", "version": 1}}
COMMANDS = [
    ("--version",),
    ("--help",),
    ("secrets", "--help"),
    ("secrets", "get", "--help"),
    ("auth", "status"),
    ("auth", "status", "--json"),
    ("auth", "logout"),
    ("secrets", "get", "k"),
]


@pytest.fixture
def server(cli) -> Iterator[object]:
    with canned_server() as canned:
        canned.respond_json(200, SECRET)
        cli.use_api(canned.url)
        cli.env["LEGER_TOKEN"] = "t0ken-0utput"
        yield canned


def run(cli, argv, **streams) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(cli.executable), *argv],
        env=cli.env,
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        check=False,
        **streams,
    )


def assert_one_clear_line(result, reason: str) -> None:
    assert result.returncode == 1, result.stderr
    assert result.stderr == f"Error: Cannot write the output to stdout: {reason}\n"


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_a_closed_stdout_is_a_failure(cli, server, argv):
    # preexec runs in the child after its streams are set up: fd 1 is closed for leger.
    result = run(cli, argv, stdout=subprocess.DEVNULL, preexec_fn=lambda: os.close(1))
    assert_one_clear_line(result, "it is closed")


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_a_full_disk_is_a_failure_without_python_noise(cli, server, argv):
    with open("/dev/full", "wb") as full:
        result = run(cli, argv, stdout=full)
    assert_one_clear_line(result, "No space left on device")


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_a_reader_that_went_away_stays_silent(cli, server, argv):
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = run(cli, argv, stdout=write_end)
    finally:
        os.close(write_end)
    assert result.returncode == 1
    assert result.stderr == ""


def test_a_closed_stdout_is_no_failure_when_there_is_nothing_to_write(cli):
    # Without a terminal or --force, delete writes only its refusal, to stderr.
    result = run(
        cli, ("secrets", "delete", "k"), stdout=subprocess.DEVNULL, preexec_fn=lambda: os.close(1)
    )
    assert result.returncode == 2
    assert "Cannot write" not in result.stderr
