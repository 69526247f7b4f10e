"""The process entry point lets the cyclic garbage collector wait for many new objects."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator

import pytest

from leger import cli


@pytest.fixture
def thresholds() -> Iterator[tuple[int, ...]]:
    before = gc.get_threshold()
    yield before
    gc.set_threshold(*before)


def test_collect_rarely_raises_only_the_young_generations_threshold(thresholds):
    cli.collect_rarely()
    assert gc.get_threshold() == (cli.COLLECTION_THRESHOLD, *thresholds[1:])


def test_main_does_it_before_running_the_command(thresholds, monkeypatch):
    seen: list[int] = []

    def run(_args: list[str]) -> int:
        seen.append(gc.get_threshold()[0])
        return 0

    monkeypatch.setattr(cli, "_run", run)

    def exit_now(code: int) -> None:
        raise SystemExit(code)

    monkeypatch.setattr(os, "_exit", exit_now)
    with pytest.raises(SystemExit) as stopped:
        cli.main(["--version"])
    assert stopped.value.code == 0
    assert seen == [cli.COLLECTION_THRESHOLD]
