"""The local backend's behaviour over HTTP: state, isolation, validation bounds, 401, 429."""

from __future__ import annotations

import http.client
import json
import re
import socket
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from devtools.processes import free_port, running
from tests.fixtures.backend import ALICE, BOB, auth_body, http_request
from tests.support.backend_process import refused_start

RFC3339_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
SECRET_OPS = [
    ("GET", "/secrets/list", None),
    ("POST", "/secrets/set", {"name": "k", "value": "v"}),
    ("GET", "/secrets/get/k", None),
    ("DELETE", "/secrets/k", None),
]


def error_code(response) -> str:
    body = response.json()
    assert body["success"] is False
    assert set(body["error"]) == {"code", "message"}
    assert body["error"]["message"]
    return body["error"]["code"]


def assert_recent_utc(stamp: str) -> None:
    assert RFC3339_UTC.fullmatch(stamp), stamp
    when = datetime.fromisoformat(stamp)
    assert when.tzinfo is not None
    assert abs(datetime.now(UTC) - when) < timedelta(minutes=1)


# --- login -------------------------------------------------------------------


def test_login_issues_an_opaque_token_for_a_deterministic_user(fresh_backend):
    response = fresh_backend.request("POST", "/auth/cli", json_body=auth_body())
    assert response.status == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["success"] is True
    data = body["data"]
    assert data["token_type"] == "Bearer"
    assert data["expires_in"] == 2592000
    assert len(data["token"]) >= 32
    assert data["user"] == {"tailscale_email": ALICE["login_name"], "display_name": None}
    assert uuid.UUID(data["user_uuid"]).version == 5


def test_same_tailscale_user_from_two_devices_gets_one_uuid_and_two_tokens(fresh_backend):
    laptop = fresh_backend.request("POST", "/auth/cli", json_body=auth_body(ALICE)).json()
    phone_identity = {**ALICE, "device_id": "other-node", "device_hostname": "alice-phone"}
    phone = fresh_backend.request("POST", "/auth/cli", json_body=auth_body(phone_identity)).json()
    bob = fresh_backend.request("POST", "/auth/cli", json_body=auth_body(BOB)).json()
    assert laptop["data"]["user_uuid"] == phone["data"]["user_uuid"]
    assert laptop["data"]["token"] != phone["data"]["token"]
    assert bob["data"]["user_uuid"] != laptop["data"]["user_uuid"]


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[]",
        b'"a string"',
        b"\xff\xfe",
        b'{"cli_version": "0.1.0"}',
        b'{"tailscale": "alice", "cli_version": "0.1.0"}',
        pytest.param({"tailscale": ALICE}, id="no-cli-version"),
        pytest.param({"tailscale": ALICE, "cli_version": ""}, id="empty-cli-version"),
        pytest.param(
            {"tailscale": {**ALICE, "user_id": ""}, "cli_version": "0.1.0"}, id="empty-user-id"
        ),
        pytest.param(
            {"tailscale": {**ALICE, "user_id": 6251389104827233}, "cli_version": "0.1.0"},
            id="numeric-user-id",
        ),
        pytest.param(
            {"tailscale": {k: v for k, v in ALICE.items() if k != "tailnet"}, "cli_version": "1"},
            id="no-tailnet",
        ),
    ],
)
def test_malformed_login_is_400_with_the_envelope(fresh_backend, body):
    if isinstance(body, bytes):
        response = fresh_backend.request(
            "POST", "/auth/cli", body=body, headers={"Content-Type": "application/json"}
        )
    else:
        response = fresh_backend.request("POST", "/auth/cli", json_body=body)
    assert response.status == 400
    assert error_code(response) == "invalid_request"


# --- secrets: the round trip ---------------------------------------------------


