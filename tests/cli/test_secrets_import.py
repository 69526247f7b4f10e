"""``leger secrets import`` as whole command lines, in-process, on both route forms.

The command's all-or-report rules are tested with the fake API in
tests/unit/test_secrets_import.py; reading dotenv files, on its module; real
files and a backend that fails the third write, in tests/e2e/test_secrets_import.py.
"""

from __future__ import annotations

from leger.errors import ExitCode
from tests.support import wire
from tests.support.httpmock import each_form, json_body

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
