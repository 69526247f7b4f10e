"""Every secrets command on both route forms, in-process: same output where the server
gives the data, each form's own rules checked before anything is sent.

The mock registry fails a test on any request it was not told about, so "nothing
was sent" (and "no request reached /secrets/set") is checked after every test.
"""

from __future__ import annotations

import json

import pytest

from tests.support import wire
from tests.support.inprocess import Leger

FORMS = pytest.mark.parametrize("form", wire.FORMS, ids=[form.name for form in wire.FORMS])
LABELLED = [
    {**wire.row("db:url", version=2), "label": "Production database"},
    wire.row("openai_api_key"),
]


@pytest.fixture
def authed(leger: Leger) -> Leger:
    return leger.with_token()


@FORMS
def test_list_is_the_same_table_on_both_forms(authed, form):
    authed.speaks(form).lists(*wire.EXAMPLE_ROWS)
    result = authed.run("secrets", "list")
    assert (result.exit_code, result.out, result.stderr) == (0, wire.EXAMPLE_TABLE, "")


@FORMS
def test_list_json_keeps_its_keys_and_adds_label(authed, form):
    authed.speaks(form).lists(*wire.EXAMPLE_ROWS)
    result = authed.run("secrets", "list", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == [{**row, "label": None} for row in wire.EXAMPLE_ROWS]


def test_list_shows_a_label_column_when_a_secret_has_one(authed):
    authed.speaks(wire.REST).lists(*LABELLED)
    result = authed.run("secrets", "list")
    assert result.exit_code == 0, result.stderr
    assert result.out == (
        "Name            Created     Updated     Version  Label\n"
        "db:url          2025-10-15  2025-10-15  2        Production database\n"
        "openai_api_key  2025-10-15  2025-10-15  1\n"
        "\n"
        "Total: 2 secrets\n"
    )
    authed.server.lists(*LABELLED)
    rows = json.loads(authed.run("secrets", "list", "--json").stdout)
    assert [row["label"] for row in rows] == ["Production database", None]


@FORMS
def test_get_prints_the_value_byte_for_byte(authed, form):
    value = authed.secret("line one\nline two \u00e9\U0001f600")
    authed.speaks(form).has_secret("k", value)
    result = authed.run("secrets", "get", "k")
    assert (result.exit_code, result.stdout, result.stderr) == (0, value.encode(), "")


@FORMS
@pytest.mark.parametrize(
    ("created", "version", "says"), [(True, 1, "created"), (False, 3, "updated")]
)
def test_set_says_created_or_updated(authed, form, created, version, says):
    authed.speaks(form).stores("k", created=created, version=version)
    result = authed.run("secrets", "set", "k", authed.secret("S3CRET-forms"))
    assert result.exit_code == 0, result.stderr
    assert result.out == (
        f"Secret {says}\n  Name: k\n  Version: {version}\n  Updated: 2025-10-16T15:00:00Z\n"
    )
    sent = authed.registry.requests[-1]
    assert json.loads(sent.content) == form.set_body("k", "S3CRET-forms")


def test_set_with_a_label_on_rest_sends_it(authed):
    authed.speaks(wire.REST).stores("k")
    result = authed.run("secrets", "set", "k", authed.secret("S3CRET-label"), "--label", " Prod ")
    assert result.exit_code == 0, result.stderr
    assert json.loads(authed.registry.requests[-1].content) == wire.REST.set_body(
        "k", "S3CRET-label", " Prod "
    )


def test_a_label_on_v0_1_is_refused_before_anything_is_sent(authed):
    authed.speaks(wire.V01)
    result = authed.run("secrets", "set", "k", authed.secret("S3CRET-nolabel"), "--label", "x")
    assert result.exit_code == 2
    assert "Labels need a server of the REST form" in result.stderr
    assert authed.registry.requests == []


@FORMS
def test_delete_says_deleted_at_only_when_the_server_sent_it(authed, form):
    authed.speaks(form).deletes("k")
    result = authed.run("secrets", "delete", "k", "--force")
    assert result.exit_code == 0, result.stderr
    expected = "Secret k deleted\n"
    if form is wire.V01:
        expected += "  Deleted at: 2025-10-16T15:30:00Z\n"
    assert result.out == expected


@FORMS
@pytest.mark.parametrize("command", ["get", "delete"])
def test_a_missing_secret_is_the_seeds_message_on_both_forms(authed, form, command):
    authed.speaks(form).lacks("k", command)
    argv = ["secrets", command, "k"] + (["--force"] if command == "delete" else [])
    result = authed.run(*argv)
    assert result.exit_code == 1
    assert result.stderr.startswith('Error: Secret "k" not found\n')


@FORMS
def test_an_unknown_route_says_the_url_or_routes_do_not_match(authed, form):
    server = authed.speaks(form)
    server.answers(form.get("k"), 404, wire.error("not_found", "API endpoint not found: GET /x"))
    server.answers_probe()  # the one probe after a mismatch finds the same form
    result = authed.run("secrets", "get", "k")
    assert result.exit_code == 1
    assert "routes do not match" in result.stderr
    assert "http://127.0.0.1:8787" in result.stderr
    assert "not found" not in result.stderr.split("\n")[0].split(":")[0]
    assert "LEGER_API_ROUTES" in result.stderr


@FORMS
def test_both_forms_401_codes_mean_exit_4(authed, form):
    authed.speaks(form).rejects_token(form.list)
    result = authed.run("secrets", "list")
    assert result.exit_code == 4
    assert "LEGER_TOKEN" in result.stderr


def test_the_servers_action_is_the_hint(authed):
    server = authed.speaks(wire.REST)
    body = wire.error("internal_error", "Storage is down")
    body["error"]["action"] = "Try again in a minute\x1b[2J"
    server.answers(wire.REST.list, 500, body)
    result = authed.run("secrets", "list")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: leger.run failed: Storage is down\n\nTry again in a minute?[2J\n"
    )


# --- names: each form's rules, before anything is sent ------------------------------------------


def test_a_colon_works_on_rest(authed):
    # The name travels percent-encoded in the path (the server decodes it).
    server = authed.speaks(wire.REST)
    server.answers(("GET", "/secrets/db%3Aurl"), *wire.REST.get_answer("db:url", "postgres://x"))
    result = authed.run("secrets", "get", "db:url")
    assert (result.exit_code, result.stdout) == (0, b"postgres://x")
    assert authed.registry.sent()[-1] == ("GET", "/secrets/db%3Aurl")


@pytest.mark.parametrize("command", ["get", "set", "delete"])
def test_a_colon_is_refused_on_v0_1_before_anything_is_sent(authed, command):
    authed.speaks(wire.V01)
    argv = {"get": ["get"], "set": ["set"], "delete": ["delete"]}[command]
    extra = {"get": [], "set": ["v4lue"], "delete": ["--force"]}[command]
    result = authed.run("secrets", *argv, "db:url", *extra)
    assert result.exit_code == 1
    assert "':' is allowed only by servers of the REST form" in result.stderr
    assert authed.registry.requests == []


@pytest.mark.parametrize(
    ("argv", "feature"),
    [
        (["secrets", "get", "selections"], "GET /secrets/selections"),
        (["secrets", "set", "select-provider", "v4lue"], "POST /secrets/select-provider"),
    ],
)
def test_the_names_rest_shadows_are_refused_with_the_reason(authed, argv, feature):
    authed.speaks(wire.REST)
    result = authed.run(*argv)
    assert result.exit_code == 1
    assert f"{feature} reaches another feature of the server, not a secret" in result.stderr
    assert authed.registry.requests == []


# --- finding the form: one probe with LEGER_TOKEN, never /secrets/set on REST -------------------


@FORMS
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
