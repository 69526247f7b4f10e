"""The v0.1 form's operations (leger/api/secrets_v01.py): what a set answer means."""

from __future__ import annotations

import json

import pytest

from leger.errors import (
    RoutesMismatch,
)
from tests.support import wire
from tests.support.api import answering

VALUE = "sk-value-do-not-print"


@pytest.mark.parametrize(("status", "created"), [(201, True), (200, False)])
def test_set_secret_created_or_updated(status: int, created: bool) -> None:
    server = answering(status, wire.SET_CREATED)
    with server.client() as client:
        result = client.set_secret("k", VALUE)
    assert result.created is created
    assert result.version == 1
    assert json.loads(server.requests[0].content) == {"name": "k", "value": VALUE}


def test_a_set_answer_for_another_secret_is_a_route_mismatch() -> None:
    # What a REST server answers to v0.1's POST /secrets/set: a secret named "set".
    with answering(200, wire.SET_CREATED).client() as client, pytest.raises(RoutesMismatch) as info:
        client.set_secret("openai_api_key", VALUE)
    assert "routes do not match" in info.value.message
    assert "leger auth login" in (info.value.hint or "")
    assert "LEGER_API_ROUTES" in (info.value.hint or "")
