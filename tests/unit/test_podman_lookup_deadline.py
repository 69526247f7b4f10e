"""The lookup's deadline: it fires once when not settled in time, never after ``settle``."""

from __future__ import annotations

import threading
import time

from leger.commands.podman_lookup.deadline import Deadline


def test_an_unsettled_deadline_fires_once_on_time():
    fired: list[float] = []
    done = threading.Event()
    start = time.monotonic()

    def expire() -> None:
        fired.append(time.monotonic() - start)
        done.set()

    with Deadline(0.2, expire):
        assert done.wait(5)
    assert len(fired) == 1
    assert 0.15 <= fired[0] < 2


def test_a_settled_deadline_never_fires():
    fired = threading.Event()
    with Deadline(0.1, fired.set) as deadline:
        deadline.settle()
        assert not fired.wait(0.4)


def test_a_deadline_already_past_fires_at_once():
    fired = threading.Event()
    with Deadline(-3, fired.set):
        assert fired.wait(1)
