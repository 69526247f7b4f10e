"""The local backend as a process a test may stop or kill (the fixtures' stays up), or start
with a command line it refuses."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from devtools.processes import REPO, free_port, running
from tests.fixtures.backend import LocalBackend


@contextlib.contextmanager
def local_backend(
    tmp_path: Path, *flags: str
) -> Iterator[tuple[LocalBackend, subprocess.Popen[bytes]]]:
    """The local backend (REST form) and its process, stopped when the block ends if not before."""
    url = f"http://127.0.0.1:{free_port()}"
    argv = [sys.executable, "-m", "devtools.leger_backend", "--port", url.rsplit(":", 1)[1]]
    argv += ["--control", "--routes", "rest", *flags]
    log = tmp_path / "backend.log"
    with running(argv, f"{url}/_control/state", log=log) as proc:
        yield LocalBackend(url=url, log=log, routes="rest"), proc


def refused_start(*args: str) -> subprocess.CompletedProcess[str]:
    """The local backend started with ``args`` (and ``--port 0``), which it should refuse."""
    return subprocess.run(
        [sys.executable, "-m", "devtools.leger_backend", *args, "--port", "0"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
