"""Contract tests: every operation through ``LegerClient`` against ``prism mock``.

Prism serves the contract's named examples and validates every request against
the contract; a request it finds wrong comes back with an ``sl-violations``
header (or, when the contract has no response for it, Prism's own
``application/problem+json`` error). A ``Recorder`` transport records every
exchange and each test fails on any such report. ``Prefer: code=NNN,
example=NAME`` makes Prism answer with a given documented response, so every
documented error status (and every named error example) of every operation is
driven through the layer and must map to its ``leger.errors`` type.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from leger_api_client.models import AuthData, AuthUser

from leger import __version__
from leger.api.client import LegerClient
from leger.api.detect import detect_routes
from leger.api.results import DeleteOutcome, Secret, SecretInfo, SetOutcome
from leger.api.secrets import FormSecrets
from leger.api.secrets_rest import RestSecrets
from leger.api.secrets_v01 import V01Secrets
from leger.errors import (
    ApiError,
    ExitCode,
    Forbidden,
    InvalidRequest,
    InvalidToken,
    NotFound,
    RateLimited,
    RoutesMismatch,
    SecretNotFound,
    ServerError,
    UnexpectedResponse,
)
from tests.fixtures.prism import PrismServer
from tests.support.contract import SPEC, operations, resolve
from tests.support.wire import IDENTITY, TOKEN

pytestmark = pytest.mark.prism


# operationId -> (route form, how the CLI calls it through the layer). The
# shared deleteSecret is called through both forms' clients (see DELETE_FORMS).
CALLS: dict[str, tuple[type[FormSecrets], Callable[[FormSecrets], Any]]] = {
    "authenticateCli": (V01Secrets, lambda api: api.client.authenticate(IDENTITY)),
    "listSecrets": (V01Secrets, lambda api: api.list_secrets()),
    "setSecret": (V01Secrets, lambda api: api.set_secret("openai_api_key", "sk-proj-abc123")),
    "getSecret": (V01Secrets, lambda api: api.get_secret("openai_api_key")),
    "deleteSecret": (V01Secrets, lambda api: api.delete_secret("openai_api_key")),
    "listSecretsRest": (RestSecrets, lambda api: api.list_secrets()),
    "getSecretRest": (RestSecrets, lambda api: api.get_secret("openai_api_key")),
    "setSecretRest": (
        RestSecrets,
        lambda api: api.set_secret("openai_api_key", "sk-proj-abc123", label="OpenAI"),
    ),
}
UNAUTHENTICATED = {"authenticateCli"}

# Documented error status -> the error the layer must raise (404: see expected_404).
ERROR_TYPES: dict[str, type[ApiError]] = {
    "400": InvalidRequest,
    "401": InvalidToken,
    "403": Forbidden,
    "404": NotFound,
    "405": RoutesMismatch,  # only a server of the other form refuses a method
    "429": RateLimited,
    "500": ServerError,
}


def expected_type(form: type[FormSecrets], status: str, envelope: dict) -> type[Exception]:
    """A 404 means a missing secret only when the form's code says so; else the routes differ."""
    if status != "404":
        return ERROR_TYPES[status]
    error = envelope["error"]
    missing_codes = {"v0.1": "secret_not_found", "rest": "not_found"}[form.routes]
    is_route = error["message"].startswith("API endpoint not found")
    return SecretNotFound if error["code"] == missing_codes and not is_route else RoutesMismatch


OPERATIONS = {op["operationId"]: (method, path, op) for method, path, op in operations(SPEC)}


@dataclass
class Exchange:
    """One request Prism answered."""

    method: str
    url: str
    request_headers: httpx.Headers
    status: int
    content_type: str
    violations: str | None


