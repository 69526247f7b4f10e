"""Prism's dynamic mode behind the API layer: random, schema-valid responses.

``prism mock -d`` answers each request with data generated from the contract's
schemas (random names matching the pattern, odd dates, huge integers, extra
properties), and with ``Prefer: code=N`` any documented status. For every
operation and every status the contract documents, many calls through
``LegerClient`` must each end in a typed result (2xx) or the matching
``leger.errors.LegerError`` subclass: never any other exception.
"""

from __future__ import annotations

import collections
from datetime import datetime

import httpx
import pytest
import yaml

from devtools.processes import REPO
from leger.api.client import LegerClient
from leger.api.results import SetOutcome
from leger.api.secrets import FormSecrets
from leger.api.secrets_rest import RestSecrets
from leger.api.secrets_v01 import V01Secrets
from leger.errors import (
    ApiError,
    Forbidden,
    InvalidRequest,
    InvalidToken,
    LegerError,
    NotFound,
    RateLimited,
    RoutesMismatch,
    ServerError,
    UnexpectedResponse,
)
from tests.fixtures.prism import SPEC, prism
from tests.support.wire import IDENTITY

CALLS_PER_SUCCESS = 30
CALLS_PER_ERROR = 6
ERRORS = {
    400: InvalidRequest,
    401: InvalidToken,
    403: Forbidden,
    404: NotFound,  # a missing secret, or (random codes) a route the form lacks
    405: ApiError,
    429: RateLimited,
    500: ServerError,
}


def documented_statuses() -> dict[str, list[int]]:
    """operationId -> the statuses the contract documents for it."""
    spec = yaml.safe_load((REPO / SPEC).read_text())
    return {
        operation["operationId"]: sorted(int(code) for code in operation["responses"])
        for path in spec["paths"].values()
        for method, operation in path.items()
        if method != "parameters"
    }


STATUSES = documented_statuses()
CASES = [(op, code) for op, codes in STATUSES.items() for code in codes]


FORMS: dict[str, type[FormSecrets]] = {
    "authenticateCli": V01Secrets,
    "listSecrets": V01Secrets,
    "setSecret": V01Secrets,
    "getSecret": V01Secrets,
    "deleteSecret": V01Secrets,
    "listSecretsRest": RestSecrets,
    "getSecretRest": RestSecrets,
    "setSecretRest": RestSecrets,
}
# A set answer names the secret it stored; a random one names another, which
# the layer reports as a server of the other route form (RoutesMismatch).
SETS = {"setSecret", "setSecretRest"}
# A random get answer names another secret: leger refuses it, never using its value.
GETS = {"getSecret", "getSecretRest"}


def call(api: FormSecrets, operation: str):
    if operation == "authenticateCli":
        return api.client.authenticate(IDENTITY)
    if operation in ("listSecrets", "listSecretsRest"):
        return api.list_secrets()
    if operation in SETS:
        return api.set_secret("openai_api_key", "sk-proj-abc123")
    if operation in ("getSecret", "getSecretRest"):
        return api.get_secret("openai_api_key")
    if operation == "deleteSecret":
        return api.delete_secret("openai_api_key")
    raise AssertionError(f"an operation this test does not know: {operation}")


def check_typed(operation: str, status: int, result) -> None:
    """The 2xx result is the documented model with the documented field types."""
    if operation == "authenticateCli":
        assert isinstance(result.token, str)
        assert isinstance(result.expires_in, int)
        assert isinstance(result.user.tailscale_email, str)
    elif operation in ("listSecrets", "listSecretsRest"):
        assert isinstance(result, list)
        for item in result:
            assert isinstance(item.name, str)
            assert isinstance(item.created_at, datetime)
            assert isinstance(item.updated_at, datetime)
            assert isinstance(item.version, int)
            assert item.label is None or isinstance(item.label, str)
    elif operation in SETS:
        assert isinstance(result, SetOutcome)
        assert result.created is (
            status == 201 if operation == "setSecret" else result.version == 1
        )
        assert isinstance(result.version, int)
        assert isinstance(result.updated_at, datetime)
    elif operation in ("getSecret", "getSecretRest"):
        assert isinstance(result.value, str)
        assert isinstance(result.version, int)
    elif operation == "deleteSecret":
        assert result.deleted_at is None or isinstance(result.deleted_at, datetime)


class Prefer(httpx.HTTPTransport):
    """Ask Prism for one documented status with ``Prefer: code=N``."""

    def __init__(self, code: int) -> None:
        super().__init__()
        self.code = code

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.headers["Prefer"] = f"code={self.code}"
        return super().handle_request(request)


@pytest.fixture(scope="module")
def dynamic_mock(tmp_path_factory: pytest.TempPathFactory):
    log = tmp_path_factory.mktemp("prism-dynamic") / "prism-dynamic.log"
    with prism(["mock", "-d", SPEC], log) as url:
        yield url


def test_the_contract_documents_what_this_test_covers():
    assert set(STATUSES) == set(FORMS)
    assert all(code in ERRORS or 200 <= code < 300 for _, code in CASES)


@pytest.mark.parametrize(("operation", "status"), CASES, ids=[f"{o}-{c}" for o, c in CASES])
def test_every_documented_response_is_a_typed_result_or_a_leger_error(
    dynamic_mock, no_backoff, operation, status
):
    client = LegerClient(dynamic_mock, timeout=10, token="t0ken", transport=Prefer(status))
    success = 200 <= status < 300
    outcomes: collections.Counter[str] = collections.Counter()
    with FORMS[operation](client) as api:
        for _ in range(CALLS_PER_SUCCESS if success else CALLS_PER_ERROR):
            error: LegerError | None = None
            try:
                result = call(api, operation)
            except RoutesMismatch:
                # A random set answer names another secret; a 404 with a random code
                # is a route the server lacks, not a missing secret.
                assert (success and operation in SETS) or status in (404, 405), (operation, status)
                outcomes["RoutesMismatch"] += 1
                continue
            except UnexpectedResponse as raised:
                if success and operation in GETS and "answered the request for" in str(raised):
                    outcomes["answer for another secret"] += 1
                    continue
                error = raised
            except LegerError as raised:
                error = raised
            if error is None:
                outcomes["typed result"] += 1
                assert success, (operation, status, result)
                check_typed(operation, status, result)
            else:
                outcomes[type(error).__name__] += 1
                assert not success, f"{operation} {status}: {type(error).__name__}: {error}"
                assert isinstance(error, ERRORS[status]), (operation, status, type(error))
                assert error.message
    assert sum(outcomes.values()) == (CALLS_PER_SUCCESS if success else CALLS_PER_ERROR)


@pytest.mark.parametrize(
    "argv",
    [
        ("secrets", "list"),
        ("secrets", "list", "--json"),
        ("secrets", "delete", "k", "--force"),
        ("auth", "login"),
    ],
    ids=" ".join,
)
def test_leger_prints_random_valid_responses(leger, dynamic_mock, argv):
    leger.use_api(dynamic_mock)
    for _ in range(3):
        result = leger.run(*argv, env={"LEGER_TOKEN": "t0ken"} if argv[0] == "secrets" else None)
        assert result.exit_code == 0, (argv, result.stderr)
        assert "Traceback" not in result.stderr
        assert result.stdout


def test_the_mock_really_is_dynamic(dynamic_mock):
    # Guard against a mock that silently serves the static examples instead.
    with V01Secrets(LegerClient(dynamic_mock, timeout=10, token="t0ken")) as api:
        listings = {tuple(s.name for s in api.list_secrets()) for _ in range(5)}
    assert len(listings) > 1, "prism -d returned the same list every time: not dynamic"
