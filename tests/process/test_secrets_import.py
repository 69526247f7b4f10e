"""The installed ``leger secrets import`` with a stdout it cannot write: every write is said.

``> /dev/full`` and ``>&-`` against the local backend (each route form): all
entries are stored, stderr lists each result exactly, and the exit is 1 with
the output error.
"""

from __future__ import annotations

import os
import subprocess

import pytest

ENTRIES = b"A=1\nB=2\nC=3\n"
RESULTS = [
    "Updated A (version 2)",
    "Created B (version 1)",
    "Created C (version 1)",
    "",
    "Imported 3: 2 created, 1 updated.",
]


def import_with_stdout(cli, **streams) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(cli.executable), "secrets", "import", "-"],
        env=cli.env,
        input=ENTRIES.decode(),
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        check=False,
        **streams,
    )


def closed(cli):
    # preexec runs in the child after its streams are set up: fd 1 is closed for leger.
    return import_with_stdout(cli, stdout=subprocess.DEVNULL, preexec_fn=lambda: os.close(1))


def full(cli):
    with open("/dev/full", "wb") as device:
        return import_with_stdout(cli, stdout=device)


@pytest.mark.parametrize(
    ("redirect", "reason"),
    [(closed, "it is closed"), (full, "No space left on device")],
    ids=[">&-", ">/dev/full"],
)
def test_every_write_is_said_on_stderr(seeded, routed_backend, redirect, reason):
    cli = seeded({"A": "old"})
    result = redirect(cli)
    assert result.returncode == 1
    error = f"Cannot write the output to stdout: {reason}"
    assert result.stderr.splitlines() == [
        f"{error}; the results go to stderr instead:",
        *RESULTS,
        f"Error: {error}",
    ]
    user = routed_backend.login_data()["user_uuid"]
    assert sorted(routed_backend.names(user)) == ["A", "B", "C"]