@dataclass
class Recorder(httpx.BaseTransport):
    """A real HTTP transport that adds ``Prefer`` and records what Prism said."""

    prefer: str | None = None
    strip_prefix: str | None = None
    exchanges: list[Exchange] = field(default_factory=list)
    inner: httpx.BaseTransport = field(default_factory=httpx.HTTPTransport)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` to Prism and note the answer's status and violations."""
        if self.prefer is not None:
            request.headers["Prefer"] = self.prefer
        if self.strip_prefix is not None:
            # Stand in for a reverse proxy that serves the API under a path prefix.
            path = request.url.path
            assert path.startswith(self.strip_prefix + "/"), f"{path} lacks {self.strip_prefix}"
            request.url = request.url.copy_with(path=path[len(self.strip_prefix) :])
        response = self.inner.handle_request(request)
        self.exchanges.append(
            Exchange(
                method=request.method,
                url=str(request.url),
                request_headers=request.headers,
                status=response.status_code,
                content_type=response.headers.get("content-type", ""),
                violations=response.headers.get("sl-violations"),
            )
        )
        return response

    def close(self) -> None:
        """Close the real transport."""
        self.inner.close()

    def problems(self) -> list[str]:
        """Every contract violation Prism reported, one line each."""
        found = []
        for ex in self.exchanges:
            if ex.violations:
                found.append(f"{ex.method} {ex.url} -> {ex.status}: sl-violations {ex.violations}")
            if "problem+json" in ex.content_type:
                found.append(f"{ex.method} {ex.url} -> {ex.status}: Prism's own error response")
        return found


def call(
    prism_mock: PrismServer,
    operation_id: str,
    *,
    prefer: str | None = None,
    token: str | None = TOKEN,
    recorder: Recorder | None = None,
    base_url: str | None = None,
    form: type[FormSecrets] | None = None,
) -> Any:
    """Run one operation through the API layer; fail on any violation Prism reported."""
    recorder = recorder or Recorder(prefer=prefer)
    if operation_id in UNAUTHENTICATED:
        token = None
    default_form, operation = CALLS[operation_id]
    client = LegerClient(base_url or prism_mock.url, timeout=15, token=token, transport=recorder)
    with (form or default_form)(client) as api:
        try:
            return operation(api)
        finally:
            problems = recorder.problems()
            assert not problems, "Prism reported contract violations:\n" + "\n".join(problems)
            assert len(recorder.exchanges) == 1, recorder.exchanges


def example_value(operation_id: str, status: str, name: str | None = None) -> Any:
    """The named (or first) example of a documented response."""
    _, _, op = OPERATIONS[operation_id]
    media = resolve(SPEC, op["responses"][status])["content"]["application/json"]
    examples = media["examples"]
    return resolve(SPEC, examples[name or next(iter(examples))])["value"]


def assert_model_matches(model: Any, expected: Any, where: str = "data") -> None:
    """A generated model (or list of them) holds exactly the example's values."""
    if isinstance(expected, dict):
        assert hasattr(model, "additional_properties"), f"{where}: {model!r} is not a model"
        assert model.additional_properties == {}, f"{where}: unknown fields {model.additional_keys}"
        for key, value in expected.items():
            assert_model_matches(getattr(model, key), value, f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(model, list), f"{where}: {model!r} is not a list"
        assert len(model) == len(expected), where
        for i, (item, value) in enumerate(zip(model, expected, strict=True)):
            assert_model_matches(item, value, f"{where}[{i}]")
    elif isinstance(model, uuid.UUID):
        assert model == uuid.UUID(expected), where
    elif isinstance(model, datetime.datetime):
        assert model == datetime.datetime.fromisoformat(expected), where
        assert model.tzinfo is not None, f"{where}: timestamp without a time zone"
    else:
        assert type(model) is type(expected), f"{where}: {model!r} vs {expected!r}"
        assert model == expected, where


# --- the contract's operations are all covered ------------------------------


def test_every_operation_in_the_contract_has_a_contract_test() -> None:
    assert set(OPERATIONS) == set(CALLS)
    assert {op for op, (_, _, o) in OPERATIONS.items() if o.get("security") == []} == (
        UNAUTHENTICATED
    )


def test_every_documented_error_status_has_an_expected_error_type() -> None:
    statuses = {
        status
        for _, _, op in OPERATIONS.values()
        for status in op["responses"]
        if not status.startswith("2")
    }
    assert statuses <= set(ERROR_TYPES), statuses - set(ERROR_TYPES)


# --- successes: typed models holding the example values ---------------------


def test_authenticate(prism_mock: PrismServer) -> None:
    recorder = Recorder()
    data = call(prism_mock, "authenticateCli", recorder=recorder)
    assert isinstance(data, AuthData)
    assert isinstance(data.user, AuthUser)
    assert_model_matches(data, example_value("authenticateCli", "200")["data"])
    request = recorder.exchanges[0]
    assert request.method == "POST"
    assert "authorization" not in request.request_headers
    assert request.request_headers["user-agent"] == f"leger-cli/{__version__}"


def when(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


@pytest.mark.parametrize("operation_id", ["listSecrets", "listSecretsRest"])
def test_list_secrets(prism_mock: PrismServer, operation_id: str) -> None:
    secrets = call(prism_mock, operation_id)
    expected = example_value(operation_id, "200")["data"]["secrets"]
    assert secrets == [
        SecretInfo(
            s["name"], s["version"], when(s["created_at"]), when(s["updated_at"]), s.get("label")
        )
        for s in expected
    ]


def test_list_secrets_with_values_is_one_request(prism_mock: PrismServer) -> None:
    recorder = Recorder(prefer="example=withValues")
    with RestSecrets(
        LegerClient(prism_mock.url, timeout=15, token=TOKEN, transport=recorder)
    ) as api:
        secrets = api.fetch_values()
    assert not recorder.problems(), recorder.problems()
    assert [(ex.method, ex.url.split("/", 3)[3]) for ex in recorder.exchanges] == [
        ("GET", "secrets?include_values=true")
    ]
    expected = example_value("listSecretsRest", "200", "withValues")["data"]["secrets"]
    assert secrets == [
        Secret(s["name"], s["value"], s["version"], s.get("label")) for s in expected
    ]


@pytest.mark.parametrize(("status", "created"), [("201", True), ("200", False)])
def test_set_secret_created_or_updated(prism_mock: PrismServer, status: str, created: bool) -> None:
    result = call(prism_mock, "setSecret", prefer=f"code={status}")
    data = example_value("setSecret", status)["data"]
    assert result == SetOutcome(created, data["name"], data["version"], when(data["updated_at"]))


def test_set_secret_rest_version_1_is_created(prism_mock: PrismServer) -> None:
    result = call(prism_mock, "setSecretRest")
    data = example_value("setSecretRest", "200")["data"]
    assert data["version"] == 1
    assert result == SetOutcome(True, data["name"], 1, when(data["updated_at"]))


@pytest.mark.parametrize("operation_id", ["getSecret", "getSecretRest"])
def test_get_secret(prism_mock: PrismServer, operation_id: str) -> None:
    data = example_value(operation_id, "200")["data"]
    assert call(prism_mock, operation_id) == Secret(
        data["name"], data["value"], data["version"], data.get("label")
    )


DELETE_FORMS = [(V01Secrets, "deleted"), (RestSecrets, "deletedRest")]


@pytest.mark.parametrize(("form", "example"), DELETE_FORMS)
def test_delete_secret(prism_mock: PrismServer, form: type[FormSecrets], example: str) -> None:
    result = call(prism_mock, "deleteSecret", prefer=f"example={example}", form=form)
    data = example_value("deleteSecret", "200", example)["data"]
    deleted_at = when(data["deleted_at"]) if "deleted_at" in data else None
    assert result == DeleteOutcome("openai_api_key", deleted_at)


@pytest.mark.parametrize(
    ("prefer", "routes"),
    [("code=200", "rest"), ("code=404", "v0.1"), ("code=405", "v0.1")],
)
def test_detect_routes(prism_mock: PrismServer, prefer: str, routes: str) -> None:
    recorder = Recorder(prefer=prefer)
    with LegerClient(prism_mock.url, timeout=15, token=TOKEN, transport=recorder) as client:
        assert detect_routes(client) == routes
    assert not recorder.problems(), recorder.problems()
    assert [(ex.method, ex.url.split("/", 3)[3]) for ex in recorder.exchanges] == [
        ("GET", "secrets")
    ]


@pytest.mark.parametrize("prefer", ["code=500", "code=429"])
def test_detect_routes_never_guesses(prism_mock: PrismServer, prefer: str) -> None:
    recorder = Recorder(prefer=prefer)
    with (
        LegerClient(prism_mock.url, timeout=0.5, token=TOKEN, transport=recorder) as client,
        pytest.raises(ApiError),
    ):
        detect_routes(client)


def test_detect_routes_refuses_an_answer_of_neither_form(prism_mock: PrismServer) -> None:
    # The v0.1 list's answer is no REST list: its items lack what REST items carry.
    def not_rest(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"success": True, "data": {"secrets": "none"}})

    with (
        LegerClient(
            prism_mock.url, timeout=5, token=TOKEN, transport=httpx.MockTransport(not_rest)
        ) as client,
        pytest.raises(RoutesMismatch) as info,
    ):
        detect_routes(client)
    assert isinstance(info.value.__cause__, UnexpectedResponse)


@pytest.mark.parametrize("operation_id", sorted(CALLS))
def test_authenticated_calls_send_the_bearer_token(
    prism_mock: PrismServer, operation_id: str
) -> None:
    recorder = Recorder()
    call(prism_mock, operation_id, recorder=recorder)
    headers = recorder.exchanges[0].request_headers
    assert headers["user-agent"] == f"leger-cli/{__version__}"
    if operation_id in UNAUTHENTICATED:
        assert "authorization" not in headers
    else:
        assert headers["authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize("operation_id", sorted(CALLS))
def test_base_url_with_a_path_prefix(prism_mock: PrismServer, operation_id: str) -> None:
    # https://app.leger.run/api style: every operation goes under /api, and a
    # stand-in reverse proxy strips it before Prism checks the request.
    recorder = Recorder(strip_prefix="/api")
    assert call(prism_mock, operation_id, recorder=recorder, base_url=f"{prism_mock.url}/api/")


# --- every documented error status of every operation -----------------------


def error_cases() -> list[Any]:
    cases = []
    for operation_id, (_, _, op) in sorted(OPERATIONS.items()):
        for status, response in op["responses"].items():
            if status.startswith("2"):
                continue
            media = resolve(SPEC, response)["content"]["application/json"]
            for name in media["examples"]:
                cases.append(
                    pytest.param(operation_id, status, name, id=f"{operation_id}-{status}-{name}")
                )
    return cases


@pytest.mark.parametrize(("operation_id", "status", "example"), error_cases())
def test_documented_error(
    prism_mock: PrismServer, operation_id: str, status: str, example: str
) -> None:
    envelope = example_value(operation_id, status, example)
    expected = expected_type(CALLS[operation_id][0], status, envelope)
    recorder = Recorder(prefer=f"code={status}, example={example}")
    with pytest.raises(ApiError) as info:
        call(prism_mock, operation_id, recorder=recorder)
    error = info.value
    assert type(error) is expected, f"HTTP {status} raised {type(error).__name__}: {error}"
    assert recorder.exchanges[0].status == int(status)
    if expected is not RoutesMismatch:
        assert error.status == int(status)
        assert error.code == envelope["error"]["code"]
    assert TOKEN not in f"{error} {error.message} {error.hint}"
    if status == "401":
        assert error.exit_code == ExitCode.AUTH_REQUIRED == 4
        assert "leger auth login" in (error.hint or "")
    elif status == "429":
        header = resolve(
            SPEC, SPEC["components"]["responses"]["RateLimited"]["headers"]["Retry-After"]
        )
        assert isinstance(error, RateLimited)
        assert error.retry_after == float(header["example"])
        assert f"{error.retry_after:g} seconds" in error.message
    else:
        # The server's guidance reaches the user.
        assert envelope["error"]["message"] in error.message


# --- the recorder really notices violations ---------------------------------


def test_a_missing_token_is_a_reported_violation(prism_mock: PrismServer) -> None:
    # Proves the violation check can fail: Prism flags a secured call without a token.
    recorder = Recorder()
    with (
        V01Secrets(LegerClient(prism_mock.url, timeout=15, transport=recorder)) as client,
        pytest.raises(InvalidToken),
    ):
        client.list_secrets()
    assert recorder.problems(), recorder.exchanges
    assert json.loads(recorder.exchanges[0].violations or "[]")[0]["code"] == 401


def test_an_invalid_request_is_a_reported_violation(prism_mock: PrismServer) -> None:
    # A name the contract forbids (the layer itself would refuse to send it): Prism
    # reports it (400 with sl-violations).
    from leger_api_client.api.secrets import set_secret
    from leger_api_client.models import SetSecretRequest, SetSecretResponse

    bad = SetSecretRequest(name="not a valid name!", value="x")
    recorder = Recorder()
    with (
        V01Secrets(
            LegerClient(prism_mock.url, timeout=15, token=TOKEN, transport=recorder)
        ) as client,
        pytest.raises(ApiError),
    ):
        client.client.call(set_secret._get_kwargs(body=bad), SetSecretResponse)
    assert recorder.problems(), recorder.exchanges
