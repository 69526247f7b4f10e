"""The local backend's test facilities, in both route forms: the request log, the
write-failure switch, reading one user's names, seeding many secrets, switching
the route form of a running backend (a redeploy), ``--latency``, and
``--rotating-reads`` (every read of a secret by name sees a new value and version).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest

from devtools.leger_backend.__main__ import parse_args
from devtools.leger_backend.app import Backend, Options
from devtools.leger_backend.store import Store
from tests.fixtures.backend import (
    ALICE,
    BOB,
    ROUTE_FORMS,
    HttpResponse,
    LocalBackend,
    ProxiedBackend,
)
from tests.support.backend_process import refused_start

V01_TOKEN_TTL = 2592000  # 30 days, as v0.1 states
REST_TOKEN_TTL = 31536000  # one year, as leger.run deploys


@dataclass(frozen=True)
class Secrets:
    """The secret operations of whichever route form ``backend`` serves, as one user."""

    backend: LocalBackend
    token: str

    def set(self, name: str, value: str) -> HttpResponse:
        if self.backend.routes == "rest":
            return self._send("POST", f"/secrets/{name}", {"value": value})
        return self._send("POST", "/secrets/set", {"name": name, "value": value})

    def get(self, name: str) -> HttpResponse:
        prefix = "/secrets/" if self.backend.routes == "rest" else "/secrets/get/"
        return self._send("GET", prefix + name)

    def delete(self, name: str) -> HttpResponse:
        return self._send("DELETE", f"/secrets/{name}")

    def list_path(self) -> str:
        return "/secrets" if self.backend.routes == "rest" else "/secrets/list"

    def _send(self, method: str, path: str, body: object = None) -> HttpResponse:
        return self.backend.request(method, path, token=self.token, json_body=body)


def as_alice(backend: LocalBackend) -> Secrets:
    return Secrets(backend, backend.login(ALICE))


def user_of(backend: LocalBackend, identity: dict[str, str]) -> str:
    return backend.login_data(identity)["user_uuid"]


def internal_error(response: HttpResponse) -> bool:
    body = response.json()
    return response.status == 500 and body["error"]["code"] == "internal_error"


# --- the request log -----------------------------------------------------------------------


def test_the_request_log_lists_every_api_request_in_order(fresh_backend_any_form):
    backend = fresh_backend_any_form
    alice = as_alice(backend)
    alice.set("a-b", "v")
    alice.get("a-b")
    backend.request("GET", alice.list_path() + "?x=1&y=%20z", token=alice.token)
    backend.state()  # control requests are not API requests
    backend.request("GET", "/nope")
    backend.request("DELETE", "/secrets/%61-b", token="wrong")
    set_path = "/secrets/a-b" if backend.routes == "rest" else "/secrets/set"
    get_path = "/secrets/a-b" if backend.routes == "rest" else "/secrets/get/a-b"
    assert backend.requests() == [
        {"method": "POST", "path": "/auth/cli", "query": ""},
        {"method": "POST", "path": set_path, "query": ""},
        {"method": "GET", "path": get_path, "query": ""},
        {"method": "GET", "path": alice.list_path(), "query": "x=1&y=%20z"},
        {"method": "GET", "path": "/nope", "query": ""},
        {"method": "DELETE", "path": "/secrets/%61-b", "query": ""},  # as sent
    ]


def test_reset_empties_the_request_log(fresh_backend_any_form):
    backend = fresh_backend_any_form
    as_alice(backend).set("k", "v")
    assert len(backend.requests()) == 2
    backend.reset()
    assert backend.requests() == []


def test_the_request_log_keeps_requests_the_rate_limit_refused(fresh_backend_any_form):
    backend = fresh_backend_any_form
    alice = as_alice(backend)
    backend.rate_limit(after=0, times=1)
    assert alice.get("k").status == 429
    assert backend.requests()[-1]["method"] == "GET"
    assert len(backend.requests()) == 2


# --- fail-writes ---------------------------------------------------------------------------


def test_writes_after_the_first_n_fail_with_500_and_change_nothing(fresh_backend_any_form):
    backend = fresh_backend_any_form
    alice = as_alice(backend)
    user = backend.login_data(ALICE)["user_uuid"]
    backend.fail_writes(after=1)
    assert alice.set("k", "v1").status in (200, 201)
    assert internal_error(alice.set("k", "v2"))
    assert internal_error(alice.set("other", "v"))
    assert internal_error(alice.delete("k"))
    assert alice.get("k").json()["data"]["value"] == "v1"  # reads still work
    assert backend.names(user) == ["k"]

    backend.fail_writes(None)
    assert alice.set("k", "v2").json()["data"]["version"] == 2
    assert alice.delete("k").status == 200


def test_fail_writes_after_zero_fails_the_first_write(fresh_backend_any_form):
    backend = fresh_backend_any_form
    alice = as_alice(backend)
    backend.fail_writes(after=0)
    assert internal_error(alice.set("k", "v"))
    assert alice.get("k").status == 404
    assert backend.state()["secrets"] == 0


def test_reset_switches_fail_writes_off(fresh_backend_any_form):
    backend = fresh_backend_any_form
    backend.fail_writes(after=0)
    backend.reset()
    assert as_alice(backend).set("k", "v").status in (200, 201)


@pytest.mark.parametrize("payload", [{"after": -1}, {"after": "1"}, {"after": 1.5}, [1]])
def test_fail_writes_control_rejects_nonsense(fresh_backend, payload):
    response = fresh_backend.request("POST", "/_control/fail-writes", json_body=payload)
    assert response.status == 400


# --- one user's names --------------------------------------------------------------------


def test_names_are_one_users_in_storage_order(fresh_backend_any_form):
    backend = fresh_backend_any_form
    alice = as_alice(backend)
    for name in ["zeta", "alpha", "Mid"]:
        alice.set(name, "v")
    Secrets(backend, backend.login(BOB)).set("bobs", "v")
    assert backend.names(backend.login_data(ALICE)["user_uuid"]) == ["Mid", "alpha", "zeta"]
    assert backend.names(backend.login_data(BOB)["user_uuid"]) == ["bobs"]
    assert backend.names("00000000-0000-0000-0000-000000000000") == []


def test_names_needs_a_user(fresh_backend):
    assert fresh_backend.request("GET", "/_control/names").status == 400


# --- seeding many secrets ------------------------------------------------------------------


def test_seed_stores_many_secrets_for_one_user_without_api_requests(fresh_backend_any_form):
    backend = fresh_backend_any_form
    alice = as_alice(backend)
    user = user_of(backend, ALICE)
    stored = {f"s{index:04d}": f"value {index}" for index in range(1026)}
    backend.seed(user, stored)
    assert backend.names(user) == sorted(stored)
    assert backend.names(user_of(backend, BOB)) == []
    state = backend.state()
    assert (state["secrets"], state["requests"]) == (1026, 3)  # the three logins
    assert [entry["path"] for entry in backend.requests()] == ["/auth/cli"] * 3
    got = alice.get("s1025").json()["data"]
    assert (got["value"], got["version"]) == ("value 1025", 1)


def test_seed_creates_or_updates_as_a_set_does(fresh_backend_any_form):
    backend = fresh_backend_any_form
    alice = as_alice(backend)
    alice.set("kept", "mine")
    backend.seed(user_of(backend, ALICE), {"kept": "seeded", "new": "n"})
    assert [(s, alice.get(s).json()["data"]["version"]) for s in ("kept", "new")] == [
        ("kept", 2),
        ("new", 1),
    ]
    assert alice.get("kept").json()["data"]["value"] == "seeded"


def test_seed_passes_the_rate_limit_and_fail_writes(fresh_backend_any_form):
    backend = fresh_backend_any_form
    user = user_of(backend, ALICE)
    backend.rate_limit(after=0)
    backend.fail_writes(after=0)
    backend.seed(user, {"k": "v"})
    assert backend.names(user) == ["k"]


@pytest.mark.parametrize(
    ("routes", "secrets"),
    [
        ("v0.1", {"ok": "v", "a:b": "v"}),  # a colon: only the REST form allows it
        ("rest", {"ok": "v", "dot.ted": "v"}),
        ("v0.1", {"ok": "v", "n" * 65: "v"}),
        ("rest", {"ok": "v", "empty": ""}),
        ("v0.1", {"ok": "v", "big": "x" * 10241}),
        ("rest", {"ok": "v", "number": 7}),
    ],
)
def test_seed_checks_every_secret_as_the_served_form_and_stores_none_if_one_is_bad(
    fresh_backend, routes, secrets
):
    fresh_backend.redeploy(routes)
    user = user_of(fresh_backend, ALICE)
    payload = {"user_uuid": user, "secrets": secrets}
    response = fresh_backend.request("POST", "/_control/seed", json_body=payload)
    assert response.status == 400
    assert fresh_backend.names(user) == []


def test_seed_follows_the_form_served_now(fresh_backend):
    user = user_of(fresh_backend, ALICE)
    fresh_backend.redeploy("rest")
    fresh_backend.seed(user, {"a:b": "v"})
    assert fresh_backend.names(user) == ["a:b"]


@pytest.mark.parametrize(
    "payload",
    [
        {"secrets": {"k": "v"}},
        {"user_uuid": "", "secrets": {"k": "v"}},
        {"user_uuid": 5, "secrets": {"k": "v"}},
        {"user_uuid": "u", "secrets": [["k", "v"]]},
        {"user_uuid": "u"},
        ["u"],
    ],
)
def test_seed_control_rejects_nonsense(fresh_backend, payload):
    response = fresh_backend.request("POST", "/_control/seed", json_body=payload)
    assert response.status == 400
    assert fresh_backend.state()["secrets"] == 0


def test_the_v01_list_is_not_paged(fresh_backend):
    alice = as_alice(fresh_backend)
    stored = {f"k{index}": "v" for index in range(1026)}
    fresh_backend.seed(user_of(fresh_backend, ALICE), stored)
    data = fresh_backend.request("GET", "/secrets/list", token=alice.token).json()["data"]
    assert data["total_count"] == 1026
    assert [item["name"] for item in data["secrets"]] == sorted(stored)


# --- switching the route form (a redeploy) -------------------------------------------------


def status_of(backend: LocalBackend, method: str, path: str, token: str, body=None) -> int:
    return backend.request(method, path, token=token, json_body=body).status


def test_a_redeploy_to_rest_keeps_everything_and_v01_set_then_writes_a_secret_named_set(
    fresh_backend,
):
    backend = fresh_backend
    login = backend.login_data(ALICE)
    token, user = login["token"], login["user_uuid"]
    assert login["expires_in"] == V01_TOKEN_TTL
    stored = {"name": "openai_api_key", "value": "sk-1"}
    assert status_of(backend, "POST", "/secrets/set", token, stored) == 201
    before = backend.state()

    backend.redeploy("rest")
    assert backend.state() == {**before, "routes": "rest"}
    listed = backend.request("GET", "/secrets", token=token)  # the v0.1 token still works
    assert [item["name"] for item in listed.json()["data"]["secrets"]] == ["openai_api_key"]
    again = backend.request("POST", "/secrets/set", token=token, json_body=stored)
    assert again.status == 200
    assert again.json()["data"]["name"] == "set"  # the real danger
    assert backend.names(user) == ["openai_api_key", "set"]
    got = backend.request("GET", "/secrets/openai_api_key", token=token).json()["data"]
    assert (got["value"], got["version"]) == ("sk-1", 1)  # never touched
    assert status_of(backend, "GET", "/secrets/list", token) == 404  # a secret named "list"
    assert backend.login_data(ALICE)["expires_in"] == REST_TOKEN_TTL  # the new form's logins


def test_a_redeploy_back_to_v01_keeps_what_the_rest_form_stored(fresh_backend):
    backend = fresh_backend
    v01_token = backend.login(ALICE)
    backend.redeploy("rest")
    rest_token = backend.login(ALICE)
    assert status_of(backend, "POST", "/secrets/a:b", rest_token, {"value": "v"}) == 200
    assert status_of(backend, "POST", "/secrets/k", rest_token, {"value": "v"}) == 200

    backend.redeploy("v0.1")
    assert backend.state()["routes"] == "v0.1"
    for token in (v01_token, rest_token):
        listed = backend.request("GET", "/secrets/list", token=token).json()["data"]
        assert [item["name"] for item in listed["secrets"]] == ["a:b", "k"]
    assert status_of(backend, "GET", "/secrets/get/k", rest_token) == 200
    assert status_of(backend, "GET", "/secrets", rest_token) in (404, 405)
    assert (
        status_of(backend, "POST", "/secrets/set", rest_token, {"name": "k", "value": "w"}) == 200
    )
    assert backend.names(user_of(backend, ALICE)) == ["a:b", "k"]  # no secret named "set"
    assert backend.login_data(ALICE)["expires_in"] == V01_TOKEN_TTL


def test_a_redeploy_keeps_the_test_switches(fresh_rest_backend):
    backend = fresh_rest_backend
    token = backend.login(ALICE)
    backend.fail_writes(after=0)
    backend.redeploy("v0.1")
    refused = backend.request(
        "POST", "/secrets/set", token=token, json_body={"name": "k", "value": "v"}
    )
    assert internal_error(refused)
    assert [entry["path"] for entry in backend.requests()] == ["/auth/cli", "/secrets/set"]


@pytest.mark.parametrize("routes", ROUTE_FORMS)
def test_reset_serves_the_start_form_again(fresh_backend_any_form, routes):
    backend = fresh_backend_any_form
    backend.redeploy(routes)
    backend.reset()
    assert backend.state()["routes"] == backend.routes
    token = backend.login(ALICE)
    assert status_of(backend, "GET", as_alice(backend).list_path(), token) == 200
    expires_in = backend.login_data(ALICE)["expires_in"]
    assert expires_in == {"v0.1": V01_TOKEN_TTL, "rest": REST_TOKEN_TTL}[backend.routes]


@pytest.mark.parametrize("payload", [{}, {"routes": "v2"}, {"routes": None}, {"routes": "REST"}])
def test_redeploy_control_rejects_nonsense(fresh_backend, payload):
    response = fresh_backend.request("POST", "/_control/routes", json_body=payload)
    assert response.status == 400
    assert fresh_backend.state()["routes"] == "v0.1"


def test_the_proxy_passes_the_new_form_of_a_redeployed_backend_untouched(fresh_proxied_backend):
    proxy: ProxiedBackend = fresh_proxied_backend
    token = proxy.login(ALICE)  # through the proxy, as the v0.1 form
    steps = [
        ("POST", "/secrets/k", {"value": "v"}, 200),
        ("GET", "/secrets", None, 200),
        ("GET", "/secrets?include_values=true", None, 200),
        ("GET", "/secrets/k", None, 200),
        ("DELETE", "/secrets/k", None, 200),
        ("POST", "/auth/cli", {"tailscale": ALICE, "cli_version": "0.1.0"}, 200),
    ]
    proxy.backend.redeploy("rest")
    for method, path, body, status in steps:
        response = proxy.request(method, path, token=token, json_body=body)
        assert response.status == status, (method, path, response.body)
        assert "sl-violations" not in response.headers, response.headers["sl-violations"]
        assert "success" in response.json()  # the backend's envelope, not a Prism problem
    # The proxy cannot prevent the collision: it reports the REST answer to v0.1's set
    # as a violation only after the backend has stored a secret named "set".
    collided = proxy.request(
        "POST", "/secrets/set", token=token, json_body={"name": "k", "value": "v"}
    )
    assert collided.status == 500
    assert "sl-violations" in collided.headers
    assert proxy.backend.names(user_of(proxy.backend, ALICE)) == ["set"]


# --- latency -------------------------------------------------------------------------------


@pytest.mark.parametrize("routes", ROUTE_FORMS)
def test_latency_delays_every_api_answer(start_backend, routes):
    slow = start_backend("--latency", "400", routes=routes)
    for method, path in [("POST", "/auth/cli"), ("GET", "/nope")]:
        started = time.monotonic()
        slow.request(method, path)
        assert time.monotonic() - started >= 0.4, (method, path)


def test_latency_must_not_be_negative():
    result = refused_start("--latency", "-5")
    assert result.returncode == 2
    assert "--latency" in result.stderr


# --- --rotating-reads


def test_each_read_by_name_rotates_the_secret_first():
    store = Store(rotating_reads=True)
    store.set("u", "k", "v")
    reads = [store.get("u", "k") for _ in range(3)]
    assert [(s.value, s.version) for s in reads if s is not None] == [
        ("v~2", 2),
        ("v~3", 3),
        ("v~4", 4),
    ]
    assert store.get("u", "missing") is None
    assert [name for name, _ in store.list("u")] == ["k"]


def test_a_list_does_not_rotate_and_reads_stay_put_without_the_option():
    rotating = Store(rotating_reads=True)
    rotating.set("u", "k", "v")
    assert [(s.value, s.version) for _, s in rotating.list("u")] == [("v", 1)]
    plain = Store()
    plain.set("u", "k", "v")
    assert {(s.value, s.version) for s in (plain.get("u", "k"), plain.get("u", "k")) if s} == {
        ("v", 1)
    }


def test_the_command_line_turns_it_on_for_the_backends_store():
    assert parse_args([]).rotating_reads is False
    backend = Backend(Options(rotating_reads=parse_args(["--rotating-reads"]).rotating_reads))
    backend.store.set("u", "k", "v")
    read = backend.store.get("u", "k")
    assert read is not None
    assert (read.value, read.version) == ("v~2", 2)
