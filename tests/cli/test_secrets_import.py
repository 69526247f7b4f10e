"""``leger secrets import`` as whole command lines, in-process, on both route forms: the
checks before the first write, ``--format json``, and names beyond a list that may be incomplete.

The command's all-or-report rules are tested with the fake API in
tests/unit/test_secrets_import.py; reading dotenv files, on its module; real
files and a backend that fails the third write, in tests/e2e/test_secrets_import.py.
"""

from __future__ import annotations

import json
from urllib.parse import quote, unquote

import pytest

from leger.commands import load
from leger.errors import ExitCode
from leger.validation import VALUE_MAX_BYTES
from tests.support import wire
from tests.support.completion import complete_in_bash, completion_script
from tests.support.httpmock import each_form, json_body
from tests.support.inprocess import Leger
from tests.support.text import MORE_MAY_EXIST

DOTENV = b'# from a .env\nexport API_KEY=plain\nQUOTED="line one\\nline two"\n'


@each_form
def test_each_entry_is_set_in_file_order(authed, form, tmp_path):
    path = tmp_path / "in.env"
    path.write_bytes(DOTENV)
    server = authed.speaks(form)
    server.lists(wire.row("QUOTED"))  # what exists, checked against the file first
    server.stores("API_KEY")
    server.stores("QUOTED", created=False, version=2)
    result = authed.run("secrets", "import", str(path))
    assert (result.exit_code, result.stderr) == (0, ""), result.stderr
    assert result.out.endswith("Imported 2: 1 created, 1 updated.\n")
    assert [json_body(r)["value"] for r in authed.registry.requests if r.method == "POST"] == [
        "plain",
        "line one\nline two",
    ]


def test_dry_run_lists_and_writes_nothing(authed):
    authed.server.lists(wire.row("API_KEY"))
    result = authed.run("secrets", "import", "-", "--dry-run", stdin=DOTENV)
    assert result.exit_code == 0, result.stderr
    assert result.out.splitlines() == [
        "Would update API_KEY",
        "Would create QUOTED",
        "",
        "Dry run: 1 to create, 1 to update; nothing was written.",
    ]


def test_a_missing_file_is_an_error(leger, tmp_path):
    result = leger.run("secrets", "import", str(tmp_path / "nope.env"))
    assert result.returncode == ExitCode.ERROR
    assert "Cannot read" in result.stderr
    assert result.stdout == b""


# --- what set checks, and every variable name, before the first write -----------------------------
# A file with any problem writes nothing: REST's shadowed names, ``:`` on v0.1,
# value rules, and two names with one variable name (``K_FILE`` next to
# ``k_file``), in the file or with a secret already on the server. ``--dry-run``
# reports every problem and exits non-zero. The mock registry fails a test on
# any request it was not told about, so "no write was sent" is checked by every test.

DRY = pytest.mark.parametrize("dry_run", [False, True], ids=["write", "dry-run"])


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


@each_form
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


@each_form
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


# --- --format json: what export --format json writes, names kept exactly --------------------------
# A dotenv file holds variable names (``db:url`` is exported as ``DB_URL``); a
# JSON object holds secret names, so a copy through it keeps ``:``, ``-``, case
# and multi-line values. ``--format`` is an option with choices: help and
# completion offer them; a wrong one is a usage error before anything is read.

COPIED = {
    "db:url": "postgres://a\nb\r\n",
    "GitHub-Token": "gh 'x' $HOME",
    "ssh_key": "-----BEGIN KEY-----\nAAA=\n-----END KEY-----\n",
    "Mixed_Case:x-1": 'ünï 🙂 \\ " \t',
}


def import_json(authed: Leger, data: bytes, *options: str):
    return authed.run("secrets", "import", "--format", "json", "-", *options, stdin=data)


