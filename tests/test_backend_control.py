"""The local backend's test facilities, in both route forms: the request log, the
write-failure switch, reading one user's names, and ``--latency``."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass

import pytest

from devtools.processes import REPO
from tests.fixtures.backend import ALICE, BOB, ROUTE_FORMS, HttpResponse, LocalBackend


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


# --- latency -------------------------------------------------------------------------------


@pytest.mark.parametrize("routes", ROUTE_FORMS)
def test_latency_delays_every_api_answer(start_backend, routes):
    slow = start_backend("--latency", "400", routes=routes)
    for method, path in [("POST", "/auth/cli"), ("GET", "/nope")]:
        started = time.monotonic()
        slow.request(method, path)
        assert time.monotonic() - started >= 0.4, (method, path)


def test_latency_must_not_be_negative():
    result = subprocess.run(
        [sys.executable, "-m", "devtools.leger_backend", "--latency", "-5", "--port", "0"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "--latency" in result.stderr