def test_set_get_list_delete_round_trip(fresh_backend):
    token = fresh_backend.login()

    created = fresh_backend.request(
        "POST", "/secrets/set", token=token, json_body={"name": "api_key", "value": "v1"}
    )
    assert created.status == 201
    data = created.json()["data"]
    assert data["name"] == "api_key"
    assert data["version"] == 1
    assert data["message"] == "Secret created successfully"
    assert_recent_utc(data["updated_at"])

    for expected_version, value in [(2, "v2"), (3, "v3 ünïcode")]:
        updated = fresh_backend.request(
            "POST", "/secrets/set", token=token, json_body={"name": "api_key", "value": value}
        )
        assert updated.status == 200
        assert updated.json()["data"]["version"] == expected_version
        assert updated.json()["data"]["message"] == "Secret updated successfully"

    got = fresh_backend.request("GET", "/secrets/get/api_key", token=token)
    assert got.status == 200
    assert got.json() == {
        "success": True,
        "data": {"name": "api_key", "value": "v3 ünïcode", "version": 3},
    }

    listed = fresh_backend.request("GET", "/secrets/list", token=token).json()["data"]
    assert listed["total_count"] == 1
    (meta,) = listed["secrets"]
    assert set(meta) == {"name", "created_at", "updated_at", "version"}  # never the value
    assert meta["name"] == "api_key"
    assert meta["version"] == 3
    assert_recent_utc(meta["created_at"])
    assert_recent_utc(meta["updated_at"])
    assert meta["created_at"] <= meta["updated_at"]

    deleted = fresh_backend.request("DELETE", "/secrets/api_key", token=token)
    assert deleted.status == 200
    assert deleted.json()["data"]["name"] == "api_key"
    assert_recent_utc(deleted.json()["data"]["deleted_at"])

    gone = fresh_backend.request("GET", "/secrets/get/api_key", token=token)
    assert gone.status == 404
    assert error_code(gone) == "secret_not_found"
    assert fresh_backend.request("DELETE", "/secrets/api_key", token=token).status == 404
    empty = fresh_backend.request("GET", "/secrets/list", token=token).json()["data"]
    assert empty == {"secrets": [], "total_count": 0}


def test_a_recreated_secret_starts_again_at_version_1(fresh_backend):
    token = fresh_backend.login()
    body = {"name": "k", "value": "v"}
    fresh_backend.request("POST", "/secrets/set", token=token, json_body=body)
    fresh_backend.request("POST", "/secrets/set", token=token, json_body=body)
    fresh_backend.request("DELETE", "/secrets/k", token=token)
    again = fresh_backend.request("POST", "/secrets/set", token=token, json_body=body)
    assert again.status == 201
    assert again.json()["data"]["version"] == 1


def test_list_is_sorted_by_name_and_counts(fresh_backend):
    token = fresh_backend.login()
    for name in ["zeta", "alpha", "Mid-1"]:
        fresh_backend.request(
            "POST", "/secrets/set", token=token, json_body={"name": name, "value": "x"}
        )
    listed = fresh_backend.request("GET", "/secrets/list", token=token).json()["data"]
    assert [s["name"] for s in listed["secrets"]] == ["Mid-1", "alpha", "zeta"]
    assert listed["total_count"] == 3


def test_secret_names_like_route_words_are_ordinary_names(fresh_backend):
    token = fresh_backend.login()
    for name in ["list", "set", "get"]:
        body = {"name": name, "value": name}
        assert (
            fresh_backend.request("POST", "/secrets/set", token=token, json_body=body).status == 201
        )
        assert fresh_backend.request("DELETE", f"/secrets/{name}", token=token).status == 200


# --- isolation -----------------------------------------------------------------


def test_two_users_never_see_each_others_secrets(fresh_backend):
    alice = fresh_backend.login(ALICE)
    bob = fresh_backend.login(BOB)
    fresh_backend.request(
        "POST", "/secrets/set", token=alice, json_body={"name": "shared", "value": "alice's"}
    )

    assert (
        fresh_backend.request("GET", "/secrets/list", token=bob).json()["data"]["total_count"] == 0
    )
    assert fresh_backend.request("GET", "/secrets/get/shared", token=bob).status == 404
    assert fresh_backend.request("DELETE", "/secrets/shared", token=bob).status == 404

    # Bob's own secret of the same name is a separate secret, created at version 1.
    own = fresh_backend.request(
        "POST", "/secrets/set", token=bob, json_body={"name": "shared", "value": "bob's"}
    )
    assert own.status == 201
    assert own.json()["data"]["version"] == 1

    alices = fresh_backend.request("GET", "/secrets/get/shared", token=alice).json()["data"]
    assert alices == {"name": "shared", "value": "alice's", "version": 1}

    # Alice from another device is the same namespace.
    phone = fresh_backend.login({**ALICE, "device_id": "phone", "device_hostname": "alice-phone"})
    from_phone = fresh_backend.request("GET", "/secrets/get/shared", token=phone).json()["data"]
    assert from_phone["value"] == "alice's"


