"""The write-failure switch: let N secret writes through, then answer 500 to every later one."""

from __future__ import annotations

import threading

from .wire import internal_error


class FailWrites:
    """Counts secret writes (set, delete) and fails those after the first ``after``.

    ``after=None`` (the start) switches it off.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._after: int | None = None
        self._seen = 0  # since the last configure()

    @property
    def after(self) -> int | None:
        return self._after

    def configure(self, after: int | None) -> None:
        """Let ``after`` more writes through, then fail them (``None``: never fail)."""
        with self._lock:
            self._after = after
            self._seen = 0

    def check(self) -> None:
        """Count one write about to happen; raise 500 ``internal_error`` if it must fail."""
        with self._lock:
            if self._after is None:
                return
            self._seen += 1
            failing = self._seen > self._after
        if failing:
            raise internal_error()
