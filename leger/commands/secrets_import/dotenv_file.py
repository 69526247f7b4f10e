"""Read a dotenv file into secrets to import, checking every entry before anything is sent.

Parsing is python-dotenv's (``dotenv.parser.parse_stream``), the parser most
``.env`` files are written for: ``NAME=value``, single and double quotes,
multi-line quoted values, an ``export`` prefix, comments and blank lines. The
file is read as python-dotenv reads a file itself: UTF-8, with universal
newlines, so CRLF files give the same values as LF files.

Every problem (unreadable line, bad name, empty or too large value, a name
given twice) is collected and reported together. Messages point at line
numbers; they never quote a value, and quote a name only when it is a valid
one on a line that has ``NAME=`` (a pasted value is never echoed).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from dotenv.parser import parse_stream

from leger.errors import InputError
from leger.terminal import safe_line
from leger.validation import check_name, check_value


@dataclass(frozen=True)
class DotenvEntry:
    """One ``NAME=value`` entry and the line it starts on."""

    name: str
    value: str
    line: int


def read_entries(
    data: bytes, source: str, name_rule: Callable[[str], str] = check_name
) -> list[DotenvEntry]:
    """The entries of the dotenv text ``data``, or one InputError listing every problem.

    ``name_rule`` checks a name (default: the rule of either route form; pass
    the server's ``SecretsApi.check_name`` for its own).
    """
    try:
        # Universal newlines, as python-dotenv opens a file itself.
        stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline=None)
        bindings = list(parse_stream(stream))
    except UnicodeDecodeError:
        raise InputError(f"{source} is not UTF-8 text; nothing was imported") from None
    entries: list[DotenvEntry] = []
    problems: list[str] = []
    first_line: dict[str, int] = {}
    for binding in bindings:
        line = _first_line(binding.original.string, binding.original.line)
        if binding.error:
            problems.append(f"line {line}: not a NAME=value entry")
            continue
        if binding.key is None:
            continue  # a blank line or a comment
        if binding.value is None:
            problems.append(f"line {line}: no '=' (every entry is NAME=value)")
            continue
        problem = _problem(name_rule, binding.key, binding.value)
        if problem is None and binding.key in first_line:
            problem = f"also set on line {first_line[binding.key]}"
        if problem is not None:
            problems.append(f"line {line}{_shown(binding.key)}: {problem}")
            continue
        first_line[binding.key] = line
        entries.append(DotenvEntry(binding.key, binding.value, line))
    if problems:
        raise InputError(
            f"{source} has {len(problems)} problem{'s' if len(problems) > 1 else ''}; "
            "nothing was imported:\n" + "\n".join(f"  {problem}" for problem in problems),
            hint="Each entry is NAME=value, NAME=\"value\" or NAME='value' (optionally after "
            "'export '); names are 1-64 of A-Z a-z 0-9 _ - (and ':' on REST routes), "
            "values are not empty.",
        )
    return entries


def _first_line(text: str, line: int) -> int:
    """The line an entry starts on: python-dotenv counts from the blank lines before it."""
    return line + text[: len(text) - len(text.lstrip())].count("\n")


def _problem(name_rule: Callable[[str], str], name: str, value: str) -> str | None:
    """What is wrong with the entry, in the words of the rule it breaks; None if nothing."""
    for check, text in ((name_rule, name), (check_value, value)):
        try:
            check(text)
        except InputError as error:
            return error.message
    return None


def _shown(name: str) -> str:
    try:
        check_name(name)
    except InputError:
        return ""
    return f" ({safe_line(name, 64)})"
