"""The local backend's REST form (``--routes rest``) over HTTP, fact by fact.

What the deployed leger.run answers: every operation's body and status (200,
never 201), the name, value and label rules, millisecond UTC times, the REST
error codes with their optional ``action`` and ``docs``, ``/health``, the two
names shadowed by other features, a list that is one storage page, and what
v0.1's requests do when they reach this form (``POST /secrets/set`` writes a
secret named ``set``).
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from tests.fixtures.backend import ALICE, BOB, LocalBackend, auth_body

RFC3339_MS_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
METADATA_KEYS = {"name", "created_at", "updated_at", "version"}
WITH_VALUE_KEYS = {"name", "value", "version", "created_at"}
ONE_YEAR = 31536000
LIST_PAGE = 1000  # the deployed Worker's list answers at most this many, the first by name
SECRET_OPS = [
    ("GET", "/secrets", None),
    ("GET", "/secrets?include_values=true", None),
    ("GET", "/secrets/k", None),
    ("POST", "/secrets/k", {"value": "v"}),
    ("DELETE", "/secrets/k", None),
    ("GET", "/secrets/selections", None),
    ("POST", "/secrets/select-provider", {"provider_id": "openai", "secret_name": "k"}),
]


def error_of(response, status: int, code: str) -> dict:
    """The error object of an error envelope with ``status`` and ``code``."""
    assert response.status == status, (response.status, response.body)
    body = response.json()
    assert set(body) == {"success", "error"}
    assert body["success"] is False
    error = body["error"]
    assert error["code"] == code
    assert error["message"]
    assert set(error) <= {"code", "message", "action", "docs"}
    assert all(isinstance(error[key], str) for key in error)
    if "docs" in error:
        assert error["docs"].startswith("https://")
    return error


def data_of(response) -> dict:
    """The ``data`` of a success envelope, which the REST form always answers with 200."""
    assert response.status == 200, (response.status, response.body)
    body = response.json()
    assert set(body) == {"success", "data"}
    assert body["success"] is True
    return body["data"]


def assert_recent_ms_utc(stamp: str) -> datetime:
    assert RFC3339_MS_UTC.fullmatch(stamp), stamp
    when = datetime.fromisoformat(stamp)
    assert abs(datetime.now(UTC) - when) < timedelta(minutes=1)
    return when


@dataclass(frozen=True)
class AsAlice:
    """Sends requests to a REST backend with Alice's token."""

    backend: LocalBackend
    token: str
    user_uuid: str

    def __call__(self, method: str, path: str, json_body: object = None, **kwargs):
        return self.backend.request(method, path, token=self.token, json_body=json_body, **kwargs)

    def names(self) -> list[str]:
        """The names Alice's store holds, read through the control surface."""
        return self.backend.names(self.user_uuid)


@pytest.fixture
def api(fresh_rest_backend) -> AsAlice:
    """A fresh REST backend with Alice logged in."""
    login = fresh_rest_backend.login_data(ALICE)
    return AsAlice(fresh_rest_backend, login["token"], login["user_uuid"])


# --- login ---------------------------------------------------------------------------------


def jwt_claims(token: str) -> tuple[dict, dict]:
    header, payload, signature = token.split(".")
    assert signature

    def decode(segment: str) -> dict:
        return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))

    return decode(header), decode(payload)


def test_login_answers_the_v01_body_with_a_one_year_jwt(fresh_rest_backend):
    data = data_of(fresh_rest_backend.request("POST", "/auth/cli", json_body=auth_body()))
    assert set(data) == {"token", "token_type", "expires_in", "user_uuid", "user"}
    assert data["token_type"] == "Bearer"
    assert data["expires_in"] == ONE_YEAR
    assert data["user"] == {"tailscale_email": ALICE["login_name"], "display_name": None}
    header, claims = jwt_claims(data["token"])
    assert header == {"alg": "HS256", "typ": "JWT"}
    assert {"sub", "email", "iat", "exp"} <= set(claims)
    assert claims["sub"] == data["user_uuid"]
    assert claims["email"] == ALICE["login_name"]
    assert abs(claims["iat"] - datetime.now(UTC).timestamp()) < 60
    assert claims["exp"] - claims["iat"] == ONE_YEAR


