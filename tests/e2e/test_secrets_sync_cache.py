"""``leger secrets sync`` records the values it fetches in the offline cache: installed
``leger``, real ``podman`` (a private store), the local backend."""

from __future__ import annotations

import json

import pytest

from tests.fixtures.backend import LocalBackend
from tests.fixtures.cli import Cli
from tests.fixtures.podman import PodmanStore

pytestmark = pytest.mark.podman


def test_sync_records_what_it_fetched_and_only_that(
    cli: Cli, podman_store: PodmanStore, fresh_rest_backend: LocalBackend
):
    backend = fresh_rest_backend
    cli.use_api(backend.url).env.update(podman_store.env, LEGER_API_ROUTES="rest")
    assert cli.run("auth", "login").returncode == 0
    backend.seed(backend.login_data()["user_uuid"], {"k": "synced-value", "other": "o"})
    synced = cli.run("secrets", "sync", "--only", "k")
    assert synced.returncode == 0, synced.stderr
    got = cli.run("secrets", "get", "k", "--offline")
    assert (got.returncode, got.stdout) == (0, b"synced-value")
    [entry] = json.loads(cli.run("cache", "status", "--json").stdout)
    assert (entry["count"], entry["complete"]) == (1, False)
    # Unchanged: nothing fetched, so nothing recorded again.
    again = cli.run("secrets", "sync", "--only", "k")
    assert again.returncode == 0, again.stderr
    assert json.loads(cli.run("cache", "status", "--json").stdout) == [entry]
    assert cli.run("secrets", "get", "other", "--offline").returncode == 1


def test_sync_with_leger_cache_0_records_nothing(
    cli: Cli, podman_store: PodmanStore, fresh_rest_backend: LocalBackend
):
    backend = fresh_rest_backend
    cli.use_api(backend.url).env.update(podman_store.env, LEGER_API_ROUTES="rest")
    assert cli.run("auth", "login").returncode == 0
    backend.seed(backend.login_data()["user_uuid"], {"k": "synced-value"})
    assert cli.run("secrets", "sync", env={"LEGER_CACHE": "0"}).returncode == 0
    assert json.loads(cli.run("cache", "status", "--json").stdout) == []
