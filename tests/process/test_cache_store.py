"""The offline cache's store (leger/cache/store.py) through the installed ``leger``, where only
real processes show it: processes fetching at the same time, processes killed at any moment, a
file size limit.

A canned loopback server answers every request with the same REST list of values.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.cli import Cli
from tests.support import wire
from tests.support.canned import Canned, canned_server
from tests.support.flows import cache_entries

VALUES = {f"s{i:03d}": f"value {i} " + "x" * 60 for i in range(120)}


@pytest.fixture
def served(cli: Cli) -> Iterator[tuple[Cli, Canned]]:
    """``cli`` with LEGER_TOKEN, against a server that always answers ``VALUES``."""
    cli.env.update(LEGER_TOKEN="process-token", LEGER_API_ROUTES="rest")
    with canned_server() as server:
        server.respond_json(*wire.REST.values_answer(VALUES))
        yield cli.use_api(server.url), server


def offline_values(cli: Cli, names: list[str]) -> dict[str, str]:
    only = ",".join(names)
    result = cli.run("secrets", "export", "--offline", "--format", "json", "--only", only)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_processes_fetching_at_the_same_time_lose_nothing_and_break_nothing(served):
    cli, _ = served
    names = sorted(VALUES)
    groups = [names[i::4] for i in range(4)]  # each process caches its own names, by name
    for _ in range(3):
        procs = [cli.start("secrets", "export", "--only", ",".join(group)) for group in groups]
        errors = [proc.communicate(timeout=60)[1] for proc in procs]
        assert [proc.returncode for proc in procs] == [0] * len(procs), errors
        assert errors == [b""] * len(procs)
    [entry] = cache_entries(cli)
    assert (entry["problem"], entry["count"], entry["complete"]) == (None, len(VALUES), False)
    assert offline_values(cli, names) == VALUES


def killed_while_writing(cli: Cli, directory: Path) -> bool:
    """Run an export and SIGKILL it once its temporary cache file appears; whether it did."""
    proc = cli.start("secrets", "export")
    try:
        while proc.poll() is None:
            if any(name.endswith(".tmp") for name in os.listdir(directory)):
                proc.send_signal(signal.SIGKILL)
                proc.wait(timeout=60)
                return any(name.endswith(".tmp") for name in os.listdir(directory))
        return False
    finally:
        proc.kill()
        proc.communicate(timeout=60)


def test_a_process_killed_while_writing_never_leaves_a_broken_cache(served):
    cli, _ = served
    directory = cli.cache_dir
    assert cli.run("secrets", "export", "--only", "s000").returncode == 0
    caught = 0
    for _ in range(60):  # the window is a few ms: most tries catch it, a busy machine misses some
        caught += killed_while_writing(cli, directory)
        [entry] = cache_entries(cli)  # the cache before, or the one after: never a broken one
        assert entry["problem"] is None, entry
        assert offline_values(cli, ["s000"]) == {"s000": VALUES["s000"]}
        if caught == 3:
            break
    assert caught >= 1, "no writer was killed between writing its file and renaming it"
    assert cli.run("secrets", "export").returncode == 0
    [entry] = cache_entries(cli)
    assert (entry["problem"], entry["count"], entry["complete"]) == (None, len(VALUES), True)
    # What the killed writers left behind is gone once the next writer holds the lock.
    assert sorted(path.name for path in directory.iterdir()) == [".lock", Path(entry["path"]).name]


def test_a_file_size_limit_does_not_fail_run(served):
    cli, _ = served

    def small_files() -> None:  # the cache file is larger: writing it fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    proc = subprocess.run(
        [str(cli.executable), "run", "--", "sh", "-c", 'printf %s "$S007"; exit 7'],
        env=cli.env,
        capture_output=True,
        preexec_fn=small_files,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 7
    assert proc.stdout == VALUES["s007"].encode()
    assert proc.stderr.decode() == (
        f"Warning: Could not update the offline cache in {cli.cache_dir}: File too large\n"
    )
    assert os.listdir(cli.cache_dir) == [".lock"]
