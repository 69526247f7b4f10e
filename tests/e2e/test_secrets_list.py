"""``leger secrets list`` through the installed ``leger``, against the local backend.

The backend lists as the deployed server does: one page of 1000, nothing
saying more exist (the ``many`` fixture's 1026 secrets); ``list`` says more may exist.
"""

from __future__ import annotations

import json

from tests.fixtures.seeded import LISTED
from tests.support.flows import stdout_of
from tests.support.text import MORE_MAY_EXIST


def test_list_prints_the_page_and_says_more_may_exist(many):
    cli = many
    table = cli.run("secrets", "list")
    assert stdout_of(table).decode().splitlines()[-1] == "Total: 1000 secrets"
    assert table.stderr.startswith(f"Warning: {MORE_MAY_EXIST}")
    listed = cli.run("secrets", "list", "--json")
    assert [entry["name"] for entry in json.loads(stdout_of(listed))] == LISTED
    assert listed.stderr.startswith(f"Warning: {MORE_MAY_EXIST}")
