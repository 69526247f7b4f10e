"""The command line ``secrets sync --driver shell`` gives Podman for one secret.

Podman passes its ``lookup`` nothing but a random ``SECRET_ID`` and its own
environment (a system unit may have no HOME), so the command names everything:
the absolute path of this ``leger``, the server, the directory of the login to
use (never the token itself) and of the offline cache, and the secret's name.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from leger.errors import LegerError


def lookup_argv(
    executable: str, server: str, config_dir: Path, cache_dir: Path, name: str
) -> list[str]:
    """``leger podman lookup`` for ``name`` on ``server``, with the login in ``config_dir``."""
    return [
        executable,
        "podman",
        "lookup",
        "--server",
        server,
        "--config-dir",
        os.path.abspath(config_dir),
        "--cache-dir",
        os.path.abspath(cache_dir),
        "--",
        name,
    ]


def leger_executable() -> str:
    """The absolute path of the ``leger`` command that is running (else the one on PATH).

    Symbolic links are kept, not resolved: ``~/.local/bin/leger`` stays valid
    when the environment it points into is reinstalled elsewhere.
    """
    started = sys.argv[0] if sys.argv else ""
    if not started.endswith(".py") and os.path.isfile(started) and os.access(started, os.X_OK):
        return os.path.abspath(started)
    found = shutil.which("leger")
    if found is None:
        raise LegerError(
            "Cannot find the leger command for Podman to run: it is not on PATH",
            hint="Run the sync with the leger command itself (not python -m leger), "
            "or put leger on PATH.",
        )
    return os.path.abspath(found)
