"""``leger completion SHELL`` as a whole command line, in-process.

What each script holds (and the bash script run in bash) is tested on the
command's module, in tests/unit/test_completion.py.
"""

from __future__ import annotations

from leger.commands.completion import completion
from leger.errors import ExitCode
from tests.support.fake_secrets import FakeSecrets, fake_context


def test_the_script_is_printed_on_stdout(leger):
    result = leger.run("completion", "bash")
    assert (result.exit_code, result.stderr) == (0, "")
    ctx, stdout, _ = fake_context(FakeSecrets())
    completion(ctx, "bash")
    assert result.stdout == stdout.getvalue()
    wrong = leger.run("completion", "tcsh")
    assert wrong.exit_code == ExitCode.USAGE
    assert wrong.stdout == b""
    assert "Shells: bash, zsh, fish." in wrong.stderr
