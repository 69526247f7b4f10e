"""A remembered route form is a belief: used where being wrong is harmless, checked before harm.

leger/api/session.py (``RouteSession``), through whole command lines.

In-process, against the mock registry: every request is in ``registry.sent()``,
so each test states exactly what reached the server, in order. The belief
comes from LEGER_API_ROUTES, the state hint a probe left, or the stored login.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from leger.route_hints import RouteHints, file_name
from tests.support import wire
from tests.support.httpmock import each_form
from tests.support.inprocess import DEFAULT_ENV, Leger

OTHER = {wire.V01.name: wire.REST, wire.REST.name: wire.V01}
V01_SET = ("POST", "/secrets/set")
# What a v0.1 server answers a REST route it does not have (v0.1 has DELETE /secrets/{name}).
NOT_ALLOWED = (405, wire.error("method_not_allowed", "Allowed: DELETE."))
OUT_OF_DATE = "is out of date"
URL = DEFAULT_ENV["LEGER_API_URL"]


@pytest.fixture
def authed(leger: Leger) -> Leger:
    """LEGER_TOKEN, and no LEGER_API_ROUTES: the belief comes from where each test says."""
    leger.with_token()
    leger.env["LEGER_API_ROUTES"] = None
    return leger


def hint_file(leger: Leger, content: str) -> Path:
    """Write the state hint of the test's server by hand (mode 0600)."""
    state = leger.state_dir
    state.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = state / file_name(URL)
    path.write_text(content)
    os.chmod(path, 0o600)
    return path


def believe(leger: Leger, form: wire.Form) -> None:
    """Make ``form`` the belief of the next commands: a state hint, as a probe leaves."""
    hint_file(
        leger, json.dumps({"url": URL, "form": form.name, "probed_at": "2026-11-30T08:00:00Z"})
    )


def remembered(leger: Leger) -> str | None:
    """The form the state hint holds now (None: no hint)."""
    hint = RouteHints(leger.state_dir).read(URL)
    return hint.form if hint else None


def login_believing(leger: Leger, form: wire.Form) -> None:
    """A stored login that says the server speaks ``form`` (and no LEGER_TOKEN)."""
    leger.env["LEGER_TOKEN"] = None
    leger.logged_in(expires_at="2099-01-01T00:00:00Z", routes=form.name)


# --- without a belief: one probe, remembered -----------------------------------------------------


@each_form
def test_the_first_command_probes_and_the_next_ones_do_not(authed, form):
    server = authed.speaks(form, detected=True)
    server.has_secret("k", "v4lue")
    assert authed.run("secrets", "get", "k").stdout == b"v4lue"
    assert authed.registry.sent() == [form.probe, form.get("k")]
    assert remembered(authed) == form.name
    for _ in range(2):
        server.has_secret("k", "v4lue")
        result = authed.run("secrets", "get", "k")
        assert (result.exit_code, result.stdout, result.stderr) == (0, b"v4lue", "")
    assert authed.registry.sent() == [form.probe, form.get("k"), form.get("k"), form.get("k")]


def test_a_hint_comes_before_the_login_and_leger_api_routes_before_both(authed):
    login_believing(authed, wire.V01)
    believe(authed, wire.REST)
    server = authed.speaks(wire.REST)
    authed.env["LEGER_API_ROUTES"] = None
    server.has_secret("k", "v4lue")
    assert authed.run("secrets", "get", "k").exit_code == 0
    assert authed.registry.sent() == [wire.REST.get("k")]
    authed.speaks(wire.V01).has_secret("k", "v4lue")  # and LEGER_API_ROUTES=v0.1
    assert authed.run("secrets", "get", "k").exit_code == 0
    assert authed.registry.sent()[-1] == wire.V01.get("k")


# --- a v0.1 set is sent only after this process's probe found v0.1 -------------------------------


def test_the_first_v0_1_set_is_confirmed_and_later_ones_in_the_process_are_not(authed, tmp_path):
    believe(authed, wire.V01)
    server = authed.speaks(wire.V01, detected=True)  # LEGER_API_ROUTES unset, one probe answered
    server.lists()  # import lists first, for the names' variable clashes
    for name in ("a", "b", "c"):
        server.stores(name)
    dotenv = tmp_path / "three.env"
    dotenv.write_text("a=1\nb=2\nc=3\n")
    result = authed.run("secrets", "import", str(dotenv))
    assert result.exit_code == 0, result.stderr
    assert authed.registry.sent() == [wire.V01.list, wire.V01.probe, V01_SET, V01_SET, V01_SET]
    assert result.stderr == ""


def test_each_process_confirms_before_its_first_v0_1_set(authed):
    server = authed.speaks(wire.V01)  # LEGER_API_ROUTES=v0.1
    for _ in range(2):
        server.answers_probe()
        server.stores("k")
        assert authed.run("secrets", "set", "k", "v4lue").exit_code == 0
    assert authed.registry.sent() == [wire.V01.probe, V01_SET] * 2


