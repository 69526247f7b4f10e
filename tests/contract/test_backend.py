"""The local backend against the contract: Schemathesis, and Prism as a validating proxy.

Each route form is checked against its own operations of ``openapi/leger-api.yaml``
(``authenticateCli`` and ``deleteSecret`` are shared): the v0.1 backend against
``listSecrets``, ``setSecret`` and ``getSecret``; the REST backend
(``--routes rest``) against ``listSecretsRest``, ``getSecretRest`` and
``setSecretRest``. A server of one form is not asked the other form's routes here
(tests/backend/test_api.py and tests/backend/test_rest_api.py pin down what those do).

- Schemathesis generates requests from the contract (valid and invalid ones) and
  checks every response the backend gives: status codes, content types, headers
  and bodies as documented, 401 when auth is dropped, no 5xx, 405 with Allow for
  undeclared methods (v0.1). The stateful tests chain operations (set ->
  update/get/delete -> get ...) through OpenAPI links added here, and check every
  response against a model of what the store must hold.
- Through ``prism proxy --errors`` a normal round trip of either form passes
  untouched, while a request or a response that breaks the contract is answered
  by Prism instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TypeGuard
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import unsupported_method

from tests.fixtures.backend import ALICE, LocalBackend, http_request
from tests.fixtures.prism import SPEC, prism
from tests.support.contract import SPEC_PATH
from tests.support.serving import serving

MAX_EXAMPLES = 50  # per operation; the whole file runs in seconds
STATEFUL_MAX_EXAMPLES = 30
ONLY_IN = {
    "v0.1": {"listSecrets", "setSecret", "getSecret"},
    "rest": {"listSecretsRest", "getSecretRest", "setSecretRest"},
}
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@dataclass
class Credentials:
    """The live token Schemathesis should send; tests swap it as they log in."""

    token: str = ""


def contract(routes: str) -> dict:
    """The contract as a server of ``routes`` serves it (test-only): without the other
    form's operations, so that e.g. ``Allow`` on ``/secrets/{name}`` names only what
    this form has there.

    For the REST form it also states three rules of that form which the contract,
    written for what ``leger`` sends, states more strictly, and which Schemathesis
    would otherwise report as invalid data accepted: a login needs only
    ``user_id``, ``login_name`` and ``tailnet`` (the device fields and
    ``cli_version`` are optional and unchecked); ``include_values`` is any text,
    only ``true`` meaning values; a ``label`` that is not text counts as absent.
    """
    raw = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    other = ONLY_IN["rest" if routes == "v0.1" else "v0.1"]
    for path, item in list(raw["paths"].items()):
        for method in HTTP_METHODS & set(item):
            if item[method]["operationId"] in other:
                del item[method]
        if not HTTP_METHODS & set(item):
            del raw["paths"][path]
    if routes == "rest":
        schemas = raw["components"]["schemas"]
        identity = schemas["TailscaleIdentity"]
        identity["required"] = ["user_id", "login_name", "tailnet"]
        identity["properties"].update(device_id={}, device_hostname={})
        schemas["AuthRequest"]["required"] = ["tailscale"]
        schemas["AuthRequest"]["properties"]["cli_version"] = {}
        schemas["RestSetSecretRequest"]["properties"]["label"] = {}
        (include_values,) = raw["paths"]["/secrets"]["get"]["parameters"]
        include_values["schema"] = {"type": "string"}
    return raw


def load_contract(raw: dict, credentials: Credentials):
    """``raw`` for Schemathesis, authenticated through an auth provider.

    An auth provider, not a fixed header, so cases meant to lack the token
    (negative tests of the security scheme) really go without it.
    """
    schema = schemathesis.openapi.from_dict(raw)
    schema.config.generation.update(max_examples=MAX_EXAMPLES)

    @schema.auth(refresh_interval=None)
    class LiveToken:
        def get(self, case, context):
            return credentials.token

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    return schema


# Loaded at import (it is a local file); the backend's URL and token come from a
# fixture at call time. (schemathesis.pytest.from_fixture would be the natural fit,
# but 4.32 reaches for pytest's private ``Item._nodeid``, which pytest 9.2 removed.)
CREDENTIALS = Credentials()
v01_schema = load_contract(contract("v0.1"), CREDENTIALS)
rest_schema = load_contract(contract("rest"), CREDENTIALS)
# The REST form answers any method it has no route for with 404 not_found, never 405.
REST_EXCLUDED_CHECKS = [unsupported_method]


@pytest.fixture
def base_url(fresh_backend: LocalBackend) -> str:
    """A freshly reset v0.1 backend, with a real token for Alice in ``CREDENTIALS``."""
    CREDENTIALS.token = fresh_backend.login(ALICE)
    return fresh_backend.url


@pytest.fixture
def rest_base_url(fresh_rest_backend: LocalBackend) -> str:
    """A freshly reset REST backend, with a real token for Alice in ``CREDENTIALS``."""
    CREDENTIALS.token = fresh_rest_backend.login(ALICE)
    return fresh_rest_backend.url


@v01_schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_backend_conforms_to_the_contract(case, base_url):
    case.call_and_validate(base_url=base_url)


@rest_schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_rest_backend_conforms_to_the_contract(case, rest_base_url):
    case.call_and_validate(base_url=rest_base_url, excluded_checks=REST_EXCLUDED_CHECKS)


def v01_contract_with_links() -> dict:
    """The contract plus OpenAPI links between the v0.1 secret operations (test-only).

    The contract declares no links, and what Schemathesis infers on its own is
    only list -> delete; these let the state machine chain set -> get/set/delete
    and delete -> get on the name just used, so its stateful checks (e.g. a
    deleted secret must be gone, a created one must be readable) have something
    to bite on.
    """
    raw = contract("v0.1")
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


def rest_contract_with_links() -> dict:
    """``contract("rest")`` plus links between the REST secret operations (test-only).

    As for v0.1: set -> get/update (a new value and label)/delete, get -> delete,
    delete -> get and set again, on the name just used. A REST delete answers no
    name, so links from it take the name from the request's path.
    """
    raw = contract("rest")
    name = {"name": "$response.body#/data/name"}
    same = {"name": "$request.path.name"}
    get = {"operationId": "getSecretRest", "parameters": name}
    delete = {"operationId": "deleteSecret", "parameters": name}
    update = {
        "operationId": "setSecretRest",
        "parameters": name,
        "requestBody": {"value": "updated value", "label": " relabelled "},
    }
    recreate = {"operationId": "setSecretRest", "parameters": same, "requestBody": {"value": "v"}}
    item = raw["paths"]["/secrets/{name}"]
    item["post"]["responses"]["200"]["links"] = {
        "GetIt": get,
        "UpdateIt": update,
        "DeleteIt": delete,
    }
    item["get"]["responses"]["200"]["links"] = {"DeleteIt": delete}
    item["delete"]["responses"]["200"]["links"] = {
        "GetIt": {"operationId": "getSecretRest", "parameters": same},
        "SetItAgain": recreate,
    }
    return raw


SECRET_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
REST_SECRET_NAME = re.compile(r"[A-Za-z0-9:_-]{1,64}")


class SecretsModel:
    """What one user's store must hold, by the contract; each response is checked against it.

    An independent restatement of the v0.1 rules (not the backend's own code): a
    valid set creates at version 1 (201) or bumps the version (200); get returns the
    last value and version or 404; delete removes or 404s; list shows exactly the
    names and versions held.
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


@dataclass(frozen=True)
class Held:
    """One secret a REST store must hold."""

    value: str
    version: int
    label: str | None


class RestSecretsModel:
    """The REST form's rules, restated independently: every success is 200; a valid set
    creates at version 1 or bumps the version, and trims its label (empty clears it,
    absent keeps it); get answers value, version and label or 404; delete answers
    ``{"deleted": true}`` or 404; list shows exactly what is held, values only when
    ``include_values=true``."""

    def __init__(self) -> None:
        self.secrets: dict[str, Held] = {}

    def check(self, method: str, url: str, sent: bytes | None, status: int, body: dict) -> None:
        parts = urlsplit(url)
        name = unquote(parts.path.removeprefix("/secrets/"))
        if parts.path == "/secrets":
            self._list(parse_qs(parts.query).get("include_values") == ["true"], status, body)
        elif method == "POST":
            self._set(name, sent, status, body)
        elif method == "GET":
            held = self.secrets.get(name)
            assert status == (404 if held is None else 200)
            if held is not None:
                assert body["data"] == {
                    "name": name,
                    "value": held.value,
                    "version": held.version,
                    "created_at": body["data"]["created_at"],
                    **({"label": held.label} if held.label is not None else {}),
                }
        elif method == "DELETE":
            gone = self.secrets.pop(name, None)
            assert status == (404 if gone is None else 200)
            if gone is not None:
                assert body["data"] == {"deleted": True}

    def _list(self, with_values: bool, status: int, body: dict) -> None:
        assert status == 200
        items = body["data"]["secrets"]
        assert [item["name"] for item in items] == sorted(self.secrets)
        for item in items:
            held = self.secrets[item["name"]]
            assert item["version"] == held.version
            assert item.get("label") == held.label
            assert item.get("value") == (held.value if with_values else None)
            assert ("updated_at" in item) is not with_values

    def _set(self, name: str, sent: bytes | None, status: int, body: dict) -> None:
        request = _json_or_none(sent)
        fields = request if isinstance(request, dict) else {}
        value, label = fields.get("value"), fields.get("label")
        if not (REST_SECRET_NAME.fullmatch(name) and _valid_value(value)):
            assert status == 400
            return
        known = self.secrets.get(name)
        kept = known.label if known else None  # what an absent label, or not text, leaves
        label = (label.strip() or None) if isinstance(label, str) else kept
        held = Held(value, known.version + 1 if known else 1, label)
        assert status == 200
        assert body["data"]["version"] == held.version
        assert body["data"].get("label") == held.label
        self.secrets[name] = held


def _json_or_none(sent: bytes | None) -> object:
    try:
        return json.loads(sent or b"")
    except ValueError:
        return None


def _valid_value(value: object) -> TypeGuard[str]:
    if not isinstance(value, str) or value == "":
        return False
    try:
        return len(value.encode("utf-8")) <= 10240
    except UnicodeEncodeError:
        return False


def run_stateful(
    backend: LocalBackend, contract, model_type: type, must_reach: list[tuple[str, int]]
) -> None:
    """Run Schemathesis' state machine on ``contract`` against ``backend``, checking every
    response against a fresh ``model_type()`` per scenario, then that it reached
    every (operation, status) in ``must_reach``."""
    seen: set[tuple[str, int]] = set()
    credentials = Credentials()
    schema = load_contract(contract, credentials)
    schema.config.generation.update(max_examples=STATEFUL_MAX_EXAMPLES)
    machine = schema.as_state_machine()

    class Workflow(machine):  # type: ignore[misc, valid-type]
        def setup(self):
            # Every scenario starts from an empty backend, so a replayed scenario
            # (Hypothesis shrinking) sees the same responses as the first run.
            backend.reset()
            credentials.token = backend.login(ALICE)
            self.model = model_type()

        def get_call_kwargs(self, case):
            return {"base_url": backend.url}

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
    for step in must_reach:
        assert step in seen, (step, sorted(seen))


def test_backend_conforms_statefully(fresh_backend: LocalBackend):
    run_stateful(
        fresh_backend,
        v01_contract_with_links(),
        SecretsModel,
        [
            ("POST /secrets/set", 201),
            ("POST /secrets/set", 200),
            ("GET /secrets/get/{name}", 200),
            ("DELETE /secrets/{name}", 200),
            ("GET /secrets/get/{name}", 404),
        ],
    )


def test_rest_backend_conforms_statefully(fresh_rest_backend: LocalBackend):
    run_stateful(
        fresh_rest_backend,
        rest_contract_with_links(),
        RestSecretsModel,
        [
            ("POST /secrets/{name}", 200),
            ("GET /secrets/{name}", 200),
            ("DELETE /secrets/{name}", 200),
            ("GET /secrets/{name}", 404),
            ("GET /secrets", 200),
        ],
    )


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


def assert_untouched(response) -> None:
    """The backend's own answer, passed by Prism without a contract violation."""
    assert "sl-violations" not in response.headers, response.headers["sl-violations"]
    assert response.headers["content-type"].startswith("application/json")
    assert "success" in response.json()  # the backend's envelope, not a Prism problem


def test_a_normal_rest_session_passes_the_proxy_untouched(fresh_proxied_rest_backend):
    proxy = fresh_proxied_rest_backend
    token = proxy.login(ALICE)
    steps = [
        ("POST", "/secrets/api_key", {"value": "v1 ✓", "label": " OpenAI "}, 200),
        ("POST", "/secrets/api_key", {"value": "v2 ✓"}, 200),
        ("POST", "/secrets/db%3Aurl", {"value": "postgres://db", "label": ""}, 200),
        ("GET", "/secrets", None, 200),
        ("GET", "/secrets?include_values=true", None, 200),
        ("GET", "/secrets?include_values=false", None, 200),
        ("GET", "/secrets/api_key", None, 200),
        ("GET", "/secrets/db:url", None, 200),
        ("DELETE", "/secrets/api_key", None, 200),
        ("GET", "/secrets/api_key", None, 404),
        ("DELETE", "/secrets/api_key", None, 404),
        # Under maxLength in characters, over 10240 bytes: only the backend can tell.
        ("POST", "/secrets/big", {"value": "€" * 3414}, 400),
    ]
    for method, path, body, status in steps:
        response = proxy.request(method, path, token=token, json_body=body)
        assert response.status == status, (method, path, response.body)
        assert_untouched(response)
    assert len(proxy.backend.requests()) == len(steps) + 1  # the login; Prism refused none
    got = proxy.request("GET", "/secrets/missing", token=token)
    assert got.json()["error"] == {"code": "not_found", "message": "Secret 'missing' not found"}


def test_rest_errors_pass_the_proxy_as_documented(fresh_proxied_rest_backend):
    proxy = fresh_proxied_rest_backend
    refused = proxy.request("GET", "/secrets", token="not-a-token")
    assert refused.status == 401
    assert refused.json()["error"]["code"] == "authentication_failed"
    assert_untouched(refused)

    token = proxy.login(ALICE)
    proxy.backend.rate_limit(after=0, retry_after=3, times=1)
    limited = proxy.request("GET", "/secrets", token=token)
    assert limited.status == 429
    assert limited.headers["retry-after"] == "3"
    assert_untouched(limited)

    proxy.backend.fail_writes(after=0)
    failed = proxy.request("POST", "/secrets/k", token=token, json_body={"value": "v"})
    assert failed.status == 500
    assert failed.json()["error"]["code"] == "internal_error"
    assert_untouched(failed)


@pytest.mark.parametrize(
    ("path", "body", "complaint"),
    [
        ("/secrets/k", {}, "value"),
        ("/secrets/k", {"value": ""}, "value"),
        ("/secrets/k", {"value": "x" * 10241}, "value"),
        ("/secrets/bad%20name", {"value": "v"}, "pattern"),
        ("/secrets/" + "n" * 65, {"value": "v"}, "name"),
    ],
    ids=["missing-value", "empty-value", "value-over-maxLength", "bad-name", "long-name"],
)
def test_the_proxy_rejects_a_rest_request_that_breaks_the_contract(
    fresh_proxied_rest_backend, path, body, complaint
):
    proxy = fresh_proxied_rest_backend
    token = proxy.login(ALICE)
    response = proxy.request("POST", path, token=token, json_body=body)
    assert response.status == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert any(complaint in v["message"] for v in problem["validation"]), problem
    # Prism answered; the backend only ever saw the login
    assert [r["path"] for r in proxy.backend.requests()] == ["/auth/cli"]


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
    with serving(server):
        yield f"http://127.0.0.1:{server.server_address[1]}"


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
