"""The wire facts (tests/support/wire.py): each route form knows every operation."""

from __future__ import annotations

from tests.support import wire


def test_both_forms_know_every_operation():
    assert wire.V01.set("k") == ("POST", "/secrets/set")
    assert wire.REST.set("k") == ("POST", "/secrets/k")
    assert wire.V01.set_body("k", "v") == {"name": "k", "value": "v"}
    assert wire.REST.set_body("k", "v", label="l") == {"value": "v", "label": "l"}
    assert wire.V01.set_answer("k", created=True)[0] == 201
    assert wire.REST.set_answer("k", created=True)[0] == 200  # REST never answers 201
    assert wire.REST.delete("k") == wire.V01.delete("k")