# --- validation bounds -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("a", True),
        ("A-z_0-9", True),
        ("n" * 64, True),
        ("n" * 65, False),
        ("", False),
        ("has space", False),
        ("dot.ted", False),
        ("slash/ed", False),
        ("ünïcode", False),
        ("trailing-newline\n", False),
    ],
)
def test_secret_name_bounds(fresh_backend, name, valid):
    token = fresh_backend.login()
    response = fresh_backend.request(
        "POST", "/secrets/set", token=token, json_body={"name": name, "value": "v"}
    )
    if valid:
        assert response.status == 201
    else:
        assert response.status == 400
        assert error_code(response) == "invalid_secret_name"


@pytest.mark.parametrize(
    ("value", "status", "code"),
    [
        ("x" * 10240, 201, None),
        ("x" * 10241, 400, "secret_value_too_large"),
        ("é" * 5120, 201, None),  # 10240 bytes of UTF-8
        ("é" * 5120 + "x", 400, "secret_value_too_large"),  # 10241 bytes
        ("€" * 3413, 201, None),  # 10239 bytes
        ("€" * 3414, 400, "secret_value_too_large"),  # 3414 characters, but 10242 bytes
        ("🔑" * 2560, 201, None),  # 4-byte characters: exactly 10240 bytes
        ("🔑" * 2561, 400, "secret_value_too_large"),
        ("", 400, "invalid_request"),
    ],
    ids=lambda v: v if isinstance(v, int | type(None)) else f"{len(v)}chars",
)
def test_secret_value_bounds_count_utf8_bytes(fresh_backend, value, status, code):
    token = fresh_backend.login()
    response = fresh_backend.request(
        "POST", "/secrets/set", token=token, json_body={"name": "v", "value": value}
    )
    assert response.status == status
    if code is None:
        got = fresh_backend.request("GET", "/secrets/get/v", token=token).json()["data"]
        assert got["value"] == value
    else:
        assert error_code(response) == code


@pytest.mark.parametrize(
    "body",
    [
        {"value": "v"},
        {"name": "k"},
        {"name": 7, "value": "v"},
        {"name": "k", "value": 7},
        {"name": "k", "value": None},
        ["k", "v"],
    ],
    ids=str,
)
def test_malformed_set_body_is_400_invalid_request(fresh_backend, body):
    token = fresh_backend.login()
    response = fresh_backend.request("POST", "/secrets/set", token=token, json_body=body)
    assert response.status == 400
    assert error_code(response) == "invalid_request"


def test_lone_surrogate_value_is_rejected_not_a_500(fresh_backend):
    token = fresh_backend.login()
    body = b'{"name": "k", "value": "\\ud800"}'
    response = fresh_backend.request(
        "POST", "/secrets/set", token=token, body=body, headers={"Content-Type": "application/json"}
    )
    assert response.status == 400


@pytest.mark.parametrize("name", ["n" * 65, "has%20space", "%C3%BC"])
def test_get_and_delete_of_an_impossible_name_are_not_found(fresh_backend, name):
    token = fresh_backend.login()
    for method, path in [("GET", f"/secrets/get/{name}"), ("DELETE", f"/secrets/{name}")]:
        response = fresh_backend.request(method, path, token=token)
        assert response.status == 404
        assert error_code(response) == "secret_not_found"


# --- tokens ------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "body"), SECRET_OPS)
@pytest.mark.parametrize(
    "authorization", [None, "Bearer", "Bearer not-a-token", "Basic YWxpY2U6c2VjcmV0"]
)
def test_missing_or_unknown_token_is_401_invalid_token(
    fresh_backend, method, path, body, authorization
):
    headers = {"Authorization": authorization} if authorization else {}
    response = fresh_backend.request(method, path, json_body=body, headers=headers)
    assert response.status == 401
    assert error_code(response) == "invalid_token"
    assert "leger auth login" in response.json()["error"]["message"]


def test_token_expires_after_its_lifetime(start_backend):
    short = start_backend("--token-ttl", "1")
    login = short.request("POST", "/auth/cli", json_body=auth_body()).json()["data"]
    assert login["expires_in"] == 1
    token = login["token"]
    assert short.request("GET", "/secrets/list", token=token).status == 200
    time.sleep(1.2)
    expired = short.request("GET", "/secrets/list", token=token)
    assert expired.status == 401
    assert error_code(expired) == "invalid_token"
    # A new login works again, and the user's secrets were never tied to the token.
    assert short.request("GET", "/secrets/list", token=short.login()).status == 200


