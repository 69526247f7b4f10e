"""End to end: the installed ``leger`` against the local backend behind a validating Prism proxy.

The flows run real ``leger`` processes (the ``cli`` fixture: an isolated HOME, a
stand-in ``tailscale``) against ``devtools/leger_backend`` through ``prism proxy
--errors``, following the flows of the feature request: login, status, set, list,
get, update, delete, not found; expired, revoked and environment tokens; logout;
two users; one user on two devices; rate limiting. The per-command token cases
run the same flow in-process (``leger`` fixture) for every command, and through
the installed ``leger`` for one.

A contract violation must fail the test even when the CLI's own checks would
miss it (a 500 from Prism turns into an exit 1 that an error-path assertion
could accept). So each test watches the proxy's log: afterwards it sends a
sentinel request through the proxy, waits for Prism to have logged it (Prism
logs asynchronously, in order), and fails if anything in between was a
terminated request (``#VIOLATIONS`` for a response, ``#UNPROCESSABLE_ENTITY`` for
a request, ...) or an upstream 5xx. ``test_the_watch_catches_a_violation``
proves the watch sees a real violation.
"""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

import pytest

from tests.fixtures.backend import (
    ALICE,
    Endpoint,
    LocalBackend,
    ProxiedBackend,
    http_request,
)
from tests.fixtures.cli import Cli, Result, installed_leger
from tests.fixtures.prism import SPEC, prism
from tests.support import wire
from tests.support.inprocess import Leger
from tests.support.inprocess import Result as InProcessResult
from tests.support.tailscale import TAILSCALE_FIXTURES

LOG_WAIT = 15.0  # seconds for Prism to log the sentinel
ALICE_USER_ID = 6251389104827233  # the user in tests/data/tailscale/running.json (== ALICE)
LOGIN_HINT = "Authenticate with: leger auth login"
RELOGIN_HINT = "Re-authenticate with: leger auth login"
SECRET_COMMANDS = [
    ("secrets", "list"),
    ("secrets", "get", "api_key"),
    ("secrets", "set", "api_key", "S3CRET-new"),
    ("secrets", "delete", "api_key", "--force"),
]


# --- watching the proxy for contract violations ---------------------------------------------------


class ContractWatch:
    """What a validating Prism proxy logged since this watch was created."""

    def __init__(self, proxy: Endpoint) -> None:
        self.proxy = proxy
        # Let anything still being logged by earlier tests land before the mark.
        self.offset = len(self._sync())

    def problems(self) -> list[str]:
        """Log lines since the mark that show a violation, a Prism refusal or a 5xx."""
        text = self._sync()[self.offset :].decode("utf-8", "replace")
        lines = [line for line in text.splitlines() if "/_e2e/sentinel-" not in line]
        bad = re.compile(r"Request terminated with error|has returned 5\d\d|✖|⚠|warning")
        return [line for line in lines if bad.search(line)]

    def _sync(self) -> bytes:
        """Send a request Prism cannot route; the log (bytes) once its refusal is in it."""
        path = f"/_e2e/sentinel-{uuid.uuid4().hex}"
        answer = self.proxy.request("GET", path)
        assert answer.status == 404, (answer.status, answer.body)
        deadline = time.monotonic() + LOG_WAIT
        while True:
            log = self.proxy.log.read_bytes()
            end = log.rfind(b"\n")  # whole lines only: Prism may be mid-write
            lines = log[: end + 1].splitlines()
            if any(path.encode() in line and b"terminated" in line for line in lines):
                return log[: end + 1]
            assert time.monotonic() < deadline, f"Prism never logged {path}:\n{log[-3000:]!r}"
            time.sleep(0.05)


@pytest.fixture
def watch(start_proxy) -> Iterator[Callable[[Endpoint], ContractWatch]]:
    """``watch(proxy)`` starts watching; every watched proxy must be clean at teardown.

    It depends on ``start_proxy`` so that proxies a test starts are still running
    when the watch checks them.
    """
    watches: list[ContractWatch] = []

    def start(proxy: Endpoint) -> ContractWatch:
        watches.append(ContractWatch(proxy))
        return watches[-1]

    yield start
    for each in watches:
        problems = each.problems()
        assert not problems, "the proxy refused or flagged an exchange:\n" + "\n".join(problems)


