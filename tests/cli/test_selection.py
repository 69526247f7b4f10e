"""leger/selection.py through ``run`` and ``export``: ``--only`` never depends on a list; all
secrets of a full list warn.

The deployed server lists at most 1000 secrets. A name the list (or REST's one
``include_values`` answer) lacks is asked for by name; only the server's
not-found for it makes it "No such secret". v0.1 with ``--only`` sends no list
at all. Using every secret of a list that may be incomplete warns on stderr,
in one wording naming ``--only``, and goes on.
"""

from __future__ import annotations

import json

import pytest

from leger.errors import Exit
from tests.support import wire
from tests.support.httpmock import each_form
from tests.support.inprocess import Leger
from tests.support.text import ONLY_THE_LISTED

PAGE = {name: f"value of {name}" for name in wire.page_names()}
WARNING = ONLY_THE_LISTED + "\n"


@pytest.fixture
def execs(monkeypatch) -> list[dict[str, str]]:
    """The environments ``leger run`` would have exec'd its command with (it ends there, 0)."""
    envs: list[dict[str, str]] = []

    def record(_file, _argv, env):
        envs.append(dict(env))
        raise Exit(0)

    monkeypatch.setattr("leger.commands.run.exec.os.execvpe", record)
    return envs


def export_json(authed: Leger, *args: str) -> dict[str, str]:
    result = authed.run("secrets", "export", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# --- --only: a name the list lacks is asked for by name ---------------------------------------


def test_rest_gets_a_name_its_full_list_lacks(authed):
    server = authed.speaks(wire.REST)
    server.lists_values(PAGE)
    server.has_secret("zz-beyond", "found by name")
    assert export_json(authed, "--only", "s0001,zz-beyond") == {
        "s0001": "value of s0001",
        "zz-beyond": "found by name",
    }
    assert authed.registry.sent() == [wire.REST.list, wire.REST.get("zz-beyond")]
    assert authed.registry.requests[0].url.params["include_values"] == "true"


def test_rest_gets_a_name_even_a_short_list_lacks(authed):
    server = authed.speaks(wire.REST)
    server.lists_values({"a": "1"})
    server.has_secret("b", "2")
    assert export_json(authed, "--only", "b") == {"b": "2"}


@each_form
def test_only_the_servers_not_found_makes_no_such_secret(authed, form):
    server = authed.speaks(form)
    if form is wire.REST:
        server.lists_values(PAGE)
    server.lacks("zz-typo")
    result = authed.run("secrets", "export", "--only", "zz-typo")
    assert result.exit_code == 1
    assert result.stdout == b""
    assert result.stderr.startswith("Error: No such secret: zz-typo\n")
    assert authed.registry.sent()[-1] == form.get("zz-typo")


def test_v0_1_with_only_gets_each_name_and_sends_no_list(authed):
    server = authed.speaks(wire.V01)
    server.has_secret("a", "1")
    server.has_secret("b", "2")
    assert export_json(authed, "--only", "b,a") == {"a": "1", "b": "2"}
    assert sorted(authed.registry.sent()) == [wire.V01.get("a"), wire.V01.get("b")]


@each_form
def test_run_only_uses_a_secret_beyond_the_list(authed, form, execs):
    server = authed.speaks(form)
    if form is wire.REST:
        server.lists_values(PAGE)
    server.has_secret("zz-beyond", authed.secret("found by name"))
    result = authed.run("run", "--only", "zz-beyond", "--", "true")
    assert (result.exit_code, result.stderr) == (0, "")
    assert execs[0]["ZZ_BEYOND"] == "found by name"


# --- every secret: a full list warns, in the same words, and goes on -----------------------------


def serve_full_page(authed: Leger, form: wire.Form) -> None:
    server = authed.speaks(form)
    if form is wire.REST:
        server.lists_values(PAGE)
        return
    server.lists(*wire.full_page())
    for name, value in PAGE.items():
        server.has_secret(name, value)


@each_form
def test_export_of_all_warns_and_writes_what_it_got(authed, form):
    serve_full_page(authed, form)
    result = authed.run("secrets", "export", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == PAGE
    assert result.stderr == WARNING


@each_form
def test_run_of_all_warns_in_the_same_words_and_runs(authed, form, execs):
    serve_full_page(authed, form)
    result = authed.run("run", "--", "true")
    assert (result.exit_code, result.stderr) == (0, WARNING)
    assert execs[0]["S0999"] == "value of s0999"


def test_fewer_than_a_page_says_nothing(authed, execs):
    authed.speaks(wire.REST).lists_values(dict(list(PAGE.items())[:-1]))
    result = authed.run("run", "--", "true")
    assert (result.exit_code, result.stderr) == (0, "")