@pytest.mark.parametrize("action", ["expire-all", "revoke-all"])
def test_control_can_make_every_token_unacceptable(fresh_backend, action):
    token = fresh_backend.login()
    fresh_backend.request(
        "POST", "/secrets/set", token=token, json_body={"name": "k", "value": "v"}
    )
    assert fresh_backend.control(action) != {}
    response = fresh_backend.request("GET", "/secrets/get/k", token=token)
    assert response.status == 401
    assert error_code(response) == "invalid_token"
    again = fresh_backend.login()
    assert (
        fresh_backend.request("GET", "/secrets/get/k", token=again).json()["data"]["value"] == "v"
    )


def test_reset_forgets_tokens_and_secrets(fresh_backend):
    token = fresh_backend.login()
    fresh_backend.request(
        "POST", "/secrets/set", token=token, json_body={"name": "k", "value": "v"}
    )
    assert fresh_backend.state() == {
        "users": 1,
        "tokens": 1,
        "secrets": 1,
        "requests": 2,
        "routes": "v0.1",
    }
    fresh_backend.reset()
    assert fresh_backend.state() == {
        "users": 0,
        "tokens": 0,
        "secrets": 0,
        "requests": 0,
        "routes": "v0.1",
    }
    assert fresh_backend.request("GET", "/secrets/list", token=token).status == 401


# --- rate limiting --------------------------------------------------------------------


def test_rate_limit_after_n_requests_answers_429_with_retry_after(start_backend):
    limited = start_backend("--rate-limit-after", "2", "--retry-after", "7")
    token = limited.login()
    assert limited.request("GET", "/secrets/list", token=token).status == 200
    for _ in range(2):  # and it stays limited
        response = limited.request("GET", "/secrets/list", token=token)
        assert response.status == 429
        assert response.headers["retry-after"] == "7"
        assert error_code(response) == "rate_limit_exceeded"
        assert "7 seconds" in response.json()["error"]["message"]
    # reset returns to the command line's setting: two more requests, then 429 again
    limited.reset()
    token = limited.login()
    assert limited.request("GET", "/secrets/list", token=token).status == 200
    assert limited.request("GET", "/secrets/list", token=token).status == 429


def test_rate_limit_control_can_refuse_a_few_requests_then_recover(fresh_backend):
    token = fresh_backend.login()
    fresh_backend.rate_limit(after=1, retry_after=1, times=2)
    assert fresh_backend.request("GET", "/secrets/list", token=token).status == 200
    refused = [fresh_backend.request("GET", "/secrets/list", token=token) for _ in range(2)]
    assert [r.status for r in refused] == [429, 429]
    assert all(r.headers["retry-after"] == "1" for r in refused)
    assert fresh_backend.request("GET", "/secrets/list", token=token).status == 200
    fresh_backend.rate_limit(after=0)  # every request from now on
    assert fresh_backend.request("POST", "/auth/cli", json_body=auth_body()).status == 429
    fresh_backend.rate_limit(after=None)
    assert fresh_backend.request("GET", "/secrets/list", token=token).status == 200


@pytest.mark.parametrize(
    "payload", [{"after": -1}, {"after": "1"}, {"after": 1, "retry_after": None}, {"times": 1.5}]
)
def test_rate_limit_control_rejects_nonsense(fresh_backend, payload):
    response = fresh_backend.request("POST", "/_control/rate-limit", json_body=payload)
    assert response.status == 400


