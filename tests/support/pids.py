"""Whether a process a test started (or made start) has ended."""

from __future__ import annotations

import time


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a killed process nobody has reaped yet is a zombie: gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def ends_soon(pid: int) -> bool:
    """True once ``pid`` is gone; SIGKILL takes effect when the process next runs."""
    deadline = time.monotonic() + 5
    while alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
