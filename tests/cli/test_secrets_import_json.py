"""``secrets import --format json``: what ``export --format json`` writes, names kept exactly.

A dotenv file holds variable names (``db:url`` is exported as ``DB_URL``); a
JSON object holds secret names, so a copy through it keeps ``:``, ``-``, case
and multi-line values. ``--format`` is an option with choices: help and
completion offer them; a wrong one is a usage error before anything is read.
"""

from __future__ import annotations

import json
import subprocess
from urllib.parse import quote, unquote

import pytest

from leger.commands import load
from leger.commands.completion import completion
from tests.support import wire
from tests.support.fake_secrets import FakeSecrets, fake_context
from tests.support.httpmock import json_body
from tests.support.inprocess import Leger

COPIED = {
    "db:url": "postgres://a\nb\r\n",
    "GitHub-Token": "gh 'x' $HOME",
    "ssh_key": "-----BEGIN KEY-----\nAAA=\n-----END KEY-----\n",
    "Mixed_Case:x-1": 'ünï 🙂 \\ " \t',
}


@pytest.fixture
def authed(leger: Leger) -> Leger:
    return leger.with_token()


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
    ctx, stdout, _ = fake_context(FakeSecrets())
    completion(ctx, "bash")
    script = tmp_path / "leger.bash"
    script.write_bytes(stdout.getvalue())
    program = (
        'source "$1"; COMP_WORDS=(leger secrets import --format ""); COMP_CWORD=4; '
        '_leger; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    offered = subprocess.run(
        ["bash", "--norc", "-c", program, "bash", str(script)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert offered.stdout.split() == ["dotenv", "json"]
