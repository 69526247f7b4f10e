"""Steps of the end-to-end flows, the same for either runner.

Each step takes the in-process ``leger`` (tests/support/inprocess.py) or the
installed one (``cli``), whose results both have ``returncode``, ``out`` and
``stderr``: a scenario such as ``edited_past_expiry_is_refused_before_any_request``
runs in-process for every command (tests/cli/) and through the installed
``leger`` for one (tests/e2e/). Also the Tailscale statuses of other users and
devices, and a second isolated environment for them.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from tests.fixtures.backend import (
    Endpoint,
    LocalBackend,
    ProxiedBackend,
)
from tests.fixtures.cli import Cli, Result, installed_leger
from tests.support.roundtrip import Runner, RunResult
from tests.support.tailscale import TAILSCALE_FIXTURES

ALICE_USER_ID = 6251389104827233  # the user in tests/data/tailscale/running.json (== ALICE)


R = TypeVar("R", bound=RunResult)  # either runner's result
LOGIN_HINT = "Authenticate with: leger auth login"


RELOGIN_HINT = "Re-authenticate with: leger auth login"


SECRET_COMMANDS = [
    ("secrets", "list"),
    ("secrets", "get", "api_key"),
    ("secrets", "set", "api_key", "S3CRET-new"),
    ("secrets", "delete", "api_key", "--force"),
]


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


def ok(result: R) -> R:
    """``result`` after checking that it succeeded and said nothing on stderr."""
    assert result.returncode == 0, (result.returncode, result.out, result.stderr)
    assert result.stderr == "", result.stderr
    return result


def login(cli: Runner, api: Endpoint, email: str = "alice@example.com") -> str:
    """``leger auth login`` against ``api``; the user UUID it printed."""
    result = ok(cli.use_api(api.url).run("auth", "login"))
    lines = result.out.splitlines()
    assert lines[0] == f"Authenticated as {email}", result.out
    uuid_line = next(line for line in lines if line.startswith("  User UUID: "))
    return uuid_line.removeprefix("  User UUID: ")


def log_in_holding(
    cli: Cli, backend: LocalBackend, store: dict[str, str], email: str = "alice@example.com"
) -> str:
    """Log in to ``backend`` as a user does (``auth login`` finds the route form), and give the
    user ``store`` there straight over HTTP; the user UUID."""
    cli.env.pop("LEGER_API_ROUTES", None)
    user = login(cli, backend, email)
    backend.seed(user, store)
    return user


def stdout_of(result: RunResult) -> bytes:
    """``result``'s stdout, after checking that it succeeded (stderr may hold a warning)."""
    assert result.returncode == 0, (result.returncode, result.stderr)
    return result.stdout


def cache_entries(cli: Runner) -> list[dict[str, Any]]:
    """The offline caches ``leger cache status --json`` lists."""
    entries: list[dict[str, Any]] = json.loads(stdout_of(cli.run("cache", "status", "--json")))
    return entries


def get(cli: Runner, name: str) -> bytes:
    return ok(cli.run("secrets", "get", name)).stdout


def names(cli: Runner) -> dict[str, int]:
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


def rewrite_expiry(cli: Runner, expires_at: datetime) -> None:
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


# --- tokens: expired, rejected, from the environment -----------------------------------------


def edited_past_expiry_is_refused_before_any_request(
    user: Runner, api: ProxiedBackend, argv: tuple[str, ...]
) -> None:
    """A login whose expiry was edited into the past is refused before any request; a new
    login reaches the secret, untouched."""
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


def token_no_longer_accepted_is_exit_4(
    user: Runner, api: ProxiedBackend, argv: tuple[str, ...], how: str
) -> None:
    """A token the server revoked or expired (``how``) is exit 4 naming auth login; a new login
    finds the secret."""
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