@pytest.fixture
def api(fresh_proxied_backend: ProxiedBackend, watch) -> ProxiedBackend:
    """An empty backend behind the session's validating proxy, watched for violations."""
    watch(fresh_proxied_backend)
    return fresh_proxied_backend


@pytest.fixture
def any_api(fresh_proxied_backend_any_form: ProxiedBackend, watch, cli: Cli) -> ProxiedBackend:
    """``api``, once for each route form; leger finds the form itself, as for a user."""
    watch(fresh_proxied_backend_any_form)
    cli.env.pop("LEGER_API_ROUTES")
    return fresh_proxied_backend_any_form


# What a login's token lives on each form's backend (v0.1: 30 days; REST: one year).
TOKEN_DAYS = {"v0.1": 30, "rest": 365}


# --- running leger ----------------------------------------------------------------------------


def tailscale_status(*, user_id: int, login: str, node_id: str, hostname: str) -> str:
    """``tailscale status --json`` of running.json, for another user or device."""
    status = json.loads((TAILSCALE_FIXTURES / "running.json").read_text())
    status["Self"].update(
        ID=node_id, HostName=hostname, UserID=user_id, DNSName=f"{hostname}.tail4e2a91.ts.net."
    )
    status["User"] = {
        str(user_id): {
            "ID": user_id,
            "LoginName": login,
            "DisplayName": login.split("@")[0].title(),
            "ProfilePicURL": "",
            "Roles": [],
        }
    }
    status["CurrentTailnet"]["Name"] = login
    status["CertDomains"] = [f"{hostname}.tail4e2a91.ts.net"]
    return json.dumps(status, indent=2)


BOB_STATUS = tailscale_status(
    user_id=7351389104827299,
    login="bob@example.com",
    node_id="bQ5bT3kWq811CNTRL",
    hostname="bob-desktop",
)
ALICE_DESKTOP_STATUS = tailscale_status(
    user_id=ALICE_USER_ID,
    login="alice@example.com",
    node_id="dK8pV2nZs411CNTRL",  # another node of the same user
    hostname="alice-desktop",
)


def another_cli(tmp_path: Path, name: str, status: str) -> Cli:
    """A second isolated environment (its own HOME and tailscale identity)."""
    root = tmp_path / name
    root.mkdir()
    cli = Cli(root, installed_leger())
    cli.tailscale(f"raw:{status}")
    return cli


def ok(result: Result | InProcessResult) -> Result:
    """``result`` after checking that it succeeded and said nothing on stderr."""
    assert result.returncode == 0, (result.returncode, result.out, result.stderr)
    assert result.stderr == "", result.stderr
    return result


def login(cli: Cli | Leger, api: Endpoint, email: str = "alice@example.com") -> str:
    """``leger auth login`` against ``api``; the user UUID it printed."""
    result = ok(cli.use_api(api.url).run("auth", "login"))
    lines = result.out.splitlines()
    assert lines[0] == f"Authenticated as {email}", result.out
    uuid_line = next(line for line in lines if line.startswith("  User UUID: "))
    return uuid_line.removeprefix("  User UUID: ")


def get(cli: Cli | Leger, name: str) -> bytes:
    return ok(cli.run("secrets", "get", name)).stdout


def names(cli: Cli | Leger) -> dict[str, int]:
    """The secrets ``leger secrets list --json`` shows: name -> version."""
    rows = json.loads(ok(cli.run("secrets", "list", "--json")).stdout)
    return {row["name"]: row["version"] for row in rows}


def assert_not_found(result: Result, name: str) -> None:
    """The seed's not-found message, exit 1, nothing on stdout."""
    assert result.returncode == 1, (result.out, result.stderr)
    assert result.stdout == b""
    assert result.stderr == (
        f'Error: Secret "{name}" not found\n'
        "\n"
        "List available secrets:\n"
        "  leger secrets list\n"
        "\n"
        "Create secret:\n"
        f"  leger secrets set {name} <value>\n"
    )


