"""Output through the installed leger: real terminals, and stdout that cannot be written.

Colour and the check mark only on a terminal and never with NO_COLOR. stdout
closed (``>&-``) or full (``> /dev/full``): exit 1 with one clear line on stderr
and no Python noise, for every kind of command output; a reader that went away
(``| head``, EPIPE) stays silent; stdin closed (``<&-``) is no problem. Only a
process has these streams.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest

from tests.support import wire
from tests.support.canned import canned_server
from tests.support.text import ESC, GREEN_CHECK

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


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (("secrets", "set", "openai_api_key", "S3CRET-colour"), b"Secret updated"),
        (("secrets", "delete", "k", "--force"), b"Secret k deleted"),
    ],
)
def test_success_has_a_green_check_on_a_terminal(mocked_cli, argv, line):
    code, output, stderr = mocked_cli.terminal(*argv).finish()
    assert code == 0, stderr
    assert GREEN_CHECK + line in output
    assert stderr == ""


def test_no_color_on_a_terminal_means_plain(mocked_cli):
    session = mocked_cli.terminal(
        "secrets", "set", "openai_api_key", "S3CRET-colour", env={"NO_COLOR": "1"}
    )
    code, output, stderr = session.finish()
    assert code == 0, stderr
    assert output.startswith(b"Secret updated\r\n")
    assert ESC not in output
    assert "✓".encode() not in output


@pytest.mark.parametrize("argv", [("secrets", "list"), ("secrets", "get", "openai_api_key")])
def test_works_with_stdin_closed(mocked_cli, argv):
    # `leger secrets list <&-` (cron, some CI runners): stdin is not needed.
    proc = subprocess.run(
        [str(mocked_cli.executable), *argv],
        capture_output=True,
        env=mocked_cli.env,
        timeout=60,
        check=False,
        preexec_fn=lambda: os.close(0),
    )
    assert proc.returncode == 0, proc.stderr
    if argv[1] == "list":
        assert proc.stdout.decode().endswith("Total: 2 secrets\n")
    else:
        assert proc.stdout == wire.EXAMPLE_VALUE.encode()