def test_login_user_uuid_is_the_same_as_in_the_v01_form(fresh_rest_backend, fresh_backend):
    rest = fresh_rest_backend.login_data(ALICE)["user_uuid"]
    assert rest == fresh_backend.login_data(ALICE)["user_uuid"]
    assert rest != fresh_rest_backend.login_data(BOB)["user_uuid"]


@pytest.mark.parametrize(
    "dropped", [(), ("device_id",), ("device_hostname",), ("device_id", "device_hostname")]
)
def test_login_needs_no_device_and_no_cli_version(fresh_rest_backend, dropped):
    identity = {key: value for key, value in ALICE.items() if key not in dropped}
    response = fresh_rest_backend.request("POST", "/auth/cli", json_body={"tailscale": identity})
    assert data_of(response)["user"]["tailscale_email"] == ALICE["login_name"]


@pytest.mark.parametrize("missing", ["user_id", "login_name", "tailnet"])
@pytest.mark.parametrize("how", ["absent", "empty", "not-a-string"])
def test_login_without_an_identity_field_is_tailscale_verification_failed(
    fresh_rest_backend, missing, how
):
    identity: dict[str, object] = {key: value for key, value in ALICE.items() if key != missing}
    if how != "absent":
        identity[missing] = "" if how == "empty" else 42
    response = fresh_rest_backend.request("POST", "/auth/cli", json_body=auth_body(identity))
    error = error_of(response, 400, "tailscale_verification_failed")
    assert {"action", "docs"} <= set(error)
    assert fresh_rest_backend.state()["tokens"] == 0


@pytest.mark.parametrize("body", [b"", b"not json", b"[]", b"\xff\xfe"])
def test_login_with_a_body_that_is_no_json_object_is_invalid_request(fresh_rest_backend, body):
    response = fresh_rest_backend.request("POST", "/auth/cli", body=body)
    error_of(response, 400, "invalid_request")


def test_login_without_the_tailscale_object_is_tailscale_verification_failed(fresh_rest_backend):
    response = fresh_rest_backend.request("POST", "/auth/cli", json_body={"cli_version": "1"})
    error_of(response, 400, "tailscale_verification_failed")


def test_token_ttl_overrides_the_one_year(start_backend):
    short = start_backend("--token-ttl", "5", routes="rest")
    data = short.login_data()
    assert data["expires_in"] == 5
    _, claims = jwt_claims(data["token"])
    assert claims["exp"] - claims["iat"] == 5


# --- the operations ------------------------------------------------------------------------


def test_set_creates_at_version_1_and_updates_with_200(api):
    created = data_of(api("POST", "/secrets/api_key", {"value": "v1"}))
    assert set(created) == METADATA_KEYS  # no message, no label when unset
    assert created["name"] == "api_key"
    assert created["version"] == 1
    assert created["created_at"] == created["updated_at"]
    first = assert_recent_ms_utc(created["created_at"])

    for version, value in [(2, "v2"), (3, "v3 ünïcode ✓")]:
        updated = data_of(api("POST", "/secrets/api_key", {"value": value}))
        assert updated["version"] == version
        assert updated["created_at"] == created["created_at"]
        assert assert_recent_ms_utc(updated["updated_at"]) >= first

    got = data_of(api("GET", "/secrets/api_key"))
    assert got == {
        "name": "api_key",
        "value": "v3 ünïcode ✓",
        "version": 3,
        "created_at": created["created_at"],
    }


def test_list_shows_metadata_only_without_total_count(api):
    api("POST", "/secrets/b", {"value": "1"})
    api("POST", "/secrets/b", {"value": "2"})
    data = data_of(api("GET", "/secrets"))
    assert set(data) == {"secrets"}
    (item,) = data["secrets"]
    assert set(item) == METADATA_KEYS
    assert item["name"] == "b"
    assert item["version"] == 2
    assert_recent_ms_utc(item["created_at"])
    assert item["created_at"] <= item["updated_at"]


