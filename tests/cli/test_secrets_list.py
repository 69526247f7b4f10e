"""``leger secrets list``: the table, ``--json``, labels, both route forms, the empty state,
and a list that may be incomplete.

Whole command lines in-process (the ``leger`` fixture,
tests/support/inprocess.py), against the mock registry or a live local backend
behind a validating Prism proxy (the ``live`` fixture).
"""

from __future__ import annotations

import json

import pytest

from leger.commands import secrets_list
from tests.support import wire
from tests.support.httpmock import each_form
from tests.support.text import EMPTY_STATE, ESC, MORE_MAY_EXIST


def test_list_prints_an_aligned_table_and_the_total(authed):
    authed.server.lists(*wire.EXAMPLE_ROWS)
    result = authed.run("secrets", "list")
    assert result.exit_code == 0, result.stderr
    assert result.out == wire.EXAMPLE_TABLE
    assert result.stderr == ""


def test_list_on_a_terminal_is_the_same_table(authed):
    authed.server.lists(*wire.EXAMPLE_ROWS)
    result = authed.run("secrets", "list", tty=True)
    assert result.exit_code == 0, result.stderr
    assert result.out == wire.EXAMPLE_TABLE


@pytest.mark.parametrize("tty", [False, True])
def test_list_json_is_exactly_the_metadata(authed, tty):
    authed.server.lists(*wire.EXAMPLE_ROWS)
    result = authed.run("secrets", "list", "--json", tty=tty)
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)  # nothing else on stdout, or this fails
    assert rows == [{**row, "label": None} for row in wire.EXAMPLE_ROWS]
    for row in rows:
        assert set(row) == {"name", "created_at", "updated_at", "version", "label"}
    assert result.stderr == ""
    assert ESC not in result.stdout


def test_list_when_empty_says_how_to_add_one(authed):
    authed.server.lists()
    result = authed.run("secrets", "list")
    assert result.exit_code == 0, result.stderr
    assert result.out == EMPTY_STATE


def test_list_json_when_empty_is_an_empty_array(authed):
    authed.server.lists()
    result = authed.run("secrets", "list", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_list_with_one_secret_says_1_secret(authed):
    authed.server.lists(wire.EXAMPLE_ROWS[0])
    assert authed.run("secrets", "list").out.endswith("\nTotal: 1 secret\n")


def test_list_table_dates_are_the_utc_dates_json_shows(authed):
    # The contract says UTC; a server that sends an offset must not make the table
    # and --json disagree about the day.
    row = {
        "name": "k",
        "created_at": "2025-10-15T23:30:00-05:00",
        "updated_at": "2025-10-16T01:00:00+05:00",
        "version": 1,
    }
    authed.server.lists(row)
    authed.server.lists(row)
    table = authed.run("secrets", "list")
    as_json = authed.run("secrets", "list", "--json")
    assert json.loads(as_json.stdout)[0]["created_at"] == "2025-10-16T04:30:00Z"
    assert json.loads(as_json.stdout)[0]["updated_at"] == "2025-10-15T20:00:00Z"
    assert table.out.splitlines()[1].split() == ["k", "2025-10-16", "2025-10-15", "1"]


def test_list_asks_only_for_metadata(authed):
    authed.server.lists()
    assert authed.run("secrets", "list").exit_code == 0
    assert authed.registry.sent() == [wire.V01.list]


# === round trips: the stateful backend behind a validating Prism proxy ============================


def test_empty_state_says_how_to_add_one(live):
    result = live.run("secrets", "list")
    assert result.exit_code == 0, result.stderr
    assert result.out == EMPTY_STATE
    assert json.loads(live.run("secrets", "list", "--json").stdout) == []


def test_list_shows_every_secret_in_the_table(live):
    for name in ("alpha", "b", "a-much-longer-name_with_underscores"):
        assert live.run("secrets", "set", name, live.secret(f"S3CRET-{name}")).exit_code == 0
    live.run("secrets", "set", "b", live.secret("S3CRET-b2"))
    result = live.run("secrets", "list")
    assert result.exit_code == 0, result.stderr
    lines = result.out.splitlines()
    assert lines[0].split() == ["Name", "Created", "Updated", "Version"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:4]}
    assert set(rows) == {"alpha", "b", "a-much-longer-name_with_underscores"}
    assert rows["b"][2] == "2"
    assert rows["alpha"][2] == "1"
    # aligned: every column starts at the same offset in every row
    starts = {line.index(line.split()[1], len(line.split()[0])) for line in lines[:4]}
    assert len(starts) == 1
    assert lines[4:] == ["", "Total: 3 secrets"]


LABELLED = [
    {**wire.row("db:url", version=2), "label": "Production database"},
    wire.row("openai_api_key"),
]


@each_form
def test_list_is_the_same_table_on_both_forms(authed, form):
    authed.speaks(form).lists(*wire.EXAMPLE_ROWS)
    result = authed.run("secrets", "list")
    assert (result.exit_code, result.out, result.stderr) == (0, wire.EXAMPLE_TABLE, "")


@each_form
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


def test_secrets_list_emits_the_documented_keys(leger):
    leger.with_token().server.lists(wire.row("a"), wire.row("b"))
    [first, _] = json.loads(leger.run("secrets", "list", "--json").stdout)
    assert list(first) == list(secrets_list.JSON_KEYS)


# --- a list that may be incomplete: printed as it came, said on stderr ----------------------------
# The deployed server lists at most 1000 secrets and says nothing of the rest;
# a list of 1000 (on either route form) may lack some.

INCOMPLETE = f"Warning: {MORE_MAY_EXIST}"


@each_form
def test_a_full_page_is_printed_and_said_to_be_possibly_incomplete(authed, form):
    authed.speaks(form).lists(*wire.full_page())
    result = authed.run("secrets", "list")
    assert result.exit_code == 0, result.stderr
    lines = result.out.splitlines()
    assert len(lines) == 1 + wire.LIST_PAGE + 2
    assert lines[-1] == "Total: 1000 secrets"
    assert result.stderr.startswith(INCOMPLETE)
    assert result.stderr.count("\n") == 1  # one line, said once


@each_form
def test_json_stays_one_document_on_stdout(authed, form):
    authed.speaks(form).lists(*wire.full_page())
    result = authed.run("secrets", "list", "--json")
    assert result.exit_code == 0, result.stderr
    names = [entry["name"] for entry in json.loads(result.stdout)]
    assert names == wire.page_names()
    assert result.stderr.startswith(INCOMPLETE)


@each_form
def test_a_list_shorter_than_a_page_says_nothing_more(authed, form):
    authed.speaks(form).lists(*wire.full_page()[:-1])
    result = authed.run("secrets", "list")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.out.endswith("Total: 999 secrets\n")
