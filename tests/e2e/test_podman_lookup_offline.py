"""The installed ``leger podman lookup``, run exactly as Podman runs it at a container's
start, with the local backend stopped: the value it last fetched stands in, and the
journal (stderr) says how old it is. The boot-with-the-network-down case of Quadlet."""

from __future__ import annotations

import re

from tests.e2e.test_podman_lookup import lookup_command, run_as_podman_does
from tests.fixtures.cli import Cli
from tests.support.backend_process import local_backend


def test_a_stopped_backend_gets_the_last_value_from_the_cache(cli: Cli, tmp_path):
    with local_backend(tmp_path) as (backend, _):
        cli.use_api(backend.url).env.pop("LEGER_API_ROUTES")
        assert cli.run("auth", "login").returncode == 0
        backend.seed(backend.login_data()["user_uuid"], {"k": "the-value"})
        command = lookup_command(backend.url, cli.config_dir)
        online, _ = run_as_podman_does(command)
        assert (online.returncode, online.stdout, online.stderr) == (0, b"the-value", b"")
    offline, took = run_as_podman_does(command)
    assert (offline.returncode, offline.stdout) == (0, b"the-value")
    assert re.fullmatch(
        rb"leger\.run unreachable \(Connection refused\); using secrets cached "
        rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(\d+s ago\)\n",
        offline.stderr,
    ), offline.stderr
    assert took < 10
