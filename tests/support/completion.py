"""leger's completion scripts, and the bash one run as bash runs it when the user presses Tab."""

from __future__ import annotations

import subprocess
from pathlib import Path

from leger.commands.completion import completion
from tests.support.fake_secrets import FakeSecrets, fake_context


def completion_script(shell: str) -> str:
    """What ``leger completion SHELL`` prints (it must print nothing on stderr)."""
    ctx, stdout, stderr = fake_context(FakeSecrets())
    completion(ctx, shell)
    assert stderr.getvalue() == ""
    return stdout.getvalue().decode("utf-8")


def bash_completion(
    script: Path, *words: str, errexit: bool = False, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``_leger`` called as bash's completion calls it for ``leger WORDS`` (the last word is the
    one being completed), in a plain bash that sourced ``script`` (after ``set -e`` with
    ``errexit``); then the words offered are printed, one a line."""
    program = (
        f'{"set -e; " if errexit else ""}source "$1"; shift; COMP_WORDS=(leger "$@"); '
        f'COMP_CWORD={len(words)}; _leger; printf "%s\\n" "${{COMPREPLY[@]}}"'
    )
    return subprocess.run(
        ["bash", "--norc", "-c", program, "bash", str(script), *words],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def complete_in_bash(script: Path, *words: str) -> list[str]:
    """What ``script`` offers for ``leger WORDS``; bash must succeed and say nothing else."""
    result = bash_completion(script, *words)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return [line for line in result.stdout.splitlines() if line]
