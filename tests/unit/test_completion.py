"""``leger completion bash|zsh|fish``: scripts generated from the command tree.

The bash script is run for real: sourced in bash, its function is called with
``COMP_WORDS`` as bash's completion would, and the offered words are checked.
zsh and fish are not installed everywhere the tests run, so for them the
generated table is checked against the tree (every command and option is in
it) along with the registration line each shell needs.

The command line itself is tested in tests/cli/test_completion.py.
"""

from __future__ import annotations

import pytest

from leger import commands as registry
from leger.argv import Signature
from leger.commands.completion import SHELLS
from leger.commands.secrets_export.formats import FORMAT_NAMES
from leger.errors import UsageError
from tests.support.completion import complete_in_bash, completion_script

# The offline cache's options of run, secrets export and secrets get.
CACHE_OPTIONS = ["--max-age", "--offline", "--no-cache"]


def tree_paths() -> dict[str, list[str]]:
    """Command path → the words that may follow it, read from the registry directly."""
    found = {group: registry.children(group) for group in registry.GROUPS}
    for path in registry.COMMANDS:
        found[path] = Signature.of(registry.load(path)).option_names()
    return found


@pytest.fixture(scope="module")
def bash_script(tmp_path_factory):
    path = tmp_path_factory.mktemp("completion") / "leger.bash"
    path.write_text(completion_script("bash"))
    return path


@pytest.mark.parametrize(
    ("words", "offered"),
    [
        (("",), ["auth", "secrets", "cache", "podman", "run", "completion", "--help", "--version"]),
        (("se",), ["secrets"]),
        (("secrets", ""), ["set", "list", "get", "delete", "export", "import", "sync", "--help"]),
        (
            ("secrets", "sync", "--"),
            ["--only", "--driver", "--prune", "--dry-run", "--json", "--help"],
        ),
        (("secrets", "ex"), ["export"]),
        (
            ("secrets", "export", "--"),
            ["--format", "--only", "--kube-name", *CACHE_OPTIONS, "--help"],
        ),
        (("secrets", "export", "--format", ""), list(FORMAT_NAMES)),
        (("secrets", "export", "--only", "k", "--format", "e"), ["env-file"]),
        (("secrets", "import", "--"), ["--format", "--dry-run", "--help"]),
        (("auth", "status", "--j"), ["--json"]),
        (("completion", ""), list(SHELLS)),
        (("run", "--"), ["--only", *CACHE_OPTIONS, "--help"]),
        (("run", "--only", "k", "-"), ["--only", *CACHE_OPTIONS, "--help"]),
    ],
)
def test_bash_offers_what_fits(bash_script, words, offered):
    assert complete_in_bash(bash_script, *words) == offered


def test_bash_completes_a_command_line_after_run_double_dash(bash_script):
    assert "bash" in complete_in_bash(bash_script, "run", "--only", "k", "--", "bas")


def test_bash_completes_files_for_import(bash_script):
    offered = complete_in_bash(bash_script, "secrets", "import", str(bash_script)[:-3])
    assert offered == [str(bash_script)]


def test_bash_registers_for_leger():
    assert completion_script("bash").rstrip().endswith("complete -F _leger leger")


@pytest.mark.parametrize("shell", SHELLS)
def test_every_command_and_option_is_in_the_table(shell):
    text = completion_script(shell)
    for path, words in tree_paths().items():
        assert f"'{path}')" in text or f"case '{path}'\n" in text, (shell, path)
        for word in words:
            assert word in text, (shell, path, word)
    assert "--dry-run" in text
    assert "--dry_run" not in text


def test_zsh_and_fish_register_for_leger():
    assert "compdef _leger leger" in completion_script("zsh")
    assert "complete -c leger -f -a '(__leger_complete)'" in completion_script("fish")


def test_an_unknown_shell_is_a_usage_error():
    with pytest.raises(UsageError, match="Unknown shell") as caught:
        completion_script("powershell")
    assert caught.value.hint == "Shells: bash, zsh, fish."
