"""``leger completion bash`` in bash itself: it leaves a shell with ``set -e`` alive when nothing
matches.

``compgen`` fails when it has no word to offer, and so does ``compopt`` outside
a completion; in a shell with errexit on, a failing command in the completion
function ends the shell the user is typing in. Tested with bash itself: the
function called as completion calls it, and a real interactive bash on a
pseudo-terminal pressing Tab.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from tests.fixtures.cli import installed_leger
from tests.support.completion import bash_completion
from tests.support.pty import TerminalSession

NOTHING_MATCHES = [
    ("zzz",),
    ("secrets", "zzz"),
    ("secrets", "--zzz"),
    ("secrets", "export", "--format", "zzz"),
    ("completion", "zzz"),
    ("run", "--", "no-such-command-zzz"),
    ("run", "--", "true", "no-such-file-zzz"),
    ("secrets", "import", "no-such-file-zzz"),
]


@pytest.fixture(scope="module")
def bash_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("completion") / "leger.bash"
    done = subprocess.run(
        [str(installed_leger()), "completion", "bash"], capture_output=True, check=True
    )
    path.write_bytes(done.stdout)
    return path


@pytest.mark.parametrize("words", NOTHING_MATCHES, ids=" ".join)
def test_nothing_to_offer_is_not_a_failure_under_set_e(bash_script, tmp_path, words):
    # tmp_path: an empty directory, where no file matches either
    done = bash_completion(bash_script, *words, errexit=True, cwd=tmp_path)
    # The line after _leger ran (printf's one newline: nothing offered), and bash went on.
    assert (done.returncode, done.stdout, done.stderr) == (0, "\n", "")


def test_an_interactive_shell_with_set_e_survives_a_tab_that_matches_nothing(tmp_path):
    env = {
        "PATH": f"{installed_leger().parent}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "TERM": "dumb",
        "PS1": "$ ",
    }
    shell = TerminalSession(["bash", "--norc", "--noprofile", "-i"], env)
    shell.send(b'eval "$(leger completion bash)"; set -e; echo READY-$((1+1))\n')
    shell.expect(b"READY-2")
    shell.send(b"leger zzz\t")
    time.sleep(0.5)  # bash completes (or dies) before the next line is typed
    shell.send(b"\x15echo ALIVE-$((40+2))\n")  # Ctrl-U: drop the half-typed line first
    shell.send(b"exit 7\n")
    code, output, _stderr = shell.finish()
    assert b"ALIVE-42" in output
    assert code == 7
