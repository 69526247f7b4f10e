"""A command whose output cannot be written fails, through the installed leger.

stdout closed (``>&-``) or full (``> /dev/full``): exit 1 with one clear line on
stderr and no Python noise, for every kind of command output. A reader that
went away (``| head``, EPIPE) stays silent.
"""

from __future__ import annotations

import io
import os
import subprocess
from collections.abc import Iterator

import pytest

from leger.errors import OutputError
from leger.iostreams import IOStreams
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


# --- in-process: IOStreams turns a failed write into OutputError ---------------------------


class FailingStdout(io.BytesIO):
    def __init__(self, error: OSError) -> None:
        super().__init__()
        self.error = error

    def flush(self) -> None:
        raise self.error


def streams_writing_to(stdout: io.BytesIO) -> IOStreams:
    streams, *_ = IOStreams.test()
    streams.stdout = stdout
    return streams


@pytest.mark.parametrize("method", ["print", "write"])
def test_a_failed_write_is_an_output_error(method):
    streams = streams_writing_to(FailingStdout(OSError(28, "No space left on device")))
    with pytest.raises(OutputError, match="No space left on device") as caught:
        getattr(streams, method)("x" if method == "print" else b"x")
    assert caught.value.exit_code == 1


def test_a_broken_pipe_is_left_to_the_entry_point():
    streams = streams_writing_to(FailingStdout(BrokenPipeError(32, "Broken pipe")))
    with pytest.raises(BrokenPipeError):
        streams.write(b"x")
