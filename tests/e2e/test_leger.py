"""End to end: whole sessions of the installed ``leger`` against the local backend behind Prism.

The flows run real ``leger`` processes (the ``cli`` fixture: an isolated HOME, a
stand-in ``tailscale``) against ``devtools/leger_backend`` through ``prism proxy
--errors``, following the feature request: login, status, set, list, get,
update, delete, not found; two users; one user on two devices. Each test watches
the validating proxy's log for contract violations
(tests/fixtures/contract_watch.py). ``test_the_watch_catches_a_violation``
proves the watch sees a real violation.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.fixtures.backend import (
    Endpoint,
    http_request,
)
from tests.fixtures.contract_watch import ContractWatch
from tests.fixtures.prism import SPEC, prism
from tests.support import wire
from tests.support.flows import (
    ALICE_DESKTOP_STATUS,
    BOB_STATUS,
    TOKEN_DAYS,
    another_cli,
    assert_not_found,
    get,
    login,
    names,
    ok,
    parse_rfc3339,
)
from tests.support.serving import serving

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
    upstream = f"http://127.0.0.1:{server.server_address[1]}"
    with serving(server):
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