def rewrite_expiry(cli: Cli | Leger, expires_at: datetime) -> None:
    """Edit ``expires_at`` in auth.json, as the seed's manual test does."""
    stored = json.loads(cli.auth_file.read_text())
    stored["expires_at"] = expires_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    cli.auth_file.write_text(json.dumps(stored, indent=2) + "\n")


def jwt_expiry(token: str) -> str:
    """A JWT's exp as leger shows it (RFC 3339, UTC, seconds)."""
    payload = token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return datetime.fromtimestamp(claims["exp"], UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_rfc3339(text: str) -> datetime:
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", text), text
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# --- the seed's main flow -----------------------------------------------------------------------


def test_login_set_list_get_update_delete_not_found(cli, any_api):
    api = any_api
    backend = api.backend
    first, second = "sk-test-abc123 ✓", "sk-test-rotated\twith  spaces \n"

    # login: the identity comes from the stand-in tailscale, the token is stored 0600
    result = ok(cli.use_api(api.url).run("auth", "login"))
    lines = result.out.splitlines()
    assert lines[0] == "Authenticated as alice@example.com"
    assert lines[1].startswith("  User UUID: ")
    user_uuid = str(uuid.UUID(lines[1].removeprefix("  User UUID: ")))
    assert lines[2] == "  Tailnet: alice@example.com"
    expires = parse_rfc3339(lines[3].removeprefix("  Token expires: "))
    lifetime = timedelta(days=TOKEN_DAYS[backend.routes])
    assert abs(expires - (datetime.now(UTC) + lifetime)) < timedelta(minutes=5)
    form = {"rest": "REST routes", "v0.1": "v0.1 routes"}[backend.routes]
    assert lines[4] == f"  Server: {api.url} ({form})"
    assert json.loads(cli.auth_file.read_text())["api_routes"] == backend.routes
    assert cli.auth_file.stat().st_mode & 0o777 == 0o600
    assert backend.state()["tokens"] == 1

    # status
    result = ok(cli.run("auth", "status"))
    assert result.out.splitlines()[:3] == [
        "Authenticated",
        "  User: alice@example.com",
        f"  UUID: {user_uuid}",
    ]

    # set (created, version 1)
    result = ok(cli.run("secrets", "set", "openai_api_key", first))
    lines = result.out.splitlines()
    assert lines[:3] == ["Secret created", "  Name: openai_api_key", "  Version: 1"]
    created = parse_rfc3339(lines[3].removeprefix("  Updated: "))
    assert abs(created - datetime.now(UTC)) < timedelta(minutes=5)
    assert first not in result.out
    assert backend.state()["secrets"] == 1

    # list (present, metadata only)
    result = ok(cli.run("secrets", "list"))
    lines = result.out.splitlines()
    assert lines[0].split() == ["Name", "Created", "Updated", "Version"]
    today = f"{created:%Y-%m-%d}"
    assert lines[1].split() == ["openai_api_key", today, today, "1"]
    assert lines[2:] == ["", "Total: 1 secret"]
    assert first not in result.out

    # get: the same bytes, no newline added
    assert get(cli, "openai_api_key") == first.encode("utf-8")

    # set again: updated, version 2, and get returns the new value exactly
    result = ok(cli.run("secrets", "set", "openai_api_key", second))
    assert result.out.splitlines()[:3] == [
        "Secret updated",
        "  Name: openai_api_key",
        "  Version: 2",
    ]
    assert get(cli, "openai_api_key") == second.encode("utf-8")
    assert names(cli) == {"openai_api_key": 2}
    assert backend.state()["secrets"] == 1

    # delete --force
    result = ok(cli.run("secrets", "delete", "openai_api_key", "--force"))
    lines = result.out.splitlines()
    assert lines[0] == "Secret openai_api_key deleted"
    if backend.routes == "v0.1":  # only the v0.1 form says when
        parse_rfc3339(lines[1].removeprefix("  Deleted at: "))
    else:
        assert lines[1:] == []
    assert backend.state()["secrets"] == 0

    # list: absent
    result = ok(cli.run("secrets", "list"))
    assert result.out == (
        "No secrets configured\n\nAdd secrets with: leger secrets set <name> <value>\n"
    )

    # get and delete: not found, exit 1
    assert_not_found(cli.run("secrets", "get", "openai_api_key"), "openai_api_key")
    assert_not_found(cli.run("secrets", "delete", "openai_api_key", "--force"), "openai_api_key")

    # a new secret after the delete starts again at version 1
    result = ok(cli.run("secrets", "set", "openai_api_key", "-", stdin=b"from stdin\n"))
    assert result.out.splitlines()[:3] == [
        "Secret created",
        "  Name: openai_api_key",
        "  Version: 1",
    ]
    assert get(cli, "openai_api_key") == b"from stdin"


def test_logout_then_status_says_not_authenticated(cli, any_api):
    api = any_api
    login(cli, api)
    ok(cli.run("secrets", "set", "api_key", "S3CRET-kept"))
    result = ok(cli.run("auth", "logout"))
    assert result.out.startswith("Logged out\n  leger.run cannot revoke tokens: the removed one ")
    assert not cli.auth_file.exists()

    status = cli.run("auth", "status")
    assert status.returncode == 4
    assert status.out == f"Not authenticated\n\n{LOGIN_HINT}\n"

    before = api.backend.state()["requests"]
    listed = cli.run("secrets", "list")
    assert listed.returncode == 4
    assert listed.stderr == f"Error: Not authenticated\n\n{LOGIN_HINT}\n"
    assert api.backend.state()["requests"] == before  # refused before any request

    # logging in again finds the secret where it was
    login(cli, api)
    assert get(cli, "api_key") == b"S3CRET-kept"


# --- tokens: expired, rejected, from the environment -----------------------------------------


def edited_past_expiry_is_refused_before_any_request(user: Cli | Leger, api, argv) -> None:
    login(user, api)
    ok(user.run("secrets", "set", "api_key", "S3CRET-old"))
    rewrite_expiry(user, datetime.now(UTC) - timedelta(hours=1))
    before = api.backend.state()["requests"]

    result = user.run(*argv)
    assert result.returncode == 4, (result.out, result.stderr)
    assert result.stdout == b""
    assert result.stderr.startswith(f"Error: Token expired\n\n{RELOGIN_HINT}\n")
    assert api.backend.state()["requests"] == before  # no request was made

    status = user.run("auth", "status")
    assert status.returncode == 4
    assert status.out.startswith(f"Token expired\n\n{RELOGIN_HINT}\n")
    assert api.backend.state()["requests"] == before

    # the server still has the secret, untouched; a new login reaches it
    login(user, api)
    assert get(user, "api_key") == b"S3CRET-old"


@pytest.mark.parametrize("argv", SECRET_COMMANDS, ids=lambda argv: argv[1])
def test_an_edited_past_expiry_is_refused_before_any_request(leger, api, argv):
    edited_past_expiry_is_refused_before_any_request(leger, api, argv)


def test_an_edited_past_expiry_is_refused_by_the_installed_leger(cli, api):
    edited_past_expiry_is_refused_before_any_request(cli, api, SECRET_COMMANDS[0])


def test_a_token_that_lived_one_second(cli, start_backend, start_proxy, watch):
    backend: LocalBackend = start_backend("--token-ttl", "1")
    proxy = start_proxy(backend)
    watch(proxy)
    login(cli, proxy)
    stored = json.loads(cli.auth_file.read_text())
    expires = parse_rfc3339(stored["expires_at"])
    assert expires <= datetime.now(UTC) + timedelta(seconds=1)
    token = stored["token"]

    time.sleep(1.5)

    # leger knows when its token expires: it refuses without asking the server
    before = backend.state()["requests"]
    result = cli.run("secrets", "list")
    assert result.returncode == 4, (result.out, result.stderr)
    assert result.stderr.startswith(f"Error: Token expired\n\n{RELOGIN_HINT}\n")
    assert backend.state()["requests"] == before

    # a client that believes the token is still good meets the server's 401
    rewrite_expiry(cli, datetime.now(UTC) + timedelta(days=1))
    result = cli.run("secrets", "list")
    assert result.returncode == 4, (result.out, result.stderr)
    assert result.stdout == b""
    assert result.stderr == (
        f"Error: leger.run rejected the token (invalid or expired)\n\n{RELOGIN_HINT}\n"
    )
    assert backend.state()["requests"] == before + 1  # one request, not retried

    # the same through LEGER_TOKEN: the JWT's own exp says it has expired
    cli.auth_file.unlink()
    before = backend.state()["requests"]
    result = cli.run("secrets", "list", env={"LEGER_TOKEN": token})
    assert result.returncode == 4, (result.out, result.stderr)
    assert result.stderr.startswith("Error: The token in LEGER_TOKEN expired at ")
    assert token not in result.stderr
    assert backend.state()["requests"] == before

    # a token the server does not know (no exp to read) meets the server's 401
    result = cli.run("secrets", "list", env={"LEGER_TOKEN": "not-a-token-it-knows"})
    assert result.returncode == 4, (result.out, result.stderr)
    assert "leger.run rejected the token in LEGER_TOKEN" in result.stderr


def token_no_longer_accepted_is_exit_4(user: Cli | Leger, api, argv, how: str) -> None:
    login(user, api)
    ok(user.run("secrets", "set", "api_key", "S3CRET-before"))
    token = json.loads(user.auth_file.read_text())["token"]
    assert getattr(api.backend, how)() == 1

    result = user.run(*argv)
    assert result.returncode == 4, (result.out, result.stderr)
    assert result.stdout == b""
    assert result.stderr == (
        f"Error: leger.run rejected the token (invalid or expired)\n\n{RELOGIN_HINT}\n"
    )
    assert token not in result.stderr
    assert user.auth_file.exists()  # leger does not throw the login away on its own

    # logging in again works, and nothing was changed by the refused command
    login(user, api)
    assert get(user, "api_key") == b"S3CRET-before"
    assert names(user) == {"api_key": 1}


@pytest.mark.parametrize("how", ["revoke_all", "expire_all"])
@pytest.mark.parametrize("argv", SECRET_COMMANDS, ids=lambda argv: argv[1])
def test_a_token_the_server_no_longer_accepts_is_exit_4(leger, api, argv, how):
    token_no_longer_accepted_is_exit_4(leger, api, argv, how)


def test_a_token_the_server_no_longer_accepts_is_exit_4_for_the_installed_leger(cli, api):
    token_no_longer_accepted_is_exit_4(cli, api, SECRET_COMMANDS[0], "revoke_all")


def test_leger_token_works_without_any_auth_file(cli, any_api):
    api = any_api
    token = api.login(ALICE)
    env = {"LEGER_TOKEN": token}
    cli.use_api(api.url)

    status = ok(cli.run("auth", "status", env=env))
    expires = jwt_expiry(token)
    assert status.out == (
        "Authenticated\n  Source: LEGER_TOKEN environment variable\n"
        f"  Expires: {expires} (read from the token)\n"
        f"  Server: {api.url} (routes not known yet)\n"
    )
    result = ok(cli.run("secrets", "set", "ci_key", "S3CRET-ci", env=env))
    assert result.out.startswith("Secret created\n")
    assert ok(cli.run("secrets", "get", "ci_key", env=env)).stdout == b"S3CRET-ci"
    listed = json.loads(ok(cli.run("secrets", "list", "--json", env=env)).stdout)
    assert [row["name"] for row in listed] == ["ci_key"]
    assert token not in result.out + result.stderr + status.out
    assert not cli.auth_file.exists()
    assert not cli.config_dir.exists()

    # the same Tailscale user logging in interactively sees the same secret
    login(cli, api)
    assert get(cli, "ci_key") == b"S3CRET-ci"


def test_against_the_rest_form_nothing_ever_reaches_secrets_set(
    cli, fresh_proxied_rest_backend, watch, tmp_path
):
    # What leger.run deploys: v0.1's POST /secrets/set would overwrite a secret named "set".
    api = fresh_proxied_rest_backend
    watch(api)
    cli.env.pop("LEGER_API_ROUTES")  # leger finds the form itself
    user = login(cli, api)
    value_file = tmp_path / "value"
    value_file.write_text("S3CRET-from-a-file")
    for argv, stdin in [
        (("secrets", "set", "k", "S3CRET-arg"), b""),
        (("secrets", "set", "k", "-"), b"S3CRET-stdin\n"),
        (("secrets", "set", "k2", f"@{value_file}"), b""),
        (("secrets", "set", "db:url", "postgres://x", "--label", "Prod"), b""),
        (("secrets", "list"), b""),
        (("secrets", "list", "--json"), b""),
        (("secrets", "get", "k"), b""),
        (("secrets", "delete", "k", "--force"), b""),
        (("auth", "status"), b""),
    ]:
        ok(cli.run(*argv, stdin=stdin))
    assert_not_found(cli.run("secrets", "get", "k"), "k")
    assert_not_found(cli.run("secrets", "delete", "k", "--force"), "k")
    token = json.loads(cli.auth_file.read_text())["token"]
    env = {"LEGER_TOKEN": token}  # and the same with a token that has to be probed
    ok(cli.run("secrets", "set", "k3", "S3CRET-env", env=env))
    ok(cli.run("secrets", "list", env=env))
    ok(cli.run("auth", "logout"))

    paths = [request["path"] for request in api.backend.requests()]
    assert "/secrets/set" not in paths
    assert "set" not in api.backend.names(user)
    assert api.backend.names(user) == ["db:url", "k2", "k3"]
    assert ("POST", "/secrets/k") in [(r["method"], r["path"]) for r in api.backend.requests()]


# --- users and devices --------------------------------------------------------------------------


def test_two_users_never_see_each_others_secrets(cli, any_api, tmp_path):
    api = any_api
    alice, bob = cli, another_cli(tmp_path, "bob", BOB_STATUS)
    bob.env.pop("LEGER_API_ROUTES")
    alice_uuid = login(alice, api)
    bob_uuid = login(bob, api, email="bob@example.com")
    assert alice_uuid != bob_uuid
    assert api.backend.state()["users"] == 2

    ok(alice.run("secrets", "set", "shared_name", "S3CRET-alice"))
    ok(alice.run("secrets", "set", "alice_only", "S3CRET-alice-only"))

    # bob sees nothing of alice's, cannot read or delete it
    result = ok(bob.run("secrets", "list"))
    assert result.out.startswith("No secrets configured\n")
    assert_not_found(bob.run("secrets", "get", "alice_only"), "alice_only")
    assert_not_found(bob.run("secrets", "delete", "alice_only", "--force"), "alice_only")
    assert_not_found(bob.run("secrets", "get", "shared_name"), "shared_name")

    # the same name is independent per user: bob's starts at version 1
    result = ok(bob.run("secrets", "set", "shared_name", "S3CRET-bob"))
    assert result.out.splitlines()[:3] == ["Secret created", "  Name: shared_name", "  Version: 1"]
    ok(bob.run("secrets", "set", "shared_name", "S3CRET-bob-2"))
    assert names(bob) == {"shared_name": 2}
    assert names(alice) == {"alice_only": 1, "shared_name": 1}
    assert get(alice, "shared_name") == b"S3CRET-alice"
    assert get(bob, "shared_name") == b"S3CRET-bob-2"

    # deleting one user's secret leaves the other's
    ok(alice.run("secrets", "delete", "shared_name", "--force"))
    assert get(bob, "shared_name") == b"S3CRET-bob-2"
    assert_not_found(alice.run("secrets", "get", "shared_name"), "shared_name")
    assert api.backend.state()["secrets"] == 2  # alice_only and bob's shared_name


def test_one_user_on_two_devices_shares_the_secrets(cli, api, tmp_path):
    laptop, desktop = cli, another_cli(tmp_path, "desktop", ALICE_DESKTOP_STATUS)
    assert login(laptop, api) == login(desktop, api)
    assert api.backend.state()["users"] == 1
    assert api.backend.state()["tokens"] == 2

    ok(laptop.run("secrets", "set", "api_key", "S3CRET-from-laptop"))
    assert names(desktop) == {"api_key": 1}
    assert get(desktop, "api_key") == b"S3CRET-from-laptop"

    result = ok(desktop.run("secrets", "set", "api_key", "S3CRET-from-desktop"))
    assert result.out.splitlines()[:3] == ["Secret updated", "  Name: api_key", "  Version: 2"]
    assert get(laptop, "api_key") == b"S3CRET-from-desktop"

    ok(desktop.run("secrets", "delete", "api_key", "--force"))
    assert_not_found(laptop.run("secrets", "get", "api_key"), "api_key")

    # logging out on one device leaves the other logged in
    ok(desktop.run("auth", "logout"))
    assert ok(laptop.run("secrets", "list")).out.startswith("No secrets configured\n")


# --- rate limiting ------------------------------------------------------------------------------


def test_rate_limited_says_when_to_try_again(cli, api):
    login(cli, api)
    before = api.backend.state()["requests"]
    api.backend.rate_limit(after=0, retry_after=60)
    try:
        started = time.monotonic()
        result = cli.run("secrets", "list")
        took = time.monotonic() - started
        requests = api.backend.state()["requests"] - before
    finally:
        api.backend.rate_limit(None)
    assert result.returncode == 1, (result.out, result.stderr)
    assert result.stdout == b""
    assert "Rate limited by leger.run: try again in 60 seconds" in result.stderr
    assert requests == 1  # a minute is too long to wait: no retry
    assert took < 30


def test_a_short_retry_after_is_waited_out(cli, api):
    login(cli, api)
    before = api.backend.state()["requests"]
    api.backend.rate_limit(after=0, retry_after=1, times=1)
    started = time.monotonic()
    result = ok(cli.run("secrets", "set", "api_key", "S3CRET-patient"))
    took = time.monotonic() - started
    assert result.out.splitlines()[:3] == ["Secret created", "  Name: api_key", "  Version: 1"]
    assert api.backend.state()["requests"] - before == 2  # the 429, then the retry
    assert took >= 1.0

    api.backend.rate_limit(after=0, retry_after=1, times=1)
    assert get(cli, "api_key") == b"S3CRET-patient"
    assert names(cli) == {"api_key": 1}  # the refused attempt changed nothing


# --- the watch itself ---------------------------------------------------------------------------


class _MalformedList(BaseHTTPRequestHandler):
    """A backend whose list breaks the contract (no total_count, secrets not an array)."""

    def do_GET(self) -> None:
        body = json.dumps({"success": True, "data": {"secrets": "none"}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_the_watch_catches_a_violation(cli, tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _MalformedList)
    thread = Thread(target=server.serve_forever, daemon=True)
    thread.start()
    upstream = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        log = tmp_path / "prism.log"
        with prism(["proxy", SPEC, upstream, "--errors"], log) as url:
            watch = ContractWatch(Endpoint(url=url, log=log))
            assert watch.problems() == []
            # a response that breaks the contract
            result = cli.use_api(url).run("secrets", "list", env={"LEGER_TOKEN": "t0ken"})
            assert result.returncode == 1, (result.out, result.stderr)
            assert "leger.run failed" in result.stderr  # Prism's 500
            problems = watch.problems()
            assert any("#VIOLATIONS" in line for line in problems), problems
            # a request that breaks the contract
            watch = ContractWatch(Endpoint(url=url, log=log))
            method, path = wire.V01.set("bad name")
            body = {"name": "bad name"}
            refused = http_request(method, url + path, token="t0ken", json_body=body)
            assert refused.status == 422
            problems = watch.problems()
            assert any("#UNPROCESSABLE_ENTITY" in line for line in problems), problems
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
