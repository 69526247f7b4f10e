"""The local backend against the contract: Schemathesis, and Prism as a validating proxy.

- Schemathesis generates requests from ``openapi/leger-api.yaml`` (valid and
  invalid ones) and checks every response the backend gives: status codes,
  content types, headers and bodies as documented, 401 when auth is dropped,
  no 5xx, 405 with Allow for undeclared methods. The stateful test chains
  operations (set -> update/get/delete -> get ...) through OpenAPI links added
  here, and checks every response against a model of what the store must hold.
- Through ``prism proxy --errors`` a normal round trip passes untouched, while a
  request or a response that breaks the contract is answered by Prism instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread
from urllib.parse import unquote, urlsplit

import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, settings

from devtools.processes import REPO
from tests.fixtures.backend import ALICE, LocalBackend, http_request
from tests.fixtures.prism import SPEC, prism

SPEC_PATH = REPO / "openapi" / "leger-api.yaml"
MAX_EXAMPLES = 50  # per operation; the whole file runs in seconds
STATEFUL_MAX_EXAMPLES = 30


@dataclass
class Credentials:
    """The live token Schemathesis should send; tests swap it as they log in."""

    token: str = ""


def load_contract(raw: dict | None = None, credentials: Credentials | None = None):
    """The contract (or ``raw``), authenticated through a Schemathesis auth provider.

    An auth provider, not a fixed header, so cases meant to lack the token
    (negative tests of the security scheme) really go without it.
    """
    schema = (
        schemathesis.openapi.from_dict(raw) if raw else schemathesis.openapi.from_path(SPEC_PATH)
    )
    schema.config.generation.update(max_examples=MAX_EXAMPLES)
    holder = credentials or Credentials()

    @schema.auth(refresh_interval=None)
    class LiveToken:
        def get(self, case, context):
            return holder.token

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    return schema


# Loaded at import (it is a local file); the backend's URL and token come from a
# fixture at call time. (schemathesis.pytest.from_fixture would be the natural fit,
# but 4.32 reaches for pytest's private ``Item._nodeid``, which pytest 9.2 removed.)
CREDENTIALS = Credentials()
schema = load_contract(credentials=CREDENTIALS)


@pytest.fixture
def base_url(fresh_backend: LocalBackend) -> str:
    """A freshly reset backend, with a real token for Alice in ``CREDENTIALS``."""
    CREDENTIALS.token = fresh_backend.login(ALICE)
    return fresh_backend.url


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_backend_conforms_to_the_contract(case, base_url):
    case.call_and_validate(base_url=base_url)


def contract_with_links() -> dict:
    """The contract plus OpenAPI links between the secret operations (test-only).

    The contract declares no links, and what Schemathesis infers on its own is
    only list -> delete; these let the state machine chain set -> get/set/delete
    and delete -> get on the name just used, so its stateful checks (e.g. a
    deleted secret must be gone, a created one must be readable) have something
    to bite on.
    """
    raw = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    name = {"name": "$response.body#/data/name"}
    get = {"operationId": "getSecret", "parameters": name}
    delete = {"operationId": "deleteSecret", "parameters": name}
    update = {
        "operationId": "setSecret",
        "requestBody": {"name": "$response.body#/data/name", "value": "updated value"},
    }
    paths = raw["paths"]
    for status in ("200", "201"):
        paths["/secrets/set"]["post"]["responses"][status]["links"] = {
            "GetIt": get,
            "UpdateIt": update,
            "DeleteIt": delete,
        }
    paths["/secrets/get/{name}"]["get"]["responses"]["200"]["links"] = {"DeleteIt": delete}
    paths["/secrets/{name}"]["delete"]["responses"]["200"]["links"] = {"GetIt": get}
    return raw


class SecretsModel:
    """What one user's store must hold, by the contract; each response is checked against it.

    An independent restatement of the rules (not the backend's own code): a valid
    set creates at version 1 (201) or bumps the version (200); get returns the last
    value and version or 404; delete removes or 404s; list shows exactly the names
    and versions held.
    """

    def __init__(self) -> None:
        self.secrets: dict[str, tuple[str, int]] = {}

    def check(self, method: str, url: str, sent: bytes | None, status: int, body: dict) -> None:
        path = urlsplit(url).path
        name = unquote(path.rsplit("/", 1)[-1])
        if (method, path) == ("POST", "/secrets/set"):
            self._set(sent, status, body)
        elif (method, path) == ("GET", "/secrets/list"):
            assert status == 200
            listed = {(s["name"], s["version"]) for s in body["data"]["secrets"]}
            assert listed == {(n, version) for n, (_, version) in self.secrets.items()}
            assert body["data"]["total_count"] == len(self.secrets)
        elif method == "GET" and path.startswith("/secrets/get/"):
            if name in self.secrets:
                value, version = self.secrets[name]
                assert status == 200
                assert body["data"] == {"name": name, "value": value, "version": version}
            else:
                assert status == 404
        elif method == "DELETE":
            if self.secrets.pop(name, None) is not None:
                assert status == 200
                assert body["data"]["name"] == name
            else:
                assert status == 404

    def _set(self, sent: bytes | None, status: int, body: dict) -> None:
        request = _json_or_none(sent)
        name = request.get("name") if isinstance(request, dict) else None
        value = request.get("value") if isinstance(request, dict) else None
        if not (isinstance(name, str) and SECRET_NAME.fullmatch(name) and _valid_value(value)):
            assert status == 400
            return
        known = self.secrets.get(name)
        version = known[1] + 1 if known else 1
        assert status == (200 if known else 201)
        assert body["data"]["version"] == version
        self.secrets[name] = (value, version)


SECRET_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _json_or_none(sent: bytes | None) -> object:
    try:
        return json.loads(sent or b"")
    except ValueError:
        return None


def _valid_value(value: object) -> bool:
    if not isinstance(value, str) or value == "":
        return False
    try:
        return len(value.encode("utf-8")) <= 10240
    except UnicodeEncodeError:
        return False


def test_backend_conforms_statefully(fresh_backend: LocalBackend):
    seen: set[tuple[str, int]] = set()
    credentials = Credentials()
    contract = load_contract(contract_with_links(), credentials)
    contract.config.generation.update(max_examples=STATEFUL_MAX_EXAMPLES)
    machine = contract.as_state_machine()

    class Workflow(machine):  # type: ignore[misc, valid-type]
        def setup(self):
            # Every scenario starts from an empty backend, so a replayed scenario
            # (Hypothesis shrinking) sees the same responses as the first run.
            fresh_backend.reset()
            credentials.token = fresh_backend.login(ALICE)
            self.model = SecretsModel()

        def get_call_kwargs(self, case):
            return {"base_url": fresh_backend.url}

        def after_call(self, response, case):
            super().after_call(response, case)
            seen.add((f"{case.method} {case.path}", response.status_code))
            request = response.request
            if response.status_code == 401:
                # Only a request that did not carry our token may be refused.
                assert request.headers.get("Authorization") != f"Bearer {credentials.token}"
                return
            sent = request.body.encode() if isinstance(request.body, str) else request.body
            body = _json_or_none(response.content)
            assert isinstance(body, dict)
            self.model.check(request.method, request.url, sent, response.status_code, body)

    Workflow.run(
        settings=settings(
            max_examples=STATEFUL_MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            stateful_step_count=8,
        )
    )
    # The scenarios really reached state: created, updated, read back, deleted, then gone.
    for step in [
        ("POST /secrets/set", 201),
        ("POST /secrets/set", 200),
        ("GET /secrets/get/{name}", 200),
        ("DELETE /secrets/{name}", 200),
        ("GET /secrets/get/{name}", 404),
    ]:
        assert step in seen, (step, sorted(seen))


# --- through the validating proxy -------------------------------------------------------


def test_a_normal_session_passes_the_proxy_untouched(fresh_proxied_backend):
    proxy = fresh_proxied_backend
    token = proxy.login(ALICE)
    steps = [
        ("POST", "/secrets/set", {"name": "api_key", "value": "v1 ✓"}, 201),
        ("POST", "/secrets/set", {"name": "api_key", "value": "v2 ✓"}, 200),
        ("GET", "/secrets/list", None, 200),
        ("GET", "/secrets/get/api_key", None, 200),
        ("DELETE", "/secrets/api_key", None, 200),
        ("GET", "/secrets/get/api_key", None, 404),
        ("DELETE", "/secrets/api_key", None, 404),
        # Under maxLength in characters, over 10240 bytes: only the backend can tell.
        ("POST", "/secrets/set", {"name": "big", "value": "€" * 3414}, 400),
    ]
    for method, path, body, status in steps:
        response = proxy.request(method, path, token=token, json_body=body)
        assert response.status == status, (method, path, response.body)
        assert "sl-violations" not in response.headers, response.headers["sl-violations"]
        assert response.headers["content-type"].startswith("application/json")
        assert "success" in response.json()  # the backend's envelope, not a Prism problem
    got = proxy.request("GET", "/secrets/get/missing", token=token)
    assert got.json()["error"]["code"] == "secret_not_found"


def test_unknown_token_and_429_pass_the_proxy_as_documented(fresh_proxied_backend):
    proxy = fresh_proxied_backend
    refused = proxy.request("GET", "/secrets/list", token="not-a-token")
    assert refused.status == 401
    assert refused.json()["error"]["code"] == "invalid_token"
    assert "sl-violations" not in refused.headers

    token = proxy.login(ALICE)
    proxy.backend.rate_limit(after=0, retry_after=3, times=1)
    limited = proxy.request("GET", "/secrets/list", token=token)
    assert limited.status == 429
    assert limited.headers["retry-after"] == "3"
    assert limited.json()["error"]["code"] == "rate_limit_exceeded"
    assert "sl-violations" not in limited.headers
    assert proxy.request("GET", "/secrets/list", token=token).status == 200


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ({"name": "k"}, "value"),
        ({"name": "bad name", "value": "v"}, "pattern"),
        ({"name": "k", "value": ""}, "value"),
        ({"name": "k", "value": "x" * 10241}, "value"),
    ],
    ids=["missing-value", "bad-name", "empty-value", "value-over-maxLength"],
)
def test_the_proxy_rejects_a_request_that_breaks_the_contract(
    fresh_proxied_backend, body, complaint
):
    # Note for end-to-end tests: what the schema itself forbids is answered by
    # Prism (422, problem+json) and never reaches the backend's 400 envelope.
    proxy = fresh_proxied_backend
    token = proxy.login(ALICE)
    before = proxy.backend.state()["requests"]
    response = proxy.request("POST", "/secrets/set", token=token, json_body=body)
    assert response.status == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["title"] == "Invalid request"
    assert any(complaint in v["message"] for v in problem["validation"]), problem
    assert proxy.backend.state()["requests"] == before  # Prism answered; the backend never saw it


def test_the_proxy_itself_refuses_a_request_without_a_token(fresh_proxied_backend):
    # Worth knowing for end-to-end tests: with --errors, Prism enforces the security
    # scheme and answers a token-less request itself (problem+json), not the backend.
    proxy = fresh_proxied_backend
    before = proxy.backend.state()["requests"]
    response = proxy.request("GET", "/secrets/list")
    assert response.status == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert proxy.backend.state()["requests"] == before


class _BrokenBackend(BaseHTTPRequestHandler):
    """Answers like a backend with two bugs: a malformed list and a 429 without Retry-After."""

    def do_GET(self) -> None:
        if self.path == "/secrets/list":
            self._send(200, {"success": True, "data": {"secrets": "none", "total": 0}})
        else:
            self._send(
                429, {"success": False, "error": {"code": "rate_limit_exceeded", "message": "x"}}
            )

    def _send(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def broken_upstream() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _BrokenBackend)
    thread = Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_the_proxy_reports_a_response_that_breaks_the_contract(broken_upstream, tmp_path):
    with prism(["proxy", SPEC, broken_upstream, "--errors"], tmp_path / "prism.log") as url:
        listed = http_request("GET", f"{url}/secrets/list", token="t")
        assert listed.status == 500
        violations = json.loads(listed.headers["sl-violations"])
        messages = " ".join(v["message"] for v in violations)
        assert "total_count" in messages
        assert "must be array" in messages

        limited = http_request("GET", f"{url}/secrets/get/k", token="t")
        assert limited.status == 500
        assert "Retry-After" in limited.headers["sl-violations"] or "retry-after" in (
            limited.headers["sl-violations"].lower()
        )