@pytest.mark.parametrize("source", ["env", "hint", "login"])
def test_a_v0_1_belief_on_a_rest_server_sets_over_rest_and_says_so_once(authed, source, tmp_path):
    server = authed.speaks(wire.REST)
    authed.env["LEGER_API_ROUTES"] = "v0.1" if source == "env" else None
    if source == "hint":
        believe(authed, wire.V01)
    elif source == "login":
        login_believing(authed, wire.V01)
    # import lists first: on the v0.1 routes, which a REST server does not have
    server.answers(wire.V01.list, *wire.REST.not_found("list"))
    server.answers_probe()
    server.lists()
    server.stores("a")
    server.stores("b")
    dotenv = tmp_path / "two.env"
    dotenv.write_text("a=1\nb=2\n")
    result = authed.run("secrets", "import", str(dotenv))
    assert result.exit_code == 0, result.stderr
    assert authed.registry.sent() == [
        wire.V01.list,
        wire.REST.probe,
        wire.REST.list,
        wire.REST.set("a"),
        wire.REST.set("b"),
    ]
    assert result.stderr.count(OUT_OF_DATE) == 1
    named = {
        "env": "LEGER_API_ROUTES (v0.1 routes) is out of date",
        "hint": "the route form leger remembered for this server (v0.1 routes) is out of date",
        "login": "the route form stored with your login (v0.1 routes) is out of date",
    }[source]
    assert named in result.stderr
    assert "speaks the REST routes; leger uses them now" in result.stderr
    assert remembered(authed) == "rest"


def test_after_the_switch_the_next_command_uses_rest_without_asking(authed):
    login_believing(authed, wire.V01)
    server = authed.speaks(wire.REST)
    authed.env["LEGER_API_ROUTES"] = None
    server.answers_probe()
    server.stores("k")
    assert authed.run("secrets", "set", "k", "v4lue").exit_code == 0
    server.has_secret("k", "v4lue")
    result = authed.run("secrets", "get", "k")
    assert (result.stdout, result.stderr) == (b"v4lue", "")
    assert authed.registry.sent() == [wire.REST.probe, wire.REST.set("k"), wire.REST.get("k")]


def test_a_label_or_colon_the_belief_refuses_is_refused_before_the_probe(authed):
    authed.speaks(wire.V01)
    assert authed.run("secrets", "set", "k", "v", "--label", "x").exit_code == 2
    assert authed.run("secrets", "set", "db:url", "v").exit_code == 1
    assert authed.registry.sent() == []


# --- a mismatch: one probe, and a retry only when nothing was written ----------------------------


@pytest.mark.parametrize("command", ["get", "list"])
def test_a_read_on_the_wrong_routes_is_retried_on_the_right_ones(authed, command):
    believe(authed, wire.V01)
    server = authed.speaks(wire.REST)
    authed.env["LEGER_API_ROUTES"] = None
    # What a REST server answers v0.1's read routes.
    if command == "get":
        server.answers(wire.V01.get("k"), *wire.REST.not_found("get/k"))
        server.has_secret("k", "v4lue")
    else:
        server.answers(wire.V01.list, *wire.REST.not_found("list"))
    server.answers_probe()
    if command == "list":
        server.lists(wire.row("k"))
    argv = ("secrets", "get", "k") if command == "get" else ("secrets", "list")
    result = authed.run(*argv)
    assert result.exit_code == 0, result.stderr
    retried = wire.REST.get("k") if command == "get" else wire.REST.list
    first = wire.V01.get("k") if command == "get" else wire.V01.list
    assert authed.registry.sent() == [first, wire.REST.probe, retried]
    assert result.stderr.count(OUT_OF_DATE) == 1
    if command == "get":
        assert result.stdout == b"v4lue"
    assert remembered(authed) == "rest"


@pytest.mark.parametrize("refusal", [NOT_ALLOWED, wire.V01.not_found("k")], ids=["405", "404"])
def test_a_rest_write_on_a_v0_1_server_is_refused_then_sent_as_v0_1(authed, refusal):
    believe(authed, wire.REST)
    server = authed.speaks(wire.V01)
    authed.env["LEGER_API_ROUTES"] = None
    status, body = refusal
    if status == 404:
        body = wire.error("not_found", "API endpoint not found: POST /secrets/k")
    server.answers(wire.REST.set("k"), status, body)
    server.answers_probe()
    server.stores("k")
    result = authed.run("secrets", "set", "k", "v4lue")
    assert result.exit_code == 0, result.stderr
    assert result.out.startswith("Secret created\n")
    # The probe that found v0.1 is the confirmation the v0.1 set needs: no second one.
    assert authed.registry.sent() == [wire.REST.set("k"), wire.V01.probe, V01_SET]
    assert result.stderr.count(OUT_OF_DATE) == 1
    assert remembered(authed) == "v0.1"


