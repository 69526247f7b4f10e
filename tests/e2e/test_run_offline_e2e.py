"""The offline cache end to end, as a new user meets it: the installed ``leger``, logged in
with ``auth login``, against the local backend stopped, killed mid-run, answering 500 (a
fault-injecting server: the backend fails only writes) and answering 401.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time

import pytest

from leger.errors import ExitCode
from tests.fixtures.backend import LocalBackend
from tests.fixtures.cli import Cli
from tests.support import faulty, wire
from tests.support.backend_process import local_backend

STORE = {"alpha": "A-value", "beta": "B-value"}
SHOW = 'printf "%s %s" "$ALPHA" "$BETA"; exit 3'  # the command's exit status is 3
FALLBACK = re.compile(
    r"leger\.run unreachable \((?P<reason>[^)]+)\); "
    r"using secrets cached \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \((?P<age>\d+[smhd]( \d+[smh])?) ago\)\n"
)


def logged_in(cli: Cli, backend: LocalBackend) -> Cli:
    """Log in as a new user does (the form found by login) and store ``STORE`` upstream."""
    cli.use_api(backend.url)
    cli.env.pop("LEGER_API_ROUTES")
    login = cli.run("auth", "login")
    assert login.returncode == 0, login.stderr
    backend.seed(backend.login_data()["user_uuid"], STORE)
    return cli


def run_show(cli: Cli, *options: str):
    return cli.run("run", *options, "--", "sh", "-c", SHOW)


def cached_run(cli: Cli, *options: str) -> str:
    """Run with leger.run unreachable: the cached values, the command's status; the reason."""
    result = run_show(cli, *options)
    assert (result.returncode, result.out) == (3, "A-value B-value"), result.stderr
    matched = FALLBACK.fullmatch(result.stderr)
    assert matched, result.stderr
    return matched["reason"]


def caches(cli: Cli) -> list[dict]:
    result = cli.run("cache", "status", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_with_the_backend_stopped_the_cache_stands_in(cli, tmp_path):
    with local_backend(tmp_path) as (backend, _):
        logged_in(cli, backend)
        online = run_show(cli)
        assert (online.returncode, online.out, online.stderr) == (3, "A-value B-value", "")
    assert cached_run(cli, "--max-age", "1h") == "Connection refused"
    get = cli.run("secrets", "get", "beta")
    assert (get.returncode, get.stdout) == (0, b"B-value")
    [entry] = caches(cli)
    assert (entry["this_login"], entry["complete"], entry["count"]) == (True, True, 2)
    offline = cli.run("secrets", "export", "--offline", "--format", "json")
    assert json.loads(offline.stdout) == STORE


def test_with_the_backend_killed_mid_run_the_cache_stands_in(cli, tmp_path):
    with local_backend(tmp_path, "--latency", "1500") as (backend, proc):
        logged_in(cli, backend)
        assert run_show(cli).returncode == 3
        waiting = subprocess.Popen(
            [str(cli.executable), "run", "--", "sh", "-c", SHOW],
            env=cli.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(0.7)  # leger's request is in the backend, waiting out its latency
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = waiting.communicate(timeout=60)
    assert (waiting.returncode, out) == (3, b"A-value B-value"), err
    assert FALLBACK.fullmatch(err.decode()), err


def test_with_the_server_answering_500_the_cache_stands_in(cli):
    values = faulty.json_response(*wire.REST.values_answer(STORE))
    failing = faulty.json_response(500, wire.error("internal_error", "Something broke."))
    with faulty.faulty_server(values, failing) as server:
        cli.use_api(server.url).env.update(LEGER_TOKEN="ci-token", LEGER_API_ROUTES="rest")
        assert run_show(cli).returncode == 3
        assert cached_run(cli) == "HTTP 500"
    assert len(server.requests) == 2


@pytest.mark.parametrize("reject", [LocalBackend.revoke_all, LocalBackend.expire_all])
def test_with_the_backend_answering_401_the_cache_is_removed_not_used(cli, tmp_path, reject):
    with local_backend(tmp_path) as (backend, _):
        logged_in(cli, backend)
        assert run_show(cli).returncode == 3
        assert len(caches(cli)) == 1
        reject(backend)
        result = run_show(cli)
        assert (result.returncode, result.out) == (ExitCode.AUTH_REQUIRED, "")
        assert result.stderr.startswith(
            f"Warning: {backend.url} rejected the login: removed its offline cache\n"
            "Error: leger.run rejected the token"
        )
        assert caches(cli) == []
    after = run_show(cli)
    assert after.returncode == ExitCode.ERROR
    assert after.stderr.startswith(f"Error: Cannot connect to {backend.url}")


def test_offline_sends_nothing_to_a_server_nor_to_an_unreachable_url(cli):
    values = faulty.json_response(*wire.REST.values_answer(STORE))
    with faulty.faulty_server(values, faulty.close_at_once()) as server:
        cli.use_api(server.url).env.update(LEGER_TOKEN="ci-token", LEGER_API_ROUTES="rest")
        assert run_show(cli).returncode == 3
        for argv, status in (
            (("run", "--offline", "--", "sh", "-c", SHOW), 3),
            (("secrets", "export", "--offline"), 0),
            (("secrets", "get", "alpha", "--offline"), 0),
        ):
            assert cli.run(*argv).returncode == status, argv
        assert len(server.requests) == 1  # the run that filled the cache, nothing since
    # Now nothing listens there at all.
    offline = cli.run("run", "--offline", "--", "sh", "-c", SHOW)
    assert (offline.returncode, offline.out) == (3, "A-value B-value")
    assert offline.stderr.startswith("leger.run not asked (--offline); using secrets cached ")
    assert cached_run(cli) == "Connection refused"