def test_list_with_values_shows_values_and_no_updated_at(api):
    api("POST", "/secrets/a", {"value": "alpha"})
    api("POST", "/secrets/b", {"value": "beta"})
    api("POST", "/secrets/b", {"value": "beta 2"})
    data = data_of(api("GET", "/secrets?include_values=true"))
    assert set(data) == {"secrets"}
    assert [set(item) for item in data["secrets"]] == [WITH_VALUE_KEYS] * 2
    shown = [(s["name"], s["value"], s["version"]) for s in data["secrets"]]
    assert shown == [("a", "alpha", 1), ("b", "beta 2", 2)]


@pytest.mark.parametrize("query", ["include_values=false", "include_values=1", "include=true"])
def test_only_include_values_true_adds_values(api, query):
    api("POST", "/secrets/a", {"value": "alpha"})
    (item,) = data_of(api("GET", f"/secrets?{query}"))["secrets"]
    assert set(item) == METADATA_KEYS


def test_list_is_in_storage_order_by_key(api):
    names = ["zeta", "alpha", "Mid-1", "a:b", "_x", "9"]
    for name in names:
        api("POST", f"/secrets/{name}", {"value": "x"})
    listed = [s["name"] for s in data_of(api("GET", "/secrets"))["secrets"]]
    assert listed == sorted(names)
    with_values = data_of(api("GET", "/secrets?include_values=true"))["secrets"]
    assert [s["name"] for s in with_values] == listed


def unpadded_names(count: int) -> dict[str, str]:
    """``count`` secrets named ``k0``, ``k1``, ... ``k10`` ...: their order by name is not
    their numeric order, so a page of them shows which order it follows."""
    return {f"k{index}": f"value of k{index}" for index in range(count)}


@pytest.mark.parametrize("count", [LIST_PAGE - 1, LIST_PAGE, LIST_PAGE + 1, 1026])
def test_a_list_is_one_page_of_the_first_names_with_no_sign_of_more(api, count):
    stored = unpadded_names(count)
    api.backend.seed(api.user_uuid, stored)
    data = data_of(api("GET", "/secrets"))
    assert set(data) == {"secrets"}  # no total, no cursor
    listed = [item["name"] for item in data["secrets"]]
    assert listed == sorted(stored)[:LIST_PAGE]
    assert len(api.names()) == count  # all of them are stored


def test_a_list_with_values_is_the_same_page(api):
    stored = unpadded_names(1026)
    api.backend.seed(api.user_uuid, stored)
    data = data_of(api("GET", "/secrets?include_values=true"))
    assert set(data) == {"secrets"}
    shown = {item["name"]: item["value"] for item in data["secrets"]}
    assert list(shown) == sorted(stored)[:LIST_PAGE]
    assert shown == {name: stored[name] for name in shown}


def test_a_secret_beyond_the_page_is_there_for_everything_but_the_list(api):
    stored = unpadded_names(1026)
    api.backend.seed(api.user_uuid, stored)
    beyond = sorted(stored)[LIST_PAGE:]
    assert beyond[-1] == "k999"  # numerically early, last by name
    for name in (beyond[0], beyond[-1]):
        got = data_of(api("GET", f"/secrets/{name}"))
        assert (got["name"], got["value"], got["version"]) == (name, stored[name], 1)
    updated = data_of(api("POST", f"/secrets/{beyond[-1]}", {"value": "new"}))
    assert updated["version"] == 2
    # Deleting a listed secret lets the first one beyond the page into it.
    first = sorted(stored)[0]
    assert data_of(api("DELETE", f"/secrets/{first}")) == {"deleted": True}
    listed = [item["name"] for item in data_of(api("GET", "/secrets"))["secrets"]]
    assert listed == sorted(stored)[1 : LIST_PAGE + 1]


def test_an_empty_list_is_an_empty_array(api):
    assert data_of(api("GET", "/secrets")) == {"secrets": []}
    assert data_of(api("GET", "/secrets?include_values=true")) == {"secrets": []}


def test_get_of_a_missing_secret_is_404_not_found(api):
    error = error_of(api("GET", "/secrets/missing"), 404, "not_found")
    assert error["message"] == "Secret 'missing' not found"


