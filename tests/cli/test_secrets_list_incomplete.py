"""``secrets list`` of a list that may be incomplete: printed as it came, said on stderr.

The deployed server lists at most 1000 secrets and says nothing of the rest;
a list of 1000 (on either route form) may lack some.
"""

from __future__ import annotations

import json

import pytest

from tests.support import wire
from tests.support.inprocess import Leger

FORMS = pytest.mark.parametrize("form", wire.FORMS, ids=[form.name for form in wire.FORMS])
INCOMPLETE = "Warning: leger.run lists at most 1000 secrets, so more may exist"


@pytest.fixture
def authed(leger: Leger) -> Leger:
    return leger.with_token()


@FORMS
def test_a_full_page_is_printed_and_said_to_be_possibly_incomplete(authed, form):
    authed.speaks(form).lists(*wire.full_page())
    result = authed.run("secrets", "list")
    assert result.exit_code == 0, result.stderr
    lines = result.out.splitlines()
    assert len(lines) == 1 + wire.LIST_PAGE + 2
    assert lines[-1] == "Total: 1000 secrets"
    assert result.stderr.startswith(INCOMPLETE)
    assert result.stderr.count("\n") == 1  # one line, said once


@FORMS
def test_json_stays_one_document_on_stdout(authed, form):
    authed.speaks(form).lists(*wire.full_page())
    result = authed.run("secrets", "list", "--json")
    assert result.exit_code == 0, result.stderr
    names = [entry["name"] for entry in json.loads(result.stdout)]
    assert names == wire.page_names()
    assert result.stderr.startswith(INCOMPLETE)


@FORMS
def test_a_list_shorter_than_a_page_says_nothing_more(authed, form):
    authed.speaks(form).lists(*wire.full_page()[:-1])
    result = authed.run("secrets", "list")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.out.endswith("Total: 999 secrets\n")
