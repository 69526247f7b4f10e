"""A deadline for the whole process that nothing inside it can outlast.

Podman waits for its shell driver's ``lookup`` without a limit, so a hung
lookup blocks a container's start for good. Request timeouts do not bound
everything a request can take: a name lookup (``getaddrinfo``) blocks in C,
retries add up, and the interpreter's own start comes first. So the lookup
counts from the moment the process started and, if it is not done by the
deadline, a timer thread ends the process itself: one line on stderr, exit 1.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable

_PLAUSIBLE_START = 5.0


class Deadline:
    """Runs ``expire`` in ``seconds`` from now, unless settled first.

    ``settle`` claims the end for the caller: once it has returned, ``expire``
    never runs. ``expire`` is expected to end the process (``exit_with``).
    """

    def __init__(self, seconds: float, expire: Callable[[], None]) -> None:
        self._expire = expire
        self._lock = threading.Lock()
        self._settled = False
        self._timer = threading.Timer(max(0.0, seconds), self._fire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.settle()

    def settle(self) -> None:
        """From now on the caller ends the process: the deadline no longer fires."""
        with self._lock:
            self._settled = True
            self._timer.cancel()

    def _fire(self) -> None:
        with self._lock:
            if not self._settled:
                self._expire()


def exit_with(line: str) -> Callable[[], None]:
    """What a deadline does: write ``line`` to stderr, then end the process with status 1.

    It writes to the descriptor, not ``sys.stderr``, whose buffer the main
    thread may hold, and leaves with ``os._exit``: the main thread may be
    blocked in C, where no exception reaches it.
    """

    def expire() -> None:
        with contextlib.suppress(OSError):
            os.write(2, (line + "\n").encode("utf-8", "replace"))
        os._exit(1)

    return expire


def process_age() -> float:
    """Seconds since this process started (0 where Linux's /proc does not say)."""
    try:
        with open("/proc/self/stat", "rb") as handle:
            stat = handle.read()
        # Field 22, in clock ticks since boot, counted after the command name
        # (which may hold spaces and ')').
        started = int(stat.rsplit(b")", 1)[1].split()[19]) / os.sysconf("SC_CLK_TCK")
        age = time.clock_gettime(time.CLOCK_BOOTTIME) - started
    except (OSError, ValueError, IndexError):
        return 0.0
    # Starting the interpreter takes a fraction of a second. An age past a few
    # seconds means the process was not started for this lookup (leger run
    # in-process by a test) or the clocks disagree: then count from now rather
    # than fail at once.
    return age if 0.0 <= age <= _PLAUSIBLE_START else 0.0