def test_delete_answers_deleted_true_then_404(api):
    api("POST", "/secrets/k", {"value": "v"})
    assert data_of(api("DELETE", "/secrets/k")) == {"deleted": True}
    error = error_of(api("DELETE", "/secrets/k"), 404, "not_found")
    assert error["message"] == "Secret 'k' not found"
    error_of(api("GET", "/secrets/k"), 404, "not_found")
    again = data_of(api("POST", "/secrets/k", {"value": "v"}))
    assert again["version"] == 1  # a recreated secret starts over


def test_two_users_never_see_each_others_secrets(api):
    backend = api.backend
    bob = backend.login(BOB)
    api("POST", "/secrets/shared", {"value": "alice's"})
    assert data_of(backend.request("GET", "/secrets", token=bob)) == {"secrets": []}
    error_of(backend.request("GET", "/secrets/shared", token=bob), 404, "not_found")
    error_of(backend.request("DELETE", "/secrets/shared", token=bob), 404, "not_found")
    own = backend.request("POST", "/secrets/shared", token=bob, json_body={"value": "bob's"})
    assert data_of(own)["version"] == 1
    assert data_of(api("GET", "/secrets/shared"))["value"] == "alice's"


# --- names and values ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("a", True),
        ("A-z_0-9", True),
        ("openai:prod", True),  # a colon is allowed in this form
        (":", True),
        ("n" * 64, True),
        ("n" * 65, False),
        ("has%20space", False),
        ("dot.ted", False),
        ("%C3%BCnicode", False),
        ("slash%2Fed", False),
        ("trailing-newline%0A", False),
    ],
)
def test_secret_name_rule_on_set(api, name, valid):
    response = api("POST", f"/secrets/{name}", {"value": "v"})
    if valid:
        assert data_of(response)["version"] == 1
    else:
        error = error_of(response, 400, "validation_error")
        assert "name" in error["message"]
        assert api.names() == []


def test_the_name_in_the_path_is_percent_decoded(api):
    assert data_of(api("POST", "/secrets/openai%3Aprod", {"value": "v"}))["name"] == "openai:prod"
    assert data_of(api("GET", "/secrets/openai:prod"))["value"] == "v"
    assert data_of(api("GET", "/secrets/%6Fpenai%3aprod"))["name"] == "openai:prod"
    assert api.names() == ["openai:prod"]
    assert data_of(api("DELETE", "/secrets/openai%3Aprod")) == {"deleted": True}


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("x", True),
        ("x" * 10240, True),
        ("x" * 10241, False),
        ("é" * 5120, True),  # 10240 bytes of UTF-8
        ("é" * 5120 + "x", False),
        ("€" * 3414, False),  # 3414 characters, 10242 bytes
        ("🔑" * 2560, True),
        ("🔑" * 2561, False),
        ("", False),
        (None, False),
        (7, False),
        (["v"], False),
    ],
    ids=lambda v: f"{len(v)}chars" if isinstance(v, str) else repr(v),
)
def test_secret_value_bounds_count_utf8_bytes(api, value, ok):
    response = api("POST", "/secrets/v", {"value": value})
    if ok:
        data_of(response)
        assert data_of(api("GET", "/secrets/v"))["value"] == value
    else:
        error = error_of(response, 400, "validation_error")
        assert "value" in error["message"]
        assert api.names() == []


@pytest.mark.parametrize(
    "body", [b"", b"not json", b"[]", b'"v"', b"{}", b'{"label": "x"}', b'{"value": "\\ud800"}']
)
def test_a_set_body_without_a_usable_value_is_validation_error(api, body):
    response = api("POST", "/secrets/k", body=body, headers={"Content-Type": "application/json"})
    error_of(response, 400, "validation_error")
    assert api.names() == []


# --- labels --------------------------------------------------------------------------------


def test_a_label_is_trimmed_and_shown_everywhere(api):
    created = data_of(api("POST", "/secrets/k", {"value": "v", "label": "  OpenAI (prod)\t"}))
    assert created["label"] == "OpenAI (prod)"
    assert set(created) == METADATA_KEYS | {"label"}
    assert data_of(api("GET", "/secrets/k"))["label"] == "OpenAI (prod)"
    (listed,) = data_of(api("GET", "/secrets"))["secrets"]
    assert listed["label"] == "OpenAI (prod)"
    (with_value,) = data_of(api("GET", "/secrets?include_values=true"))["secrets"]
    assert set(with_value) == WITH_VALUE_KEYS | {"label"}
    assert with_value["label"] == "OpenAI (prod)"


