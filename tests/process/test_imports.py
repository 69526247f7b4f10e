"""Start-up cost guard: which modules each command imports (not wall-clock time).

Timing tests flake on a busy machine; the set of imported modules does not, and
it is what decides the cost (httpx and the generated client are tens of ms).
``-X importtime`` reports what the installed leger's process imported.
"""

from __future__ import annotations

import pytest

from tests.support import wire
from tests.support.canned import canned_server

# (ssl is not listed: asyncio, which Fire imports, needs it anyway.)
HTTP_STACK = {"httpx", "httpcore", "h11", "leger_api_client", "leger.api.client", "attrs"}
# Only `secrets import` reads dotenv files; only `sync` runs podman.
ON_DEMAND = {"dotenv", "leger.commands.secrets_import.dotenv_file", "leger.podman", "leger.child"}
# What leger's own start-up does not need: its value classes are leger.record's (a
# dataclass costs ~0.4 ms to create), and only a login prompt reads hidden input.
NOT_AT_START = {"dataclasses", "getpass", "termios"}


def imported(result) -> set[str]:
    """Module names from PYTHONPROFILEIMPORTTIME's report on stderr."""
    names = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    assert names, "no import report: PYTHONPROFILEIMPORTTIME was not honoured"
    return names


def run_profiled(cli, *args, **kwargs):
    return cli.run(*args, env={"PYTHONPROFILEIMPORTTIME": "1", **kwargs.pop("env", {})}, **kwargs)


def test_version_imports_neither_fire_nor_the_http_stack(cli):
    result = run_profiled(cli, "--version")
    assert result.returncode == 0
    modules = imported(result)
    assert "leger.cli" in modules
    assert not modules & (HTTP_STACK | {"fire", "asyncio", "leger.commands", "json"})


@pytest.mark.parametrize("argv", [("--help",), ("secrets", "--help"), ("secrets", "sync", "-h")])
def test_help_needs_neither_fire_nor_the_http_stack(cli, argv):
    result = run_profiled(cli, *argv)
    assert result.returncode == 0
    modules = imported(result)
    assert "leger.help" in modules
    assert not modules & (HTTP_STACK | ON_DEMAND | {"fire", "asyncio"})


def test_auth_status_skips_the_http_stack(cli):
    modules = imported(run_profiled(cli, "auth", "status"))
    assert "fire" in modules
    assert not modules & (HTTP_STACK | ON_DEMAND | NOT_AT_START)
    # A command loads its own module, not its neighbours'.
    assert "leger.commands.auth_status" in modules
    assert not modules & {"leger.commands.auth_login", "leger.commands.secrets_sync"}


def test_secrets_get_imports_only_what_a_request_needs(cli):
    with canned_server() as server:
        server.respond_json(*wire.V01.get_answer("k", "v"))
        result = run_profiled(
            cli.use_api(server.url), "secrets", "get", "k", env={"LEGER_TOKEN": "t"}
        )
    assert result.returncode == 0
    assert result.stdout == b"v"
    modules = imported(result)
    assert "httpx" in modules
    assert "leger_api_client.api.secrets.get_secret" in modules
    # Login's Tailscale code has no business in a secrets command.
    assert "leger.tailscale" not in modules
    # Only the operation it runs, of the form the server speaks: no other
    # operation's module or model, no login models, no other route form.
    assert not modules & {
        "leger_api_client.api.secrets.list_secrets",
        "leger_api_client.api.secrets.set_secret",
        "leger_api_client.api.secrets.delete_secret",
        "leger_api_client.models.set_secret_request",
        "leger_api_client.models.list_secrets_response",
        "leger_api_client.models.auth_request",
        "leger_api_client.models.rest_secret_item",
        "leger.api.secrets_rest",
    }
    # Nor what only a mistyped command line needs.
    assert "difflib" not in modules
    # The offline cache it writes names its temporary file with os.urandom, not secrets (hmac).
    assert "leger.cache.store" in modules
    assert not modules & {"secrets", "hmac"}
    assert "leger.api.secrets_v01" in modules
    assert not modules & ON_DEMAND


def test_getting_an_unchanged_value_again_loads_no_cryptography(cli):
    """Once its fetch times file knows the value, a refetch is recorded without decrypting."""
    # A JWT, as leger.run's tokens are: its subject names the cache with no hash to compute.
    env = {"LEGER_TOKEN": wire.EXAMPLE_TOKEN}
    with canned_server() as server:
        server.respond_json(*wire.V01.get_answer("k", "v"))
        cli.use_api(server.url)
        for _ in range(2):  # fills the cache, then finds the value unchanged by decrypting it
            assert cli.run("secrets", "get", "k", env=env).returncode == 0
        result = run_profiled(cli, "secrets", "get", "k", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"v"
    modules = imported(result)
    assert "leger.cache.fetch_times" in modules
    assert not {name for name in modules if name.split(".")[0] == "cryptography"}


def test_secrets_import_imports_the_dotenv_parser(cli, tmp_path):
    empty = tmp_path / "empty.env"
    empty.write_text("# no entries\n")
    result = run_profiled(cli, "secrets", "import", str(empty), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "dotenv.parser" in imported(result)


# --- the offline cache ---------------------------------------------------------------------

OFFLINE = [
    ("run", "--offline", "--", "true"),
    ("secrets", "export", "--offline"),
    ("secrets", "get", "k", "--offline"),
]


@pytest.mark.parametrize("argv", OFFLINE, ids=["run", "export", "get"])
def test_offline_loads_the_cache_and_neither_httpx_nor_the_generated_client(cli, argv):
    cli.env.update(LEGER_TOKEN="t", LEGER_API_ROUTES="rest")
    with canned_server() as server:
        server.respond_json(*wire.REST.values_answer({"k": "v"}))
        assert cli.use_api(server.url).run("secrets", "export").returncode == 0
        result = run_profiled(cli, *argv)
        assert len(server.requests) == 1  # the export that filled the cache
    assert result.returncode == 0, result.stderr
    modules = imported(result)
    assert "leger.offline" in modules
    assert "cryptography.hazmat.primitives.ciphers.aead" in modules
    assert not modules & (HTTP_STACK | ON_DEMAND | NOT_AT_START)
    # cryptography hashes the file's name too: hashlib would load a second OpenSSL.
    assert "hashlib" not in modules
    assert not {name for name in modules if name.startswith("leger_api_client")}
    # With LEGER_TOKEN there is no login file to read; without --only, no name to check.
    assert "leger.token_store" not in modules
    if argv[0] != "secrets" or argv[1] != "get":
        assert "leger.validation" not in modules


@pytest.mark.parametrize("argv", [("--help",), ("auth", "status"), ("cache", "status")])
def test_only_commands_that_read_or_write_values_load_the_cache_crypto(cli, argv):
    modules = imported(run_profiled(cli, *argv))
    assert "cryptography" not in modules
    if argv[0] != "cache":
        assert "leger.cache" not in modules
