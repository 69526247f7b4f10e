"""The environment leger was started with, as its parent gave it.

Python changes its own environment before leger runs: with no locale set (cron,
a bare systemd unit), its locale coercion (PEP 538) adds ``LC_CTYPE=C.UTF-8``,
and ``leger run`` would hand that on, changing how the command reads text.
Linux keeps the environment as it was at exec in ``/proc/self/environ``; that
is what a command started by leger gets. Elsewhere, ``os.environ`` is the best
there is.
"""

from __future__ import annotations

import os


def started_environ() -> dict[str, str]:
    """The variables this process was started with (before Python changed any)."""
    try:
        with open("/proc/self/environ", "rb") as handle:
            raw = handle.read()
    except OSError:
        return dict(os.environ)
    environ: dict[str, str] = {}
    for entry in raw.split(b"\0"):
        name, has_value, value = entry.partition(b"=")
        if has_value and name:
            # As os.environ decodes them: the file system encoding, surrogateescape.
            environ[os.fsdecode(name)] = os.fsdecode(value)
    return environ
