"""``LegerClient`` (leger/api/client.py) over ``httpx.MockTransport``: no network at all.

Headers, the base URL, and every way a call can fail: each must surface as a
``leger.errors.LegerError`` whose message is useful (the HTTP status, the URL)
and never contains the token. Calls go through the v0.1 operations.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from devtools.processes import free_port
from leger import __version__
from leger.api.client import LegerClient
from leger.api.secrets_v01 import V01Secrets
from leger.errors import (
    ApiError,
    ExitCode,
    Forbidden,
    InvalidRequest,
    InvalidToken,
    LegerError,
    RateLimited,
    RequestTimeout,
    RoutesMismatch,
    ServerError,
    TransportError,
    UnexpectedResponse,
    WrongShape,
)
from tests.support import wire
from tests.support.api import BASE, TOKEN, MockServer, answering, failing

VALUE = "sk-value-do-not-print"
LIST_OK = wire.V01.list_answer([wire.EXAMPLE_ROWS[0]])[1]
GET_OK = wire.V01.get_answer("openai_api_key", VALUE, version=3)[1]
DELETE_OK = wire.V01.delete_answer("openai_api_key")[1]
AUTH_OK = wire.login_answer("eyJhbGciOiJIUzI1NiJ9.e30.c2ln")[1]
IDENTITY = wire.IDENTITY


# name -> (call through the layer, a valid success body for it)
CALLS: dict[str, tuple[Callable[[V01Secrets], Any], dict[str, Any]]] = {
    "authenticate": (lambda c: c.client.authenticate(IDENTITY), AUTH_OK),
    "list_secrets": (lambda c: c.list_secrets(), LIST_OK),
    "set_secret": (
        lambda c: c.set_secret(wire.SET_CREATED["data"]["name"], VALUE),
        wire.SET_CREATED,
    ),
    "get_secret": (lambda c: c.get_secret("openai_api_key"), GET_OK),
    "delete_secret": (lambda c: c.delete_secret("openai_api_key"), DELETE_OK),
}


envelope = wire.error


def assert_no_credentials(error: BaseException) -> None:
    """Neither the token nor the secret value is in anything shown to the user."""
    shown = [str(error), repr(error)]
    if isinstance(error, LegerError):
        shown += [error.message, error.hint or ""]
    for text in shown:
        assert TOKEN not in text
        assert VALUE not in text


def raised(server: MockServer, name: str = "list_secrets", **client_kwargs: Any) -> LegerError:
    """The ``LegerError`` a call raises (anything else fails the test)."""
    call = CALLS[name][0]
    with server.client(**client_kwargs) as client, pytest.raises(LegerError) as info:
        call(client)
    assert_no_credentials(info.value)
    return info.value


# --- headers ----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CALLS))
def test_user_agent_and_token_on_every_call(name: str) -> None:
    call, body = CALLS[name]
    server = answering(201 if name == "set_secret" else 200, body)
    with server.client() as client:
        call(client)
    (request,) = server.requests
    assert request.headers["user-agent"] == f"leger-cli/{__version__}"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize("name", sorted(CALLS))
def test_no_authorization_header_without_a_token(name: str) -> None:
    call, body = CALLS[name]
    server = answering(200, body)
    with server.client(token=None) as client:
        call(client)
    (request,) = server.requests
    assert "authorization" not in request.headers
    assert request.headers["user-agent"] == f"leger-cli/{__version__}"


def test_authenticate_sends_the_identity_and_cli_version() -> None:
    server = answering(200, AUTH_OK)
    with server.client(token=None) as client:
        data = client.client.authenticate(IDENTITY)
    assert data.token == AUTH_OK["data"]["token"]
    assert data.user.display_name is None
    body = json.loads(server.requests[0].content)
    assert body == {
        "tailscale": {
            "user_id": "6251389104827233",
            "login_name": "alice@example.com",
            "device_id": "nQ5bT3kWq811CNTRL",
            "device_hostname": "alice-laptop",
            "tailnet": "alice@example.com",
        },
        "cli_version": __version__,
    }


# --- base URL ---------------------------------------------------------------


@pytest.mark.parametrize(
    "base_url",
    [
        "http://api.leger.run",
        "http://example.com:8787/api",
        "http://10.0.0.1:8787",
        "http://192.168.1.20",
        "http://0.0.0.0:8787",
        "http://localhost.example.com",
        "http://127.0.0.1.nip.io",
        "HTTP://API.LEGER.RUN",
    ],
)
def test_plain_http_is_refused_before_any_request(base_url: str) -> None:
    server = answering(200, LIST_OK)
    with pytest.raises(LegerError) as info:
        server.client(base_url=base_url).list_secrets()
    assert server.requests == [], "a request was sent over plain HTTP"
    assert "HTTPS is required" in info.value.message
    assert_no_credentials(info.value)


@pytest.mark.parametrize(
    ("base_url", "host"),
    [
        ("http://127.0.0.1:8787", "127.0.0.1"),
        ("http://127.0.0.2:8787", "127.0.0.2"),
        ("http://localhost:8787", "localhost"),
        ("http://[::1]:8787", "::1"),
        ("https://api.leger.run", "api.leger.run"),
    ],
)
def test_https_and_loopback_http_are_allowed(base_url: str, host: str) -> None:
    server = answering(200, LIST_OK)
    with server.client(base_url=base_url) as client:
        client.list_secrets()
    (request,) = server.requests
    assert request.url.host == host
    assert (request.method, request.url.path) == wire.V01.list


@pytest.mark.parametrize(
    ("name", "route"),
    [
        ("list_secrets", wire.V01.list),
        ("set_secret", wire.V01.set("openai_api_key")),
        ("get_secret", wire.V01.get("openai_api_key")),
        ("delete_secret", wire.V01.delete("openai_api_key")),
        ("authenticate", wire.V01.login),
    ],
)
@pytest.mark.parametrize("base_url", ["https://app.leger.run/api", "https://app.leger.run/api/"])
def test_base_url_with_a_path_prefix(base_url: str, name: str, route: wire.Route) -> None:
    call, body = CALLS[name]
    server = answering(200, body)
    with server.client(base_url=base_url) as client:
        call(client)
    (request,) = server.requests
    method, path = route
    assert (request.method, str(request.url)) == (method, f"https://app.leger.run/api{path}")


# --- documented errors ------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (400, "invalid_request", InvalidRequest),
        (400, "invalid_secret_name", InvalidRequest),
        (400, "secret_value_too_large", InvalidRequest),
        (401, "invalid_token", InvalidToken),
        (403, "tailscale_verification_failed", Forbidden),
        (403, "account_not_linked", Forbidden),
        (403, "insufficient_permissions", Forbidden),
        (429, "rate_limit_exceeded", RateLimited),
        (500, "internal_error", ServerError),
    ],
)
def test_documented_error_codes(status: int, code: str, expected: type[ApiError]) -> None:
    message = f"The server says {code}."
    headers = {"Retry-After": "120"} if status == 429 else {}
    error = raised(answering(status, envelope(code, message), headers=headers), "set_secret")
    assert type(error) is expected
    assert error.status == status
    assert error.code == code
    if status == 401:
        assert error.exit_code == ExitCode.AUTH_REQUIRED == 4
        assert "leger auth login" in (error.hint or "")
    elif status == 429:
        assert isinstance(error, RateLimited)
        assert error.retry_after == 120
        assert "120 seconds" in error.message
    else:
        assert message in error.message


@pytest.mark.parametrize(
    ("header", "seconds"), [("60", 60.0), ("3600", 3600.0), (None, None), ("soon", None)]
)
def test_retry_after(header: str | None, seconds: float | None) -> None:
    headers = {"Retry-After": header} if header is not None else {}
    error = raised(answering(429, envelope("rate_limit_exceeded", "slow down"), headers=headers))
    assert isinstance(error, RateLimited)
    assert error.retry_after == seconds


def test_an_unknown_code_keeps_its_status_type_and_message() -> None:
    error = raised(answering(403, envelope("brand_new_code", "Ask your admin.")))
    assert type(error) is Forbidden
    assert error.code == "brand_new_code"
    assert "Ask your admin." in error.message


def test_an_unknown_status_is_an_api_error() -> None:
    error = raised(answering(409, envelope("conflict", "Someone else changed it.")), "set_secret")
    assert type(error) is ApiError
    assert error.status == 409
    assert error.code == "conflict"
    assert "Someone else changed it." in error.message


def test_a_server_message_cannot_rewrite_the_terminal() -> None:
    error = raised(answering(404, envelope("secret_not_found", "gone\x1b[2J\x1b]0;pwned\x07")))
    assert "\x1b" not in error.message
    assert "\x07" not in error.message


# --- errors that are not the documented envelope ---------------------------


@pytest.mark.parametrize(
    ("status", "content", "expected"),
    [
        (502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", ServerError),
        (500, b"", ServerError),
        (500, b'{"success": false, "error": {"code": "inter', ServerError),
        (503, b"Service Unavailable", ServerError),
        (404, b"<html>Not Found</html>", RoutesMismatch),
        (400, b"{", InvalidRequest),
        (401, b"", InvalidToken),
        (429, b"", RateLimited),
        (403, b'{"error": "flat"}', Forbidden),
        (418, b"I'm a teapot", ApiError),
    ],
)
def test_an_error_that_is_not_the_envelope_reports_the_http_status(
    status: int, content: bytes, expected: type[ApiError]
) -> None:
    # set_secret is not idempotent, so nothing here is retried.
    error = raised(answering(status, content=content), "set_secret")
    assert not isinstance(error, json.JSONDecodeError)
    assert type(error) is expected
    if expected is not RoutesMismatch:  # a 404 on set is a route the server lacks
        assert error.status == status
        assert error.code is None
    if status not in (401, 429):
        assert f"HTTP {status}" in error.message


def test_a_proxy_error_page_on_a_read_is_retried_then_reported() -> None:
    server = answering(
        502, content=b"<html>Bad Gateway</html>", headers={"content-type": "text/html"}
    )
    error = raised(server, "get_secret")
    assert type(error) is ServerError
    assert "HTTP 502" in error.message
    assert 1 <= len(server.requests) <= 3


# --- 2xx bodies the contract does not allow ---------------------------------


@pytest.mark.parametrize(
    ("name", "status", "content"),
    [
        ("list_secrets", 200, b""),
        ("list_secrets", 200, b"<html>hello</html>"),
        ("list_secrets", 200, b'{"success": true, "data": {"secr'),
        ("list_secrets", 200, b"null"),
        ("list_secrets", 200, b"[]"),
        ("list_secrets", 200, b'"text"'),
        ("list_secrets", 200, b'{"success": true}'),
        ("list_secrets", 200, b'{"success": true, "data": {"secrets": "nope", "total_count": 1}}'),
        ("list_secrets", 200, b'{"success": true, "data": {"secrets": [{"name": "a"}]}}'),
        ("list_secrets", 200, json.dumps({**LIST_OK, "success": False}).encode()),
        ("list_secrets", 200, json.dumps({**LIST_OK, "success": "true"}).encode()),
        ("list_secrets", 200, json.dumps(envelope("secret_not_found", "no")).encode()),
        ("list_secrets", 202, json.dumps(LIST_OK).encode()),
        ("list_secrets", 204, b""),
        ("get_secret", 200, json.dumps({**GET_OK, "data": {"name": "x"}}).encode()),
        (
            "set_secret",
            200,
            json.dumps(
                {**wire.SET_CREATED, "data": {**wire.SET_CREATED["data"], "updated_at": 5}}
            ).encode(),
        ),
        ("delete_secret", 200, json.dumps({**DELETE_OK, "success": False}).encode()),
        ("authenticate", 200, json.dumps({**AUTH_OK, "data": {"token": "t"}}).encode()),
    ],
)
def test_a_success_body_of_the_wrong_shape_is_unexpected(
    name: str, status: int, content: bytes
) -> None:
    error = raised(answering(status, content=content), name)
    assert type(error) is expected_for_a_bad_success(name, content)
    assert "JSONDecodeError" not in error.message


def expected_for_a_bad_success(name: str, content: bytes) -> type[ApiError]:
    """What the layer makes of a 2xx it cannot use.

    No success envelope at all: the answer is unreadable. A success envelope whose
    data has the wrong shape: for a secret operation that is what a server of the
    other route form answers (RoutesMismatch, with how to re-detect); for login, a
    wrong shape.
    """
    try:
        body = json.loads(content)
    except ValueError:
        body = None
    if not (isinstance(body, dict) and body.get("success") is True):
        return UnexpectedResponse
    return WrongShape if name == "authenticate" else RoutesMismatch


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("get_secret", {**GET_OK, "data": {**GET_OK["data"], "value": None}}),
        ("get_secret", {**GET_OK, "data": {**GET_OK["data"], "value": 12}}),
        ("get_secret", {**GET_OK, "data": {**GET_OK["data"], "version": "3"}}),
        ("list_secrets", {**LIST_OK, "data": {"secrets": [None], "total_count": 1}}),
        ("authenticate", {**AUTH_OK, "data": {**AUTH_OK["data"], "token": None}}),
    ],
)
def test_a_success_body_with_wrong_types_is_unexpected(name: str, body: dict[str, Any]) -> None:
    # A null or mistyped field must not reach the CLI as a value (it would print "None").
    error = raised(answering(200, body), name)
    assert type(error) is expected_for_a_bad_success(name, json.dumps(body).encode())
    if isinstance(error, RoutesMismatch):
        assert "routes do not match" in error.message
        assert "LEGER_API_ROUTES" in (error.hint or "")


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_not_followed(status: int) -> None:
    server = answering(status, content=b"", headers={"Location": "https://evil.example/steal"})
    error = raised(server)
    assert type(error) is UnexpectedResponse
    assert error.status == status
    assert len(server.requests) == 1, "the redirect was followed"


# --- the request does not complete ------------------------------------------


@pytest.mark.parametrize(
    ("exc", "text"),
    [
        (httpx.ConnectError, "[Errno 111] Connection refused"),
        (httpx.ConnectError, "[Errno -2] Name or service not known"),
        (httpx.ConnectError, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"),
        (httpx.RemoteProtocolError, "Server disconnected without sending a response."),
    ],
)
def test_a_connection_failure_names_the_url(exc: type[httpx.TransportError], text: str) -> None:
    error = raised(failing(exc, text), "set_secret")
    assert type(error) is TransportError
    assert BASE in error.message


@pytest.mark.parametrize("exc", [httpx.ReadTimeout, httpx.ConnectTimeout, httpx.WriteTimeout])
def test_a_timeout_is_a_request_timeout(exc: type[httpx.TransportError]) -> None:
    error = raised(failing(exc, "timed out"), "set_secret")
    assert type(error) is RequestTimeout
    assert isinstance(error, TransportError)
    assert BASE in error.message


def test_a_real_connection_refused_names_the_url() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with (
        V01Secrets(LegerClient(url, timeout=5, token=TOKEN)) as client,
        pytest.raises(LegerError) as info,
    ):
        client.list_secrets()
    assert type(info.value) is TransportError
    assert url in info.value.message
    assert_no_credentials(info.value)


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A loopback port that accepts connections and never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        accepted: list[socket.socket] = []
        stop = threading.Event()

        def accept() -> None:
            sock.settimeout(0.2)
            while not stop.is_set():
                try:
                    accepted.append(sock.accept()[0])
                except OSError:
                    continue

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{sock.getsockname()[1]}"
        finally:
            stop.set()
            thread.join(timeout=5)
            for conn in accepted:
                conn.close()


def test_a_real_timeout_is_a_request_timeout(silent_server: str) -> None:
    with (
        V01Secrets(LegerClient(silent_server, timeout=0.5, token=TOKEN)) as client,
        pytest.raises(LegerError) as info,
    ):
        client.set_secret("openai_api_key", VALUE)
    assert type(info.value) is RequestTimeout
    assert silent_server in info.value.message
    assert_no_credentials(info.value)
