"""The mock registry (tests/support/httpmock.py): no request without a stub, no stub unused."""

from __future__ import annotations

import httpx
import pytest

from tests.support.httpmock import Registry, respond_json


def test_registry_fails_on_a_request_it_has_no_stub_for():
    registry = Registry()
    with (
        httpx.Client(transport=registry.transport(), base_url="http://x") as client,
        pytest.raises(AssertionError, match="no stub for GET /anything"),
    ):
        client.get("/anything")
    with pytest.raises(AssertionError, match="requests without a stub"):
        registry.verify()


def test_registry_fails_on_a_stub_never_used():
    registry = Registry()
    registry.register("GET", "/anything", respond_json(200, {}))
    with pytest.raises(AssertionError, match="stubs never used"):
        registry.verify()


def test_registry_answers_a_stub_only_as_often_as_registered():
    registry = Registry()
    registry.register("GET", "/a", respond_json(200, {"n": 1}))
    registry.register("GET", "/a", respond_json(200, {"n": 2}))
    with httpx.Client(transport=registry.transport(), base_url="http://x") as client:
        assert [client.get("/a").json()["n"] for _ in range(2)] == [1, 2]
    assert registry.sent() == [("GET", "/a"), ("GET", "/a")]
    registry.verify()
