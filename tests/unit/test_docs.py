"""What users read matches the code: every ``leger ...`` line in the README and in help.

Each command line in a README code block, each inline ``leger ...`` span and
each help example is bound by ``leger.argv.parse`` exactly as the real command
line would be: a renamed command or option, a missing ``--`` or a dropped
argument fails here. The ``--json`` key lists in the README and in help are
compared with the constants the code emits from (tests/cli checks the output).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest

from leger import commands as registry
from leger.argv import parse
from leger.commands import auth_status, secrets_list
from leger.errors import UsageError

README = Path(__file__).resolve().parents[2] / "README.md"
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
_INLINE = re.compile(r"`(leger [^`]*)`")
_SUBSTITUTION = re.compile(r"[$<]\(([^()]*)\)")
_OPERATORS = {"|", "||", "&&", ";", "&", ">", ">>", "<", "(", ")", "<(", "$("}


def readme() -> str:
    return README.read_text(encoding="utf-8")


def command_lines(text: str) -> Iterator[tuple[str, list[str]]]:
    """Every leger command line in ``text``'s code blocks: (the line, leger's argv)."""
    for lang, block in _FENCE.findall(text):
        if lang == "text":  # what a command prints, not what a user types
            continue
        for line in block.splitlines():
            yield from _invocations(line)


def _invocations(line: str) -> Iterator[tuple[str, list[str]]]:
    """The argv of each ``leger`` (or ``.../leger``) word in one shell line."""
    for inner in _SUBSTITUTION.findall(line):  # $(leger ...) and <(leger ...), quoted or not
        yield from _invocations(inner)
    lexer = shlex.shlex(
        _SUBSTITUTION.sub(" SUBSTITUTED ", line), posix=True, punctuation_chars="|&;<>()"
    )
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        words = list(lexer)
    except ValueError:  # not shell (an INI value with a lone quote, prose)
        return
    for at, word in enumerate(words):
        # A directory named leger given to an option (--config-dir ~/.config/leger) is not leger.
        after_option = word.startswith("-") or (at > 0 and words[at - 1].startswith("-"))
        if (word.split("=")[-1] == "leger" or word.endswith("/leger")) and not after_option:
            argv: list[str] = []
            for arg in words[at + 1 :]:
                if arg in _OPERATORS or arg.endswith(("(", ")")):
                    break
                argv.append(arg)
            yield line.strip(), argv


def inline_command_lines(text: str) -> Iterator[tuple[str, list[str]]]:
    """Every inline ``leger ...`` span of the prose, as argv (after ``leger``)."""
    prose = _FENCE.sub("", text)
    for span in _INLINE.findall(prose):
        yield span, shlex.split(span)[1:]


def is_a_reference(argv: list[str]) -> bool:
    """``leger run`` (or ``leger run --``) in prose names a command; it is not a command line."""
    words = argv[:-1] if argv[-1:] == ["--"] else argv
    return " ".join(words) in {*registry.GROUPS, *registry.COMMANDS}


def help_examples() -> Iterator[tuple[str, list[str]]]:
    for path in registry.COMMANDS:
        for example in registry.load(path).examples:
            found = list(_invocations(example))
            assert found, f"{path}: an example without leger in it: {example!r}"
            yield from found


def bind(argv: list[str]) -> None:
    """Bind ``argv`` as leger would; a usage error fails the test with its message."""
    if argv in (["--version"], ["-V"]):
        return  # answered by leger.cli before any binding
    try:
        parse(argv)
    except UsageError as error:
        pytest.fail(f"leger {' '.join(argv)}: {error.message}")


def test_the_readme_has_command_lines_to_check():
    # Guards the extraction itself: a change that finds none would pass vacuously.
    assert len(list(command_lines(readme()))) > 30
    assert len(list(inline_command_lines(readme()))) > 10
    assert len(list(help_examples())) >= 2 * len(registry.COMMANDS)


@pytest.mark.parametrize(
    ("line", "argv"), list(command_lines(readme())), ids=lambda value: str(value)[:60]
)
def test_every_readme_command_line_is_valid(line, argv):
    bind(argv)


@pytest.mark.parametrize(
    ("span", "argv"), list(inline_command_lines(readme())), ids=lambda value: str(value)[:60]
)
def test_every_inline_leger_span_is_valid(span, argv):
    if not is_a_reference(argv):
        bind(argv)


@pytest.mark.parametrize(("line", "argv"), list(help_examples()), ids=lambda v: str(v)[:60])
def test_every_help_example_is_valid(line, argv):
    bind(argv)


def test_a_broken_command_line_is_caught():
    with pytest.raises(pytest.fail.Exception, match="Unknown option '--dryrun'"):
        bind(["secrets", "sync", "--dryrun"])
    with pytest.raises(pytest.fail.Exception, match="Put '--' before the command"):
        bind(["run", "python", "app.py"])


def table_keys(text: str, marker: str) -> list[str]:
    """The backticked first cells of the table that follows ``marker``."""
    start = text.index(marker)
    table = text[start : text.find("\n\n", text.index("| --- |", start))]
    return re.findall(r"^\| `([a-z_]+)` \|", table, re.M)


def test_the_readme_lists_exactly_the_keys_auth_status_emits():
    keys = table_keys(readme(), "`auth status --json` prints one object with these keys")
    assert keys == list(auth_status.JSON_KEYS)


def test_the_readme_lists_exactly_the_keys_secrets_list_emits():
    shown = re.search(r"leger secrets list --json +# \[\{(.*)\}\]", readme())
    assert shown is not None
    assert re.findall(r'"([a-z_]+)"', shown[1]) == list(secrets_list.JSON_KEYS)


def value_kind(argv: list[str]) -> str:
    """How ``secrets set`` gets its value here: "safe" (prompt, stdin, file) or "argument"."""
    values = [a for a in parse(argv).arguments if a.startswith("--value=")]
    if not values or values[0] in ("--value='-'",) or values[0].startswith("--value='@"):
        return "safe"
    return "argument"


def test_secrets_set_examples_lead_with_the_safe_input_forms():
    # A value typed as an argument is visible in ps and lands in shell history:
    # the examples users see first read it from a prompt, stdin or a file.
    readme_lines = [argv for _, argv in command_lines(readme()) if argv[:2] == ["secrets", "set"]]
    help_lines = [argv for _, argv in help_examples() if argv[:2] == ["secrets", "set"]]
    for lines in (readme_lines, help_lines):
        kinds = [value_kind(argv) for argv in lines]
        assert kinds[0] == "safe"
        assert kinds == sorted(kinds, key=lambda kind: kind == "argument"), kinds
