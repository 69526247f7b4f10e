"""How ``tailscale status --json`` maps to the identity sent to POST /auth/cli."""

from __future__ import annotations

import json

import pytest

from leger.errors import TailscaleError
from leger.tailscale import Identity, parse_status
from tests.support.tailscale import TAILSCALE_FIXTURES


def fixture(name: str) -> dict:
    return json.loads((TAILSCALE_FIXTURES / f"{name}.json").read_text())


def encode(status: object) -> bytes:
    return json.dumps(status).encode()


def test_running_maps_all_five_fields():
    identity = parse_status((TAILSCALE_FIXTURES / "running.json").read_bytes())
    assert identity == Identity(
        user_id="6251389104827233",
        login_name="alice@example.com",
        device_id="nQ5bT3kWq811CNTRL",
        device_hostname="alice-laptop",
        tailnet="alice@example.com",
    )


def test_user_id_beyond_2_to_the_53_keeps_every_digit():
    status = fixture("running")
    big = 2**62 + 1  # a float would round this to ...000
    status["Self"]["UserID"] = big
    status["User"] = {str(big): {"ID": big, "LoginName": "bob@example.com"}}
    raw = encode(status)
    assert str(big).encode() in raw
    identity = parse_status(raw)
    assert identity.user_id == "4611686018427387905"
    assert identity.login_name == "bob@example.com"


@pytest.mark.parametrize(
    ("state", "says", "advice"),
    [
        ("NeedsLogin", "not logged in", "tailscale up"),
        ("Stopped", "stopped", "tailscale up"),
        ("NeedsMachineAuth", "approval", "admin"),
        ("Starting", "starting", "try again"),
        ("NoState", "starting", "try again"),
        ("SomethingNew", "SomethingNew", "tailscale status"),
    ],
)
def test_each_backend_state_other_than_running_has_its_own_advice(state, says, advice):
    status = fixture("running")
    status["BackendState"] = state
    with pytest.raises(TailscaleError) as caught:
        parse_status(encode(status))
    assert says in caught.value.message
    assert advice in (caught.value.hint or "")


@pytest.mark.parametrize("name", ["needs-login", "stopped"])
def test_shipped_fixtures_for_other_states_are_refused(name):
    with pytest.raises(TailscaleError):
        parse_status((TAILSCALE_FIXTURES / f"{name}.json").read_bytes())


def _without(path: list[str]) -> bytes:
    status = fixture("running")
    node = status
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return encode(status)


def _with(path: list[str], value: object) -> bytes:
    status = fixture("running")
    node = status
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return encode(status)


@pytest.mark.parametrize(
    ("raw", "mentions"),
    [
        (b"", "not JSON"),
        (b"{not json", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (_without(["Self"]), "Self"),
        (_without(["Self", "UserID"]), "Self.UserID"),
        (_with(["Self", "UserID"], 6.251389104827233e15), "Self.UserID"),
        (_with(["Self", "UserID"], "6251389104827233"), "Self.UserID"),
        (_with(["Self", "UserID"], True), "Self.UserID"),
        (_with(["Self", "UserID"], 0), "Self.UserID"),
        (_with(["User"], None), "User"),
        (_with(["User"], {}), "User[6251389104827233]"),
        (_without(["User", "6251389104827233", "LoginName"]), "LoginName"),
        (_with(["Self", "ID"], ""), "Self.ID"),
        (_with(["Self", "HostName"], None), "Self.HostName"),
        (_with(["CurrentTailnet"], None), "CurrentTailnet"),
        (_with(["CurrentTailnet", "Name"], "  "), "CurrentTailnet.Name"),
    ],
)
def test_malformed_output_is_a_message_naming_the_field(raw, mentions):
    with pytest.raises(TailscaleError) as caught:
        parse_status(raw)
    assert mentions in caught.value.message


def test_unknown_extra_fields_and_empty_ips_are_fine():
    status = fixture("running")
    status["TailscaleIPs"] = []
    status["Self"]["SomethingFromAFutureVersion"] = {"x": [1, 2]}
    status["NewTopLevel"] = None
    assert parse_status(encode(status)).device_id == "nQ5bT3kWq811CNTRL"


def test_deeply_nested_output_is_a_tailscale_error_not_a_crash():
    with pytest.raises(TailscaleError) as caught:
        parse_status(b"[" * 100_000)
    assert "nested too deeply" in caught.value.message


@pytest.mark.parametrize("state", [None, ["Running"], {"a": 1}, 1])
def test_a_backend_state_that_is_not_text_is_unreadable(state):
    status = fixture("running")
    status["BackendState"] = state
    with pytest.raises(TailscaleError) as caught:
        parse_status(encode(status))
    assert "BackendState is missing" in caught.value.message


def test_an_unknown_backend_state_is_quoted_on_one_safe_line():
    status = fixture("running")
    status["BackendState"] = "New\x1b[2J\nState" + "x" * 500
    with pytest.raises(TailscaleError) as caught:
        parse_status(encode(status))
    assert "state: New?[2J State" in caught.value.message
    assert "\x1b" not in caught.value.message
    assert len(caught.value.message) < 120
