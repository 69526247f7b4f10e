"""Many ``leger secrets set`` processes at once, of different names: all land."""

from __future__ import annotations

import json
import os
import subprocess

from tests.fixtures.cli import finish_all

N = 10


def test_ten_parallel_sets_of_different_names_all_land(cli, fresh_backend):
    cli.use_api(fresh_backend.url)
    assert cli.run("auth", "login").returncode == 0
    names = [f"parallel_{i:02d}" for i in range(N)]
    values = [f"value {i} \u2603 {'x' * i}" for i in range(N)]
    # Half pass the value as an argument, half on stdin: both paths race together.
    procs: list[subprocess.Popen[bytes]] = []
    stdins: list[bytes | None] = []
    for i, (name, value) in enumerate(zip(names, values, strict=True)):
        if i % 2:
            procs.append(cli.start("secrets", "set", name, value))
            stdins.append(None)
        else:
            procs.append(cli.start("secrets", "set", name, "-", stdin=b""))
            stdins.append(value.encode() + b"\n")
    results = finish_all(procs, stdins)
    assert [code for code, _, _ in results] == [0] * N, [err for _, _, err in results]
    assert all(b"Secret created" in out for _, out, _ in results)
    listed = cli.run("secrets", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert sorted(row["name"] for row in rows) == names
    assert all(row["version"] == 1 for row in rows)
    for name, value in zip(names, values, strict=True):
        got = cli.run("secrets", "get", name)
        assert got.returncode == 0, got.stderr
        assert got.stdout == value.encode()
    assert os.listdir(cli.config_dir) == ["auth.json"]
