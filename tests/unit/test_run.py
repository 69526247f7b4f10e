"""``leger run`` up to the exec (leger/commands/run/__init__.py).

In-process with the fake secrets API and a recording ``os.execvpe``: what
environment and argv the command gets, and what stops it from running. The exec
step itself is tested in tests/unit/test_run_exec.py; the whole command through
the installed ``leger``, in tests/e2e/test_run.py.
"""

from __future__ import annotations

import pytest

from leger.commands.run import run
from leger.errors import InputError
from tests.support.fake_secrets import FakeSecrets, fake_context


class Execed(Exception):
    """Raised by the recording execvpe: the process would have become the command."""

    def __init__(self, file: str, argv: list[str], env: dict[str, str]) -> None:
        super().__init__(file)
        self.file, self.argv, self.env = file, argv, env


@pytest.fixture
def execs(monkeypatch):
    """``os.execvpe`` raises ``Execed`` (conftest puts back the signals the exec step resets)."""

    def record(file, argv, env):
        raise Execed(file, argv, env)

    monkeypatch.setattr("leger.commands.run.exec.os.execvpe", record)


INHERITED = {"PATH": "/usr/bin:/bin", "HOME": "/home/alice", "INHERITED": "kept"}


def run_with(api: FakeSecrets, command: list[str], only: str | None = None, **env: str) -> Execed:
    ctx, stdout, stderr = fake_context(api)
    ctx.environ = {**INHERITED, **env}
    with pytest.raises(Execed) as caught:
        run(ctx, command, only=only)
    assert stdout.getvalue() == b""
    assert stderr.getvalue() == ""
    return caught.value


def test_secrets_are_added_to_the_environment_leger_was_started_with(execs):
    api = FakeSecrets({"github-token": "gh", "openai_api_key": "sk\nmulti"})
    done = run_with(api, ["printenv", "--", "A B"], GITHUB_TOKEN="overridden")
    assert (done.file, done.argv) == ("printenv", ["printenv", "--", "A B"])
    assert done.env == {**INHERITED, "GITHUB_TOKEN": "gh", "OPENAI_API_KEY": "sk\nmulti"}
    assert api.calls == [("fetch_values", None)]


def test_only_passes_just_those_secrets(execs):
    api = FakeSecrets({"a": "1", "b": "2", "home": "/evil"})
    done = run_with(api, ["true"], only="b")
    assert api.calls == [("fetch_values", ["b"])]
    assert done.env == {**INHERITED, "B": "2"}


@pytest.mark.parametrize(
    ("store", "says"),
    [
        ({"github-token": "1", "GITHUB_TOKEN": "2"}, '"GITHUB_TOKEN" and "github-token" both'),
        ({"path": "/evil"}, '"path" would replace PATH'),
        ({"ld_preload": "/evil.so"}, '"ld_preload" would replace LD_PRELOAD'),
        ({"pythonpath": "/evil"}, '"pythonpath" would replace PYTHONPATH'),
        ({"bin": "a\0b"}, '"bin" contains one'),
    ],
)
def test_nothing_runs_when_a_secret_cannot_become_a_variable(execs, store, says):
    ctx, stdout, _ = fake_context(FakeSecrets(store))
    with pytest.raises(InputError) as caught:
        run(ctx, ["true"])
    assert says in caught.value.message
    assert "/evil" not in caught.value.message
    assert stdout.getvalue() == b""
