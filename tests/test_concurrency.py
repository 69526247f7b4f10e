"""Many ``leger`` processes at once against the local backend.

Ten logins racing to write ``auth.json`` must leave one complete, private file
and no temporary files; ten ``secrets set`` of different names must all land.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess

from tests.fixtures.cli import Cli

N = 10


def start(cli: Cli, *args: str, stdin: bytes | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [str(cli.executable), *args],
        env=cli.env,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def finish_all(procs: list[subprocess.Popen], stdins: list[bytes | None] | None = None) -> list:
    results = []
    for proc, stdin in zip(procs, stdins or [None] * len(procs), strict=True):
        out, err = proc.communicate(stdin, timeout=120)
        results.append((proc.returncode, out, err.decode("utf-8", "replace")))
    return results


def test_ten_logins_at_once_leave_one_valid_private_auth_json(cli, fresh_backend):
    cli.use_api(fresh_backend.url)
    procs = [start(cli, "auth", "login") for _ in range(N)]
    results = finish_all(procs)
    assert [code for code, _, _ in results] == [0] * N, [err for _, _, err in results]
    assert all(b"Authenticated as alice@example.com" in out for _, out, _ in results)
    assert sorted(p.name for p in cli.config_dir.iterdir()) == ["auth.json"], "temp files left"
    assert stat.S_IMODE(cli.auth_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(cli.config_dir.stat().st_mode) == 0o700
    stored = json.loads(cli.auth_file.read_text())
    assert set(stored) == {
        "token",
        "token_type",
        "expires_at",
        "user_uuid",
        "user_email",
        "api_url",
        "api_routes",
    }
    assert stored["user_email"] == "alice@example.com"
    # The survivor is a token the backend issued and still accepts.
    assert fresh_backend.state()["tokens"] == N
    status = cli.run("auth", "status", "--json")
    assert json.loads(status.stdout)["authenticated"] is True
    listed = cli.run("secrets", "list")
    assert listed.returncode == 0, listed.stderr


def test_ten_parallel_sets_of_different_names_all_land(cli, fresh_backend):
    cli.use_api(fresh_backend.url)
    assert cli.run("auth", "login").returncode == 0
    names = [f"parallel_{i:02d}" for i in range(N)]
    values = [f"value {i} \u2603 {'x' * i}" for i in range(N)]
    # Half pass the value as an argument, half on stdin: both paths race together.
    procs, stdins = [], []
    for i, (name, value) in enumerate(zip(names, values, strict=True)):
        if i % 2:
            procs.append(start(cli, "secrets", "set", name, value))
            stdins.append(None)
        else:
            procs.append(start(cli, "secrets", "set", name, "-", stdin=b""))
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
