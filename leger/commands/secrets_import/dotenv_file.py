"""Read a dotenv file into entries to import, with the line each one starts on.

Parsing is python-dotenv's (``dotenv.parser.parse_stream``), the parser most
``.env`` files are written for: ``NAME=value``, single and double quotes,
multi-line quoted values, an ``export`` prefix, comments and blank lines. The
file is read as python-dotenv reads a file itself: UTF-8, with universal
newlines, so CRLF files give the same values as LF files.

Every problem the file has on its own (a line that is not an entry, and the
rules of ``checks``) is reported together; a message points at a line number
and never quotes a value.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from dotenv.parser import parse_stream

from leger.commands.secrets_import.checks import Problem, checked_alone
from leger.errors import InputError

FORM = "Each entry is NAME=value, NAME=\"value\" or NAME='value' (optionally after 'export ')."


@dataclass(frozen=True)
class DotenvEntry:
    """One ``NAME=value`` entry and the line it starts on."""

    name: str
    value: str
    line: int

    @property
    def position(self) -> int:
        """Its line: problems are reported in line order."""
        return self.line

    @property
    def where(self) -> str:
        """``line 3``."""
        return f"line {self.line}"


def read_entries(data: bytes, source: str) -> list[DotenvEntry]:
    """The entries of the dotenv text ``data``, or one InputError listing every problem.

    The rules checked are those that need no server (``checks.offline_rule``).
    """
    try:
        # Universal newlines, as python-dotenv opens a file itself.
        stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline=None)
        bindings = list(parse_stream(stream))
    except UnicodeDecodeError:
        raise InputError(f"{source} is not UTF-8 text; nothing was imported") from None
    entries: list[DotenvEntry] = []
    problems: list[Problem] = []
    for binding in bindings:
        line = _first_line(binding.original.string, binding.original.line)
        if binding.error:
            problems.append((line, f"line {line}: not a NAME=value entry"))
        elif binding.key is None:
            continue  # a blank line or a comment
        elif binding.value is None:
            problems.append((line, f"line {line}: no '=' (every entry is NAME=value)"))
        else:
            entries.append(DotenvEntry(binding.key, binding.value, line))
    return checked_alone(entries, problems, source, FORM)


def _first_line(text: str, line: int) -> int:
    """The line an entry starts on: python-dotenv counts from the blank lines before it."""
    return line + text[: len(text) - len(text.lstrip())].count("\n")