def test_an_update_without_a_label_keeps_it(api):
    api("POST", "/secrets/k", {"value": "v1", "label": "mine"})
    assert data_of(api("POST", "/secrets/k", {"value": "v2"}))["label"] == "mine"
    assert data_of(api("GET", "/secrets/k"))["label"] == "mine"


def test_an_update_can_change_the_label(api):
    api("POST", "/secrets/k", {"value": "v1", "label": "old"})
    assert data_of(api("POST", "/secrets/k", {"value": "v2", "label": "new"}))["label"] == "new"


@pytest.mark.parametrize("empty", ["", "   ", "\n\t"])
def test_an_empty_label_clears_it(api, empty):
    api("POST", "/secrets/k", {"value": "v1", "label": "old"})
    cleared = data_of(api("POST", "/secrets/k", {"value": "v2", "label": empty}))
    assert "label" not in cleared
    assert "label" not in data_of(api("GET", "/secrets/k"))
    assert "label" not in data_of(api("GET", "/secrets"))["secrets"][0]


def test_a_new_secret_with_an_empty_label_has_none(api):
    assert "label" not in data_of(api("POST", "/secrets/k", {"value": "v", "label": " "}))


@pytest.mark.parametrize("label", [None, 5, ["x"]])
def test_a_label_that_is_not_text_counts_as_absent(api, label):
    api("POST", "/secrets/k", {"value": "v1", "label": "kept"})
    assert data_of(api("POST", "/secrets/k", {"value": "v2", "label": label}))["label"] == "kept"


# --- authentication ------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "body"), SECRET_OPS)
@pytest.mark.parametrize("authorization", [None, "Basic YWxpY2U6c2VjcmV0", "Bearer", "Token x"])
def test_no_or_malformed_authorization_is_401_unauthorized(
    fresh_rest_backend, method, path, body, authorization
):
    headers = {"Authorization": authorization} if authorization else {}
    response = fresh_rest_backend.request(method, path, json_body=body, headers=headers)
    error_of(response, 401, "unauthorized")


@pytest.mark.parametrize(("method", "path", "body"), SECRET_OPS)
def test_an_unknown_token_is_401_authentication_failed_with_a_hint(
    fresh_rest_backend, method, path, body
):
    response = fresh_rest_backend.request(method, path, token="not-a-token", json_body=body)
    error = error_of(response, 401, "authentication_failed")
    assert error["action"] == "Please run: leger auth login"
    assert error["docs"].startswith("https://")


@pytest.mark.parametrize("action", ["expire-all", "revoke-all"])
def test_an_expired_or_revoked_token_is_authentication_failed(api, action):
    api("POST", "/secrets/k", {"value": "v"})
    api.backend.control(action)
    error_of(api("GET", "/secrets/k"), 401, "authentication_failed")
    again = api.backend.login()
    response = api.backend.request("GET", "/secrets/k", token=again)
    assert data_of(response)["value"] == "v"


# --- routes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/secret"),
        ("GET", "/secrets/"),
        ("POST", "/secrets"),
        ("DELETE", "/secrets"),
        ("PUT", "/secrets/k"),
        ("PATCH", "/secrets/k"),
        ("GET", "/auth/cli"),
        ("POST", "/auth/cli/x"),
        ("POST", "/health"),
        ("GET", "/api/secrets"),
    ],
)
def test_unknown_routes_are_404_naming_method_and_path(api, method, path):
    error = error_of(api(method, path), 404, "not_found")
    assert error["message"] == f"API endpoint not found: {method} {path}"


def test_health_is_public_and_not_enveloped(fresh_rest_backend):
    response = fresh_rest_backend.request("GET", "/health")
    assert response.status == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"status", "service", "version", "timestamp", "environment"}
    assert body["status"] == "healthy"
    assert body["service"] == "leger-app"
    assert all(isinstance(value, str) and value for value in body.values())
    assert_recent_ms_utc(body["timestamp"])


