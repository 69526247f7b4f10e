"""Finding the server's route form (leger/api/detect.py): one probe, never a guess.

With LEGER_TOKEN (no stored form), a command probes ``GET /secrets`` and then
uses the form the answer shows; an answer of neither form is an error. Nothing
ever reaches v0.1's ``POST /secrets/set`` on a REST server. Whole command lines
in-process (the ``leger`` fixture, tests/support/inprocess.py).
"""

from __future__ import annotations

import pytest

from tests.support import wire
from tests.support.httpmock import each_form

# --- finding the form: one probe with LEGER_TOKEN, never /secrets/set on REST -------------------


@each_form
@pytest.mark.parametrize("command", ["list", "get", "set", "delete"])
def test_leger_token_probes_then_uses_the_servers_form(authed, form, command):
    server = authed.speaks(form)
    server.answers_probe()
    {
        "list": lambda: server.lists(),
        "get": lambda: server.has_secret("k", "v4lue"),
        "set": lambda: server.stores("k"),
        "delete": lambda: server.deletes("k"),
    }[command]()
    argv = {
        "list": ["list"],
        "get": ["get", "k"],
        "set": ["set", "k", "v4lue"],
        "delete": ["delete", "k", "--force"],
    }[command]
    result = authed.run("secrets", *argv, env={"LEGER_API_ROUTES": ""})
    assert result.exit_code == 0, result.stderr
    sent = authed.registry.sent()
    assert sent[0] == form.probe
    assert sent[1] == server.route_of(command)
    if form is wire.REST:
        assert ("POST", "/secrets/set") not in sent


@pytest.mark.parametrize("status", [500, 401, 403])
def test_a_probe_answer_of_neither_form_is_an_error_not_a_guess(authed, status):
    server = authed.speaks(wire.REST)
    server.answers(wire.REST.probe, status, wire.error("whatever", "no"))
    result = authed.run(
        "secrets", "set", "k", authed.secret("v4lue-probe"), env={"LEGER_API_ROUTES": ""}
    )
    assert result.exit_code == (4 if status == 401 else 1)
    assert authed.registry.sent() == [wire.REST.probe]  # and no POST of any kind
