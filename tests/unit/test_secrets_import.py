"""``leger secrets import``'s run function (leger/commands/secrets_import/), with the fake API.

All or report: problems in the file stop everything before a request; a write
that fails midway stops with the exact lists of written, failed and not
attempted entries. Whole command lines are in tests/cli/test_secrets_import.py;
real files, exit codes and a backend that fails the third write, in
tests/e2e/test_secrets_import.py.
"""

from __future__ import annotations

import io

import pytest

from leger.commands.secrets_import import import_secrets
from leger.errors import ExitCode, InputError, LegerError
from tests.support.fake_secrets import FakeSecrets, fake_context

FIVE = b"A=1\nB=2\nC=3\nD=4\nE=5\n"


def run_import(api: FakeSecrets, data: bytes, tmp_path, *, dry_run: bool = False):
    path = tmp_path / "in.env"
    path.write_bytes(data)
    ctx, stdout, stderr = fake_context(api)
    import_secrets(ctx, str(path), dry_run=dry_run)
    return stdout.getvalue().decode("utf-8"), stderr.getvalue()


def test_each_entry_is_created_or_updated_in_file_order(tmp_path):
    api = FakeSecrets({"B": "old"})
    out, err = run_import(api, b"# comment\nexport A='1'\nB=\"two\\nlines\"\n", tmp_path)
    assert api.store == {"B": "two\nlines", "A": "1"}
    assert api.calls == [("list",), ("set", "A"), ("set", "B")]
    assert out == (
        "Created A (version 1)\nUpdated B (version 2)\n\nImported 2: 1 created, 1 updated.\n"
    )
    assert err == ""


def test_stdin_is_read_for_a_dash():
    api = FakeSecrets()
    ctx, _stdout, _ = fake_context(api, b"K=v\r\n")
    import_secrets(ctx, "-", dry_run=False)
    assert api.store == {"K": "v"}


def test_dry_run_lists_what_would_change_and_writes_nothing(tmp_path):
    api = FakeSecrets({"B": "old"})
    out, _ = run_import(api, b"A=1\nB=2\n", tmp_path, dry_run=True)
    assert api.calls == [("list",)]
    assert api.store == {"B": "old"}
    assert out == (
        "Would create A\nWould update B\n\n"
        "Dry run: 1 to create, 1 to update; nothing was written.\n"
    )


def test_a_file_with_problems_sends_nothing(tmp_path):
    api = FakeSecrets()
    with pytest.raises(InputError, match="2 problems; nothing was imported"):
        run_import(api, b"A=1\nB=\nnot an entry\n", tmp_path)
    assert api.calls == []


def test_an_empty_file_says_so_and_sends_nothing(tmp_path):
    api = FakeSecrets()
    out, err = run_import(api, b"# nothing here\n", tmp_path)
    assert (out, api.calls) == ("", [])
    assert "nothing to import" in err


def test_a_file_that_cannot_be_read_is_named(tmp_path):
    ctx, _, _ = fake_context(FakeSecrets())
    with pytest.raises(InputError, match=r"Cannot read .*missing\.env: No such file"):
        import_secrets(ctx, str(tmp_path / "missing.env"), dry_run=False)


def test_a_failed_third_write_reports_exactly_what_was_and_was_not_written(tmp_path):
    api = FakeSecrets(fail_write=3)
    ctx, stdout, _ = fake_context(api)
    path = tmp_path / "five.env"
    path.write_bytes(FIVE)
    with pytest.raises(LegerError) as caught:
        import_secrets(ctx, str(path), dry_run=False)
    error = caught.value
    assert error.exit_code == ExitCode.ERROR
    assert error.message.splitlines() == [
        "The import stopped at C (line 3): leger.run failed (HTTP 500)",
        "  Written (2): A, B",
        "  Failed (1): C",
        "  Not attempted (2): D, E",
    ]
    assert api.store == {"A": "1", "B": "2"}
    assert api.calls == [("list",), ("set", "A"), ("set", "B"), ("set", "C")]
    assert stdout.getvalue().decode().splitlines() == [
        "Created A (version 1)",
        "Created B (version 1)",
    ]


def test_a_failed_first_write_says_nothing_was_written(tmp_path):
    api = FakeSecrets(fail_write=1)
    with pytest.raises(LegerError) as caught:
        run_import(api, b"A=1\n", tmp_path)
    assert "  Written (0): none" in caught.value.message
    assert "  Not attempted (0): none" in caught.value.message


def test_ctrl_c_midway_reports_then_stops_as_an_interrupt(tmp_path, monkeypatch):
    api = FakeSecrets()
    real_set = api.set_secret

    def interrupted_on_b(name, value, label=None):
        if name == "B":
            raise KeyboardInterrupt
        return real_set(name, value, label)

    monkeypatch.setattr(api, "set_secret", interrupted_on_b)
    ctx, _, stderr = fake_context(api)
    path = tmp_path / "in.env"
    path.write_bytes(b"A=1\nB=2\nC=3\n")
    with pytest.raises(KeyboardInterrupt):
        import_secrets(ctx, str(path), dry_run=False)
    assert "The import stopped at B (line 2): interrupted" in stderr.getvalue()
    assert "Written (1): A" in stderr.getvalue()


class TerminalErr(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("count", "shown"), [(9, False), (10, True)])
def test_progress_goes_to_a_terminal_stderr_for_many_entries(tmp_path, count, shown):
    api = FakeSecrets()
    ctx, stdout, _ = fake_context(api)
    ctx.io.stderr = TerminalErr()
    path = tmp_path / "many.env"
    path.write_bytes(b"".join(b"K%d=v\n" % i for i in range(count)))
    import_secrets(ctx, str(path), dry_run=False)
    err = ctx.io.stderr.getvalue()
    assert (f"Importing {count}/{count}: K{count - 1}" in err) is shown
    assert "\x1b" not in stdout.getvalue().decode()
    assert len(api.store) == count


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path):
    _, err = run_import(FakeSecrets(), b"".join(b"K%d=v\n" % i for i in range(30)), tmp_path)
    assert err == ""


def test_names_are_checked_against_the_servers_route_form(tmp_path):
    # ':' is a valid name on the REST routes only.
    assert run_import(FakeSecrets(routes="rest"), b"db:url=x\n", tmp_path)[0].startswith(
        "Created db:url"
    )
    api = FakeSecrets(routes="v0.1")
    with pytest.raises(InputError, match=r"line 2 \(db:url\): Invalid secret name: ':'"):
        run_import(api, b"ok=1\ndb:url=x\n", tmp_path)
    assert api.calls == [("list",)]  # the list, for clashes with the server's names; no write
