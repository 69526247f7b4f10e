"""The in-process harness: ``leger.cli.run`` on injected streams, and the mock registry."""

from __future__ import annotations

import signal

import httpx
import pytest

from tests.support import wire
from tests.support.httpmock import Registry, respond_json
from tests.support.inprocess import run_leger


def test_run_writes_only_to_the_injected_streams(capfd):
    result = run_leger(["secrets", "nope"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: Unknown command 'nope' for 'leger secrets'\n")
    assert capfd.readouterr() == ("", "")


@pytest.mark.parametrize("argv", [["--help"], ["secrets", "--help"], ["secrets"]])
def test_help_goes_to_the_injected_stdout(capfd, argv):
    result = run_leger(argv)
    assert result.exit_code == 0
    assert "\nUsage:\n  leger " in result.out
    assert result.stderr == ""
    assert capfd.readouterr() == ("", "")


def test_hidden_input_reads_the_typed_answers_and_records_the_prompts():
    registry = Registry()
    registry.register(*wire.V01.probe, respond_json(*wire.V01.probe_answer()))
    registry.register(*wire.V01.set("k"), respond_json(*wire.V01.set_answer("k", created=True)))
    result = run_leger(
        ["secrets", "set", "k"],
        tty=True,
        env={"LEGER_TOKEN": "t"},
        transport=registry.transport(),
        typed=["v", "v"],
    )
    assert result.exit_code == 0, result.stderr
    assert result.prompts == ["Secret value: ", "Secret value (again): "]
    registry.verify()


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


@pytest.mark.parametrize(("form", "status"), [(wire.REST, 200), (wire.V01, 404)])
def test_a_detected_form_answers_the_probe_its_own_way(leger, form, status):
    leger.speaks(form, detected=True)
    with httpx.Client(transport=leger.registry.transport(), base_url="http://x") as client:
        answer = client.request(*form.probe)
    assert answer.status_code == status
    assert leger.env["LEGER_API_ROUTES"] is None  # unset: leger must detect the form


def test_a_pinned_form_sets_leger_api_routes_and_answers_on_its_routes(leger):
    leger.speaks(wire.REST).has_secret("k", "v")
    assert leger.env["LEGER_API_ROUTES"] == "rest"
    with httpx.Client(transport=leger.registry.transport(), base_url="http://x") as client:
        answer = client.request(*wire.REST.get("k"))
    assert answer.json()["data"]["value"] == "v"


def test_both_forms_know_every_operation():
    assert wire.V01.set("k") == ("POST", "/secrets/set")
    assert wire.REST.set("k") == ("POST", "/secrets/k")
    assert wire.V01.set_body("k", "v") == {"name": "k", "value": "v"}
    assert wire.REST.set_body("k", "v", label="l") == {"value": "v", "label": "l"}
    assert wire.V01.set_answer("k", created=True)[0] == 201
    assert wire.REST.set_answer("k", created=True)[0] == 200  # REST never answers 201
    assert wire.REST.delete("k") == wire.V01.delete("k")


def test_a_terminal_session_gets_ctrl_c_even_when_the_test_run_ignores_it(cli):
    # A test run started in the background by a script ignores SIGINT, and a child
    # inherits that: Ctrl-C at a session's prompt then did nothing (the flaky
    # test_ctrl_c_at_the_prompt... of tests/test_secrets_cli.py).
    cli.env["LEGER_TOKEN"] = "t"
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        session = cli.terminal("secrets", "set", "k")
    finally:
        signal.signal(signal.SIGINT, previous)
    session.expect(b"Secret value: ")
    session.send(b"\x03")
    code, _output, stderr = session.finish()
    assert code == 130, stderr
    assert stderr == "\nInterrupted\n"
