"""Name rules (leger/validation.py) on whole command lines: refused before any request.

Whole command lines in-process (the ``leger`` fixture,
tests/support/inprocess.py); the mock registry fails a test on any request, so
"nothing was sent" is checked after every test. Each route form's own rules (a
colon on REST, the names REST shadows) apply on its own form.
"""

from __future__ import annotations

import os

import pytest

from tests.support import wire
from tests.support.inprocess import assert_refused


@pytest.mark.parametrize(
    "name",
    ["", "a" * 65, "a.b", "a b", "名前", "é", "a/b", "../x", "k\n", "k" + os.fsdecode(b"\xff")],
)
@pytest.mark.parametrize("command", ["set", "get", "delete"])
def test_bad_name_is_refused_before_any_request(authed, command, name):
    value = authed.secret("S3CRET-name-test")
    argv = {
        "set": ("secrets", "set", "--", name, value),
        "get": ("secrets", "get", "--", name),
        "delete": ("secrets", "delete", "--force", "--", name),
    }[command]
    assert_refused(authed.run(*argv), "Invalid secret name")
    assert authed.registry.requests == []


def test_name_of_64_characters_is_sent_and_65_is_not(authed):
    authed.server.has_secret("a" * 64, "v")
    assert authed.run("secrets", "get", "a" * 64).exit_code == 0
    assert_refused(authed.run("secrets", "get", "a" * 65), "65 characters long (at most 64)")
    assert len(authed.registry.requests) == 1


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
