"""The local backend as a process a test may stop or kill (the fixtures' stays up)."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from devtools.processes import free_port, running
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