# --- routing, HTTP and process ------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/"), ("GET", "/secrets"), ("GET", "/secrets/list/"), ("POST", "/auth/cli/x")],
)
def test_unknown_paths_are_404_envelopes(fresh_backend, method, path):
    response = fresh_backend.request(method, path)
    assert response.status == 404
    assert error_code(response) == "not_found"


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("GET", "/auth/cli", "POST"),
        ("PUT", "/secrets/set", "POST"),  # though DELETE /secrets/set deletes a secret "set"
        ("POST", "/secrets/get/k", "GET"),
        ("PATCH", "/secrets/k", "DELETE"),
    ],
)
def test_wrong_method_is_405_with_allow(fresh_backend, method, path, allow):
    response = fresh_backend.request(method, path)
    assert response.status == 405
    assert response.headers["allow"] == allow
    assert error_code(response) == "method_not_allowed"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/secrets", 404),
        ("GET", "/secrets?include_values=true", 404),
        ("GET", "/secrets/k", 405),
        ("POST", "/secrets/k", 405),
        ("GET", "/secrets/selections", 405),
        ("GET", "/health", 404),
    ],
)
def test_rest_requests_are_not_v01_routes_and_change_nothing(fresh_backend, method, path, status):
    token = fresh_backend.login()
    fresh_backend.request(
        "POST", "/secrets/set", token=token, json_body={"name": "k", "value": "v"}
    )
    response = fresh_backend.request(method, path, token=token, json_body={"value": "new"})
    assert response.status == status
    assert error_code(response) == ("not_found" if status == 404 else "method_not_allowed")
    assert fresh_backend.request("GET", "/secrets/get/k", token=token).json()["data"] == {
        "name": "k",
        "value": "v",
        "version": 1,
    }


@pytest.mark.parametrize("method", ["QUERY", "BREW", "HEAD", "OPTIONS"])
def test_any_other_method_is_405_not_501(fresh_backend, method):
    response = fresh_backend.request(method, "/secrets/list")
    assert response.status == 405
    assert response.headers["allow"] == "GET"
    if method != "HEAD":
        assert error_code(response) == "method_not_allowed"


def test_a_malformed_request_line_is_still_a_json_envelope(fresh_backend):
    host, port = fresh_backend.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"NONSENSE\r\n\r\n")
        reply = sock.makefile("rb").read()
    # No parsable request line means HTTP/0.9 for http.server: a bare body, no status line.
    body = reply.partition(b"\r\n\r\n")[2] or reply
    assert json.loads(body)["success"] is False


def test_chunked_request_bodies_are_read(fresh_backend):
    token = fresh_backend.login()
    host, port = fresh_backend.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        chunks = iter([b'{"name": "chunked", ', b'"value": "in pieces"}'])
        connection.request(
            "POST",
            "/secrets/set",
            body=chunks,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            encode_chunked=True,
        )
        assert connection.getresponse().status == 201
    finally:
        connection.close()
    got = fresh_backend.request("GET", "/secrets/get/chunked", token=token).json()["data"]
    assert got["value"] == "in pieces"


def test_base_path_serves_the_api_under_a_prefix(start_backend):
    prefixed = start_backend("--base-path", "/api")
    assert prefixed.request("GET", "/secrets/list").status == 404
    token = prefixed.request("POST", "/api/auth/cli", json_body=auth_body()).json()["data"]["token"]
    assert prefixed.request("GET", "/api/secrets/list", token=token).status == 200


def test_the_log_never_holds_tokens_or_values(start_backend):
    server = start_backend()
    token = server.login()
    value = "s3cr3t-value-that-must-not-be-logged"
    server.request("POST", "/secrets/set", token=token, json_body={"name": "k", "value": value})
    server.request("GET", "/secrets/get/k", token=token)
    server.request("GET", "/secrets/list", token="wrong-token-also-secret")
    log = server.log.read_text()
    assert "POST /secrets/set -> 201" in log
    for secret in [token, value, "wrong-token-also-secret"]:
        assert secret not in log


def test_control_surface_is_off_unless_asked_for(tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    argv = [sys.executable, "-m", "devtools.leger_backend", "--port", str(port), "--quiet"]
    with running(argv, f"{url}/secrets/list", log=tmp_path / "log"):
        actions = [
            ("POST", "reset"),
            ("GET", "state"),
            ("POST", "revoke-all"),
            ("GET", "requests"),
            ("POST", "fail-writes"),
            ("GET", "names"),
        ]
        for method, action in actions:
            response = http_request(method, f"{url}/_control/{action}")
            assert response.status == 404
            assert error_code(response) == "not_found"


@pytest.mark.parametrize("routes", ["rest", "v0.1"])
def test_the_banner_names_the_route_form(start_backend, routes):
    server = start_backend(routes=routes)
    assert f"{routes} routes" in server.log.read_text()


def test_an_unknown_route_form_is_a_usage_error():
    result = refused_start("--routes", "v2")
    assert result.returncode == 2
    assert "--routes" in result.stderr


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "localhost", "::"])  # noqa: S104
def test_refuses_to_listen_beyond_loopback(host):
    result = refused_start("--host", host)
    assert result.returncode == 2
    assert "loopback" in result.stderr or "not an IP address" in result.stderr
