"""The installed ``leger`` against a backend redeployed to the other route form between commands
(leger/api/session.py: a remembered route form is a belief, checked before harm).

The local backend runs behind a validating Prism proxy (every exchange must be
one the contract allows, or the proxy answers an error and the command fails).
leger believes the v0.1 form — a login stored as v0.1, or ``LEGER_API_ROUTES=v0.1``
with ``LEGER_TOKEN`` and no stored form — and the backend is then switched to the
REST form (``LocalBackend.redeploy``), keeping its store, where the user already
has a secret named ``set``: v0.1's ``POST /secrets/set`` would overwrite it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fixtures.backend import ALICE, LocalBackend, ProxiedBackend
from tests.fixtures.cli import Cli

SOURCES = ["login", "env"]
COMMANDS = ["set", "import", "delete"]
OUT_OF_DATE = "is out of date"


def believing_v01(cli: Cli, api: ProxiedBackend, source: str) -> tuple[str, str]:
    """leger set to believe the v0.1 form by ``source``; the user's UUID and token."""
    cli.use_api(api.url)
    if source == "login":
        # LEGER_API_ROUTES=v0.1 (the cli fixture's pin) is what the login stores, unprobed.
        result = cli.run("auth", "login")
        assert result.returncode == 0, result.stderr
        stored = json.loads(cli.auth_file.read_text())
        assert stored["api_routes"] == "v0.1"
        del cli.env["LEGER_API_ROUTES"]
        return stored["user_uuid"], stored["token"]
    assert cli.env["LEGER_API_ROUTES"] == "v0.1"
    data = api.login_data(ALICE)
    cli.env["LEGER_TOKEN"] = data["token"]
    return data["user_uuid"], data["token"]


def secret_named_set(backend: LocalBackend, token: str) -> tuple[str, int]:
    """The value and version of the user's secret named ``set``, read over REST."""
    answer = backend.request("GET", "/secrets/set", token=token)
    assert answer.status == 200, answer.body
    data = answer.json()["data"]
    return data["value"], data["version"]


def sent(backend: LocalBackend, since: int = 0) -> list[tuple[str, str]]:
    """(method, path) of the API requests the backend received, from ``since`` on."""
    return [(r["method"], r["path"]) for r in backend.requests()[since:]]


def run_command(cli: Cli, command: str, tmp_path: Path):
    if command == "set":
        return cli.run("secrets", "set", "k", "S3CRET-new")
    if command == "import":
        dotenv = tmp_path / "two.env"
        dotenv.write_text("k=S3CRET-new\nother=S3CRET-other\n")
        return cli.run("secrets", "import", str(dotenv))
    return cli.run("secrets", "delete", "k", "--force")


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("command", COMMANDS)
def test_a_v0_1_belief_never_overwrites_the_secret_named_set_after_a_redeploy(
    cli, fresh_proxied_backend, tmp_path, source, command
):
    api = fresh_proxied_backend
    backend = api.backend
    user, token = believing_v01(cli, api, source)
    backend.redeploy("rest")
    backend.seed(user, {"set": "S3CRET-mine", "k": "S3CRET-old"})
    before = secret_named_set(backend, token)
    start = len(backend.requests())

    result = run_command(cli, command, tmp_path)
    requests = sent(backend, start)  # (reading the secret named set below is logged too)

    assert result.returncode == 0, result.stderr
    assert secret_named_set(backend, token) == before == ("S3CRET-mine", 1)
    assert ("POST", "/secrets/set") not in sent(backend)
    if command == "delete":
        # The one route both forms share: straight to it, nothing to confirm or to say.
        assert requests == [("DELETE", "/secrets/k")]
        assert result.stderr == ""
        assert sorted(backend.names(user)) == ["set"]
        return
    assert result.stderr.count(OUT_OF_DATE) == 1, result.stderr
    named = "LEGER_API_ROUTES" if source == "env" else "the route form stored with your login"
    assert f"Warning: {named} (v0.1 routes) is out of date" in result.stderr
    if command == "import":
        # import lists first (on the believed v0.1 route, which REST does not have), then
        # the probe, the list again on REST, and the two writes over REST
        assert requests == [
            ("GET", "/secrets/list"),
            ("GET", "/secrets"),
            ("GET", "/secrets"),
            ("POST", "/secrets/k"),
            ("POST", "/secrets/other"),
        ]
    else:
        assert requests == [("GET", "/secrets"), ("POST", "/secrets/k")]
    assert "Secret created" not in result.out  # k existed: updated, over REST
    answer = backend.request("GET", "/secrets/k", token=token).json()["data"]
    assert (answer["value"], answer["version"]) == ("S3CRET-new", 2)

    # The next command goes straight to REST: the probe's answer was remembered.
    if source == "env":
        del cli.env["LEGER_API_ROUTES"]  # as the warning says
    start = len(backend.requests())
    later = cli.run("secrets", "get", "k")
    assert (later.returncode, later.stdout, later.stderr) == (0, b"S3CRET-new", "")
    assert sent(backend, start) == [("GET", "/secrets/k")]


def test_with_leger_api_routes_still_v0_1_each_command_reads_right_and_says_so(
    cli, fresh_proxied_backend
):
    api = fresh_proxied_backend
    user, token = believing_v01(cli, api, "env")
    api.backend.redeploy("rest")
    api.backend.seed(user, {"set": "S3CRET-mine", "k": "S3CRET-old"})
    for _ in range(2):
        start = len(api.backend.requests())
        result = cli.run("secrets", "get", "k")
        assert (result.returncode, result.stdout) == (0, b"S3CRET-old")
        assert result.stderr.count(OUT_OF_DATE) == 1
        assert "Set LEGER_API_ROUTES=rest, or unset it." in result.stderr
        # v0.1's read fails without effect, the probe finds REST, the read is retried.
        assert sent(api.backend, start) == [
            ("GET", "/secrets/get/k"),
            ("GET", "/secrets"),
            ("GET", "/secrets/k"),
        ]
    assert secret_named_set(api.backend, token) == ("S3CRET-mine", 1)


def test_five_gets_with_leger_token_are_five_requests(cli, fresh_proxied_backend_any_form):
    api = fresh_proxied_backend_any_form
    data = api.login_data(ALICE)
    api.backend.seed(data["user_uuid"], {"k": "S3CRET-k"})
    cli.use_api(api.url)
    del cli.env["LEGER_API_ROUTES"]
    cli.env["LEGER_TOKEN"] = data["token"]
    route = ("GET", "/secrets/get/k" if api.backend.routes == "v0.1" else "/secrets/k")

    def five_gets() -> list[tuple[str, str]]:
        start = len(api.backend.requests())
        for _ in range(5):
            result = cli.run("secrets", "get", "k")
            assert (result.returncode, result.stdout, result.stderr) == (0, b"S3CRET-k", "")
        return sent(api.backend, start)

    # The first ever asks the server's form once; every later process remembers it.
    assert five_gets() == [("GET", "/secrets"), *[route] * 5]
    assert five_gets() == [route] * 5
