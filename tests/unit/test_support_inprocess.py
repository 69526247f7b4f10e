"""The in-process harness (tests/support/inprocess.py): ``leger.cli.run`` on injected streams."""

from __future__ import annotations

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
