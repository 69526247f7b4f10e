"""Names that come from the server are checked before use; an answer must be about what was asked.

leger/api/secrets.py (what both route forms share), through whole command lines.

An answer to a get that names another secret is an error, never that secret's
value used as the one asked for. A list (or REST's ``include_values`` answer)
holding an empty or invalid name is a clear error, not "unexpected ValueError"
from ``run``, nor an ``export ='...'`` or ``=...`` line from ``export``.
"""

from __future__ import annotations

import pytest

from tests.support import wire
from tests.support.httpmock import each_form

# Names no route form allows.
BAD_NAMES = ["", "a b", "x" * 65, "new\nline", "é"]


@pytest.fixture
def no_exec(monkeypatch) -> None:
    def refuse(*_args):
        raise AssertionError("leger run ran its command")

    monkeypatch.setattr("leger.commands.run.exec.os.execvpe", refuse)


def assert_refused_answer(result) -> None:
    assert result.exit_code == 1
    assert result.stdout == b""
    assert "unexpected" not in result.stderr


# --- an answer for another secret --------------------------------------------------------------


@each_form
def test_get_refuses_an_answer_for_another_secret(authed, form):
    server = authed.speaks(form)
    server.answers(form.get("alpha"), *form.get_answer("beta", authed.secret("beta's value")))
    result = authed.run("secrets", "get", "alpha")
    assert_refused_answer(result)
    assert 'request for secret "alpha" with secret "beta"' in result.stderr


@each_form
def test_run_only_refuses_an_answer_for_another_secret(authed, form, no_exec):
    server = authed.speaks(form)
    if form is wire.REST:
        server.lists_values({})
    server.answers(form.get("alpha"), *form.get_answer("beta", authed.secret("beta's value")))
    result = authed.run("run", "--only", "alpha", "--", "true")
    assert_refused_answer(result)
    assert '"beta"' in result.stderr


def test_the_name_in_an_answer_is_shown_as_one_safe_line(authed):
    server = authed.speaks(wire.REST)
    server.answers(wire.REST.get("alpha"), *wire.REST.get_answer("b\x1b[2Jeta", "v4lue"))
    result = authed.run("secrets", "get", "alpha")
    assert_refused_answer(result)
    assert "\x1b" not in result.stderr
    assert '"b?[2Jeta"' in result.stderr


# --- names in a list ---------------------------------------------------------------------------


@each_form
@pytest.mark.parametrize("name", BAD_NAMES, ids=repr)
def test_a_list_with_an_invalid_name_is_a_clear_error(authed, form, name):
    authed.speaks(form).lists(wire.row("good"), wire.row(name))
    result = authed.run("secrets", "list")
    assert_refused_answer(result)
    assert result.stderr.startswith(
        "Error: The list from http://127.0.0.1:8787 holds a secret name that is not valid"
    )


def test_a_colon_in_a_v0_1_list_is_refused_by_v0_1_s_rule(authed):
    authed.speaks(wire.V01).lists(wire.row("db:url"))
    result = authed.run("secrets", "list")
    assert_refused_answer(result)
    assert "':' is allowed only by servers of the REST form" in result.stderr


@pytest.mark.parametrize("name", BAD_NAMES, ids=repr)
def test_run_of_all_refuses_a_listed_invalid_name(authed, name, no_exec):
    authed.speaks(wire.REST).lists_values({"good": "1", name: authed.secret("its value")})
    result = authed.run("run", "--", "true")
    assert_refused_answer(result)
    assert "holds a secret name that is not valid" in result.stderr


@pytest.mark.parametrize("format_name", ["dotenv", "shell", "json", "env-file"])
@pytest.mark.parametrize("name", BAD_NAMES, ids=repr)
def test_export_writes_no_line_for_a_listed_invalid_name(authed, name, format_name):
    authed.speaks(wire.REST).lists_values({"good": "1", name: authed.secret("its value")})
    result = authed.run("secrets", "export", "--format", format_name)
    assert_refused_answer(result)
    assert "holds a secret name that is not valid" in result.stderr


def test_v0_1_gets_nothing_of_a_list_with_an_invalid_name(authed, no_exec):
    authed.speaks(wire.V01).lists(wire.row("good"), wire.row(""))
    result = authed.run("run", "--", "true")
    assert_refused_answer(result)
    assert authed.registry.sent() == [wire.V01.list]