def test_after_a_switch_the_name_is_checked_by_the_new_forms_rule(authed):
    believe(authed, wire.REST)
    server = authed.speaks(wire.V01)
    authed.env["LEGER_API_ROUTES"] = None
    server.answers(("POST", "/secrets/db%3Aurl"), *NOT_ALLOWED)  # the name, percent-encoded
    server.answers_probe()
    result = authed.run("secrets", "set", "db:url", "v4lue")
    assert result.exit_code == 1
    assert "':' is allowed only by servers of the REST form" in result.stderr
    assert authed.registry.sent() == [("POST", "/secrets/db%3Aurl"), wire.V01.probe]


@each_form
def test_a_set_answered_for_another_secret_is_never_retried(authed, form):
    believe(authed, form)
    server = authed.speaks(form)
    authed.env["LEGER_API_ROUTES"] = None
    if form is wire.V01:
        server.answers_probe()  # the probe says v0.1, and yet the answer names "set"
    status, _ = form.set_answer("k", created=True)
    server.answers(form.set("k"), status, form.set_answer("set", created=False)[1])
    result = authed.run("secrets", "set", "k", authed.secret("S3CRET-named-set"))
    assert result.exit_code == 1
    assert "it answered for a different secret" in result.stderr
    expected = ([wire.V01.probe] if form is wire.V01 else []) + [form.set("k")]
    assert authed.registry.sent() == expected


def test_a_mismatch_is_probed_once_and_a_probe_that_agrees_ends_it(authed):
    believe(authed, wire.V01)
    server = authed.speaks(wire.V01)
    authed.env["LEGER_API_ROUTES"] = None
    server.answers(wire.V01.get("k"), 404, wire.error("not_found", "API endpoint not found: x"))
    server.answers_probe()
    result = authed.run("secrets", "get", "k")
    assert result.exit_code == 1
    assert "routes do not match" in result.stderr
    assert OUT_OF_DATE not in result.stderr
    assert authed.registry.sent() == [wire.V01.get("k"), wire.V01.probe]


def test_a_process_that_probed_already_does_not_probe_again(authed):
    server = authed.speaks(wire.REST, detected=True)
    server.answers(wire.REST.get("k"), 404, wire.error("not_found", "API endpoint not found: x"))
    result = authed.run("secrets", "get", "k")
    assert result.exit_code == 1
    assert authed.registry.sent() == [wire.REST.probe, wire.REST.get("k")]


@each_form
def test_delete_goes_straight_to_the_shared_route(authed, form):
    believe(authed, OTHER[form.name])
    server = authed.speaks(form)
    authed.env["LEGER_API_ROUTES"] = None
    server.deletes("k")
    result = authed.run("secrets", "delete", "k", "--force")
    assert result.exit_code == 0, result.stderr
    assert authed.registry.sent() == [form.delete("k")]


def test_a_delete_of_a_missing_secret_on_the_other_form_is_probed_then_not_found(authed):
    believe(authed, wire.V01)
    server = authed.speaks(wire.REST)
    authed.env["LEGER_API_ROUTES"] = None
    server.lacks("k", "delete")  # REST's not_found, which v0.1 does not say of a secret
    server.answers_probe()
    server.lacks("k", "delete")
    result = authed.run("secrets", "delete", "k", "--force")
    assert result.exit_code == 1
    assert '\nError: Secret "k" not found\n' in result.stderr
    assert result.stderr.count(OUT_OF_DATE) == 1
    assert authed.registry.sent() == [wire.REST.delete("k"), wire.REST.probe, wire.REST.delete("k")]


# --- the hint file itself -------------------------------------------------------------------------


def test_login_leaves_a_hint(authed):
    authed.env["LEGER_TOKEN"] = None
    server = authed.speaks(wire.REST, detected=True)
    server.logs_in()
    assert authed.run("auth", "login").exit_code == 0
    assert remembered(authed) == "rest"


def test_an_unusable_hint_is_no_hint_and_says_why_in_the_debug_log(authed):
    path = hint_file(authed, "{not json")
    server = authed.speaks(wire.REST, detected=True)
    server.has_secret("k", "v4lue")
    result = authed.run("secrets", "get", "k")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert authed.registry.sent() == [wire.REST.probe, wire.REST.get("k")]
    assert remembered(authed) == "rest"  # and the probe's answer replaced it
    server.has_secret("k", "v4lue")
    path.chmod(0o644)
    server.answers_probe()
    result = authed.run("secrets", "get", "k", env={"LEGER_DEBUG": "1"})
    assert "[leger debug] route hint" in result.stderr
    assert "ignored" in result.stderr


def test_xdg_state_home_says_where_hints_are(authed, tmp_path):
    server = authed.speaks(wire.REST, detected=True)
    server.has_secret("k", "v4lue")
    state = tmp_path / "elsewhere"
    assert authed.run("secrets", "get", "k", env={"XDG_STATE_HOME": str(state)}).exit_code == 0
    assert (state / "leger" / file_name(URL)).is_file()
    assert remembered(authed) is None