def test_exported_json_is_imported_with_the_exact_names_and_values(authed):
    source = authed.speaks(wire.REST)
    source.lists_values(COPIED)
    exported = authed.run("secrets", "export", "--format", "json")
    assert exported.exit_code == 0, exported.stderr
    source.lists()
    for name in COPIED:
        # The name travels percent-encoded in the path (':' too).
        route = ("POST", f"/secrets/{quote(name, safe='')}")
        source.answers(route, *wire.REST.set_answer(name, created=True))
    result = import_json(authed, exported.stdout)
    assert result.exit_code == 0, result.stderr
    writes = [r for r in authed.registry.requests if r.method == "POST"]
    stored = {unquote(r.url.path.rsplit("/", 1)[1]): json_body(r)["value"] for r in writes}
    assert stored == COPIED
    assert list(stored) == list(json.loads(exported.stdout))  # in the file's order
    assert result.out.endswith(f"Imported {len(COPIED)}: {len(COPIED)} created, 0 updated.\n")


def test_a_dry_run_reads_json_too(authed):
    authed.speaks(wire.REST).lists(wire.row("db:url"))
    result = import_json(authed, json.dumps({"db:url": "1", "new": "2"}).encode(), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.out.splitlines()[:2] == ["Would update db:url", "Would create new"]


@pytest.mark.parametrize(
    "data",
    [b"", b"not json", b'["a", "b"]', b'"text"', b"[" * 100_000, b'{"a": "1"} {"b": "2"}'],
    ids=["empty", "text", "array", "string", "deep", "two"],
)
def test_anything_but_one_object_is_refused_before_any_request(authed, data):
    authed.speaks(wire.REST)
    result = import_json(authed, data)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: stdin is not a JSON object of secret names and values; nothing was imported"
    )
    assert authed.registry.requests == []


def test_every_bad_entry_is_reported_by_its_place_never_its_value(authed):
    authed.speaks(wire.REST)
    data = b'{"ok": "1", "n": 5, "a b": "pasted-value", "ok": "2", "e": "", "K": "x", "k": "y"}'
    result = import_json(authed, data, "--dry-run")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1:6] == [
        "  entry 2 (n): the value is not a JSON string",
        "  entry 3: Invalid secret name: it contains characters other than letters, digits, "
        "':', '_' and '-'",
        "  entry 4 (ok): also set on entry 1",
        "  entry 5 (e): The secret value is empty",
        '  entry 7 (k): its variable name K is also that of "K" (entry 6); run and export '
        "could not hold both",
    ]
    assert "pasted-value" not in result.stderr
    assert authed.registry.requests == []


def test_a_lone_surrogate_value_is_not_text(authed):
    authed.speaks(wire.REST)
    result = import_json(authed, b'{"k": "\\ud800"}')
    assert result.exit_code == 1
    assert "entry 1 (k): The secret value is not valid UTF-8 text" in result.stderr


def test_an_unknown_format_is_a_usage_error_before_reading(authed):
    result = authed.run("secrets", "import", "--format", "yaml", "-", stdin=b"a=1\n")
    assert result.exit_code == 2
    assert "Formats: dotenv, json (default: dotenv)." in result.stderr


def test_dotenv_stays_the_default(authed):
    server = authed.speaks(wire.REST)
    server.lists()
    server.stores("DB_URL")
    result = authed.run("secrets", "import", "-", stdin=b'DB_URL="x"\n')
    assert result.exit_code == 0, result.stderr


def test_format_is_an_option_with_choices_for_help_and_completion(tmp_path):
    assert tuple(load("secrets import").params["format"].choices) == ("dotenv", "json")
    script = tmp_path / "leger.bash"
    script.write_text(completion_script("bash"))
    assert complete_in_bash(script, "secrets", "import", "--format", "") == ["dotenv", "json"]


# --- created or updated, for names beyond a list that may be incomplete ---------------------------
# ``--dry-run`` asks for each name a full list lacks by name; the writes take
# their verdict from each write's own answer. The variable-name check can only
# see the listed secrets, and says so.

FILE = b"s0001=1\nzz-beyond=2\nzz-new=3\n"
CLASH_UNCHECKED = (
    f"Warning: {MORE_MAY_EXIST}; an entry's variable name was checked against the listed ones "
    "only\n"
)


@each_form
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


@each_form
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


@each_form
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