def test_base_path_serves_the_rest_form_and_health_under_a_prefix(start_backend):
    prefixed = start_backend("--base-path", "/api", routes="rest")
    assert prefixed.request("GET", "/api/health").json()["status"] == "healthy"
    error_of(prefixed.request("GET", "/health"), 404, "not_found")
    token = prefixed.request("POST", "/api/auth/cli", json_body=auth_body()).json()["data"]["token"]
    assert data_of(prefixed.request("GET", "/api/secrets", token=token)) == {"secrets": []}
    error = error_of(prefixed.request("GET", "/secrets", token=token), 404, "not_found")
    assert error["message"] == "API endpoint not found: GET /secrets"


# --- the shadowed names --------------------------------------------------------------------


def test_get_selections_reaches_another_feature_not_a_secret(api):
    api("POST", "/secrets/selections", {"value": "a secret named selections"})
    assert api.names() == ["selections"]  # POST takes it as a name
    assert data_of(api("GET", "/secrets/selections")) == {"selections": []}
    assert data_of(api("DELETE", "/secrets/selections")) == {"deleted": True}
    assert api.names() == []


def test_post_select_provider_reaches_another_feature_not_a_secret(api):
    body = {"provider_id": "openai", "secret_name": "openai_api_key"}
    data = data_of(api("POST", "/secrets/select-provider", body))
    assert not {"value", "version"} & set(data)
    assert api.names() == []  # nothing was stored
    # ... but a "value" body does not make it a secret either
    data_of(api("POST", "/secrets/select-provider", {**body, "value": "v"}))
    assert api.names() == []
    error_of(api("POST", "/secrets/select-provider", {"value": "v"}), 400, "validation_error")
    # GET and DELETE of that name are ordinary secret operations
    error = error_of(api("GET", "/secrets/select-provider"), 404, "not_found")
    assert error["message"] == "Secret 'select-provider' not found"


# --- how v0.1's requests land here ---------------------------------------------------------


def test_v01_set_creates_or_overwrites_a_secret_named_set(api):
    first = data_of(api("POST", "/secrets/set", {"name": "openai_api_key", "value": "sk-1"}))
    assert first["name"] == "set"
    assert first["version"] == 1
    assert api.names() == ["set"]  # never "openai_api_key"
    second = data_of(api("POST", "/secrets/set", {"name": "other", "value": "sk-2"}))
    assert (second["name"], second["version"]) == ("set", 2)
    assert data_of(api("GET", "/secrets/set"))["value"] == "sk-2"


def test_v01_list_looks_for_a_secret_named_list(api):
    error = error_of(api("GET", "/secrets/list"), 404, "not_found")
    assert error["message"] == "Secret 'list' not found"
    api("POST", "/secrets/list", {"value": "a secret named list"})
    assert data_of(api("GET", "/secrets/list"))["value"] == "a secret named list"


def test_v01_get_looks_for_a_secret_with_a_slash(api):
    api("POST", "/secrets/k", {"value": "v"})
    error = error_of(api("GET", "/secrets/get/k"), 404, "not_found")
    assert error["message"] == "Secret 'get/k' not found"


def test_delete_means_the_same_in_both_forms(api):
    api("POST", "/secrets/k", {"value": "v"})
    assert data_of(api("DELETE", "/secrets/k")) == {"deleted": True}


def test_a_whole_session_never_answers_201(api):
    statuses = [
        api("POST", "/secrets/k", {"value": "v"}).status,
        api("POST", "/secrets/k", {"value": "w"}).status,
        api("POST", "/secrets/set", {"name": "k", "value": "v"}).status,
        api("POST", "/secrets/select-provider", {"provider_id": "p", "secret_name": "k"}).status,
        api("GET", "/secrets").status,
        api("DELETE", "/secrets/k").status,
        api.backend.request("POST", "/auth/cli", json_body=auth_body()).status,
    ]
    assert statuses == [200] * len(statuses)


def test_the_rate_limit_switch_works_in_this_form_too(api):
    api.backend.rate_limit(after=1, retry_after=4, times=1)
    data_of(api("GET", "/secrets"))
    limited = api("GET", "/secrets")
    error_of(limited, 429, "rate_limit_exceeded")
    assert limited.headers["retry-after"] == "4"
    data_of(api("GET", "/secrets"))
