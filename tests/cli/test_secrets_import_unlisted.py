"""``secrets import``'s created/updated verdicts for names beyond a list that may be incomplete.

``--dry-run`` asks for each name a full list lacks by name; the writes take
their verdict from each write's own answer. The variable-name check can only
see the listed secrets, and says so.
"""

from __future__ import annotations

import pytest

from tests.support import wire
from tests.support.inprocess import Leger

FORMS = pytest.mark.parametrize("form", wire.FORMS, ids=[form.name for form in wire.FORMS])
FILE = b"s0001=1\nzz-beyond=2\nzz-new=3\n"
CLASH_UNCHECKED = (
    "Warning: leger.run lists at most 1000 secrets, so more may exist; an entry's variable "
    "name was checked against the listed ones only\n"
)


@pytest.fixture
def authed(leger: Leger) -> Leger:
    return leger.with_token()


@FORMS
def test_a_dry_run_asks_by_name_for_what_a_full_list_lacks(authed, form):
    server = authed.speaks(form)
    server.lists(*wire.full_page())
    server.has_secret("zz-beyond", authed.secret("stored"))
    server.lacks("zz-new")
    result = authed.run("secrets", "import", "-", "--dry-run", stdin=FILE)
    assert result.exit_code == 0, result.stderr
    assert result.out.splitlines() == [
        "Would update s0001",
        "Would update zz-beyond",
        "Would create zz-new",
        "",
        "Dry run: 1 to create, 2 to update; nothing was written.",
    ]
    assert result.stderr == CLASH_UNCHECKED
    assert sorted(authed.registry.sent()[1:]) == [form.get("zz-beyond"), form.get("zz-new")]


@FORMS
def test_a_short_list_is_the_whole_truth_for_a_dry_run(authed, form):
    authed.speaks(form).lists(wire.row("s0001"))
    result = authed.run("secrets", "import", "-", "--dry-run", stdin=FILE)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.out.splitlines()[:3] == [
        "Would update s0001",
        "Would create zz-beyond",
        "Would create zz-new",
    ]
    assert authed.registry.sent() == [form.list]


@FORMS
def test_writes_take_their_verdict_from_each_answer(authed, form):
    server = authed.speaks(form)
    server.lists(*wire.full_page())
    server.stores("s0001", created=False, version=2)
    server.stores("zz-beyond", created=False, version=5)
    server.stores("zz-new", created=True, version=1)
    result = authed.run("secrets", "import", "-", stdin=FILE)
    assert result.exit_code == 0, result.stderr
    assert result.out.splitlines() == [
        "Updated s0001 (version 2)",
        "Updated zz-beyond (version 5)",
        "Created zz-new (version 1)",
        "",
        "Imported 3: 1 created, 2 updated.",
    ]
    assert result.stderr == CLASH_UNCHECKED
