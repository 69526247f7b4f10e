"""``secrets import`` checks what ``set`` checks, and every variable name, before its first write.

A file with any problem writes nothing: REST's shadowed names, ``:`` on v0.1,
value rules, and two names with one variable name (``K_FILE`` next to
``k_file``), in the file or with a secret already on the server. ``--dry-run``
reports every problem and exits non-zero. The mock registry fails a test on
any request it was not told about, so "no write was sent" is checked by every test.
"""

from __future__ import annotations

import pytest

from leger.validation import VALUE_MAX_BYTES
from tests.support import wire
from tests.support.inprocess import Leger

FORMS = pytest.mark.parametrize("form", wire.FORMS, ids=[form.name for form in wire.FORMS])
DRY = pytest.mark.parametrize("dry_run", [False, True], ids=["write", "dry-run"])


@pytest.fixture
def authed(leger: Leger) -> Leger:
    return leger.with_token()


def import_(authed: Leger, text: str, *options: str):
    return authed.run("secrets", "import", "-", *options, stdin=text.encode())


def options(dry_run: bool) -> tuple[str, ...]:
    return ("--dry-run",) if dry_run else ()


def problems(result) -> list[str]:
    """The problem lines of a refused import."""
    return [line.strip() for line in result.stderr.splitlines() if line.startswith("  ")]


@DRY
def test_a_shadowed_rest_name_refuses_the_whole_file(authed, dry_run):
    server = authed.speaks(wire.REST)
    server.lists()
    result = import_(authed, "a=1\nselect-provider=x\nz=2\n", *options(dry_run))
    assert result.exit_code == 1
    assert result.stdout == b""
    assert "stdin has 1 problem; nothing was imported" in result.stderr
    assert problems(result) == [
        'line 2 (select-provider): The secret name "select-provider" cannot be used for this '
        "on leger.run: POST /secrets/select-provider reaches another feature of the server, "
        "not a secret"
    ]
    assert authed.registry.sent() == [wire.REST.list]


def test_the_name_rest_shadows_only_for_get_can_be_imported(authed):
    server = authed.speaks(wire.REST)
    server.lists()
    server.stores("selections")
    result = import_(authed, "selections=x\n")
    assert result.exit_code == 0, result.stderr


@DRY
def test_a_colon_on_v0_1_refuses_the_whole_file(authed, dry_run):
    authed.speaks(wire.V01).lists()
    result = import_(authed, "a=1\ndb:url=x\n", *options(dry_run))
    assert result.exit_code == 1
    assert problems(result) == [
        "line 2 (db:url): Invalid secret name: ':' is allowed only by servers of the REST "
        "form, and this server speaks the v0.1 routes"
    ]


@DRY
def test_two_entries_with_one_variable_name_are_refused_before_any_request(authed, dry_run):
    authed.speaks(wire.REST)
    result = import_(authed, "k_file=1\nK_FILE=2\nok=3\n", *options(dry_run))
    assert result.exit_code == 1
    assert problems(result) == [
        'line 2 (K_FILE): its variable name K_FILE is also that of "k_file" (line 1); '
        "run and export could not hold both"
    ]
    assert authed.registry.requests == []


@FORMS
@DRY
def test_an_entry_with_the_variable_name_of_another_secret_is_refused(authed, form, dry_run):
    authed.speaks(form).lists(wire.row("k-file"), wire.row("other"))
    result = import_(authed, "other=1\nK_FILE=2\n", *options(dry_run))
    assert result.exit_code == 1
    assert problems(result) == [
        'line 2 (K_FILE): its variable name K_FILE is also that of "k-file" on leger.run; '
        "run and export could no longer hold both"
    ]
    assert authed.registry.sent() == [form.list]


@FORMS
def test_an_entry_of_an_existing_name_is_an_update_not_a_clash(authed, form):
    server = authed.speaks(form)
    server.lists(wire.row("K_FILE"))
    server.stores("K_FILE", created=False, version=2)
    result = import_(authed, "K_FILE=new\n")
    assert result.exit_code == 0, result.stderr
    assert result.out.startswith("Updated K_FILE (version 2)\n")


def test_a_dry_run_reports_every_problem_against_the_server(authed):
    authed.speaks(wire.REST).lists(wire.row("k_file"))
    result = import_(authed, "select-provider=1\nK_FILE=2\nfine=3\n", "--dry-run")
    assert result.exit_code == 1
    assert "stdin has 2 problems; nothing was imported" in result.stderr
    assert [line.split(":")[0] for line in problems(result)] == [
        "line 1 (select-provider)",
        "line 2 (K_FILE)",
    ]
    assert "Would" not in result.stderr + result.out


def test_a_dry_run_reports_every_problem_of_the_file(authed):
    authed.speaks(wire.REST)
    big = "x" * (VALUE_MAX_BYTES + 1)
    text = f"a=1\nEMPTY=\nBIG={big}\na=2\nA-B=1\nA_B=2\nno equals\n"
    result = import_(authed, text, "--dry-run")
    assert result.exit_code == 1
    assert "stdin has 5 problems; nothing was imported" in result.stderr
    assert big not in result.stderr
    assert authed.registry.requests == []
