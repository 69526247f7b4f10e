"""``leger ... --help``: help rendered from the command tree, as gh renders its own.

A command's help comes from its ``COMMAND`` (summary, description, examples,
see also) and its run function's signature (arguments and options, spelled as
users type them: ``--dry-run``, ``--only NAMES``, a boolean as a bare flag).
A group's help lists its commands with their one-line summaries. It is plain
text for stdout: no pager, no Python types.
"""

from __future__ import annotations

import textwrap

from leger import __version__
from leger import commands as registry
from leger.argv import Signature, metavars, option_name
from leger.command import Command

WIDTH = 80
_INDENT = "  "
_GAP = 3
_MAX_LEFT = 26  # a longer option name puts its help on the next line
_HELP_FLAG = ("-h, --help", "Show this help.")
EXIT_CODES = (
    "0 success, 1 error, 2 usage error, 4 authentication required, 130 interrupted;\n"
    "leger run exits with its command's status (126: cannot execute, 127: not found)."
)


def render(path: str, command: Command | None) -> str:
    """The help text of the command (or, with ``command`` None, the group) at ``path``."""
    return _command_help(path, command) if command is not None else _group_help(path)


def _command_help(path: str, command: Command) -> str:
    sig = Signature.of(command)
    names = metavars(command)
    shorts = sig.short_names()
    sections = [_sentence(command.summary), _section("Usage", [sig.usage(path, names)])]
    if command.description:
        sections.append(command.description.strip("\n"))
    arguments = [
        (names.get(p, p.upper()), command.params[p].help)
        for p in [*sig.positionals, *([sig.passthrough] if sig.passthrough else [])]
    ]
    if sig.passthrough:
        arguments[-1] = (f"{names.get(sig.passthrough, 'COMMAND')} [ARG...]", arguments[-1][1])
    if arguments:
        sections.append(_section("Arguments", _columns(arguments)))
    options = [
        (_option_label(p, shorts.get(p), names.get(p, p.upper())), command.params[p].help)
        for p in sig.options
    ]
    options += [(_option_label(p, shorts.get(p), None), command.params[p].help) for p in sig.flags]
    sections.append(_section("Options", _columns([*options, _HELP_FLAG])))
    if command.examples:
        sections.append(_section("Examples", list(command.examples)))
    see_also = [registry.join("leger", other) for other in command.see_also]
    see_also.append(f"{registry.join('leger', _parent(path))} --help")
    sections.append(_section("See also", [", ".join(see_also)]))
    return "\n\n".join(sections) + "\n"


def _group_help(path: str) -> str:
    where = registry.join("leger", path)
    rows = []
    for name in registry.children(path):
        child = registry.join(path, name)
        summary = registry.GROUPS.get(child) or registry.load(child).summary
        rows.append((name, summary))
    options = [_HELP_FLAG]
    if not path:
        options.append(("-V, --version", f"Print leger's version ({__version__})."))
    sections = [
        _sentence(registry.GROUPS[path]),
        _section("Usage", [f"{where} <command> [options]"]),
        _section("Commands", _columns(rows)),
        _section("Options", _columns(options)),
    ]
    if not path:
        sections.append(_section("Exit codes", EXIT_CODES.splitlines()))
    sections.append(f"Run '{where} <command> --help' for more about a command.")
    return "\n\n".join(sections) + "\n"


def _parent(path: str) -> str:
    return " ".join(path.split()[:-1])


def _sentence(text: str) -> str:
    return text if text.endswith(".") else f"{text}."


def _option_label(param: str, short: str | None, metavar: str | None) -> str:
    label = option_name(param) + (f" {metavar}" if metavar else "")
    return f"{short}, {label}" if short else f"    {label}"


def _section(title: str, lines: list[str]) -> str:
    return f"{title}:\n" + "\n".join(f"{_INDENT}{line}" if line else "" for line in lines)


def _columns(rows: list[tuple[str, str]]) -> list[str]:
    """Two aligned columns; help text wrapped to the width, long names on a line of their own."""
    left = min(max(len(name) for name, _ in rows), _MAX_LEFT)
    indent = " " * (left + _GAP)
    width = WIDTH - len(_INDENT)
    lines: list[str] = []
    for name, text in rows:
        wrapped = textwrap.wrap(" ".join(text.split()), width - len(indent)) or [""]
        if len(name) > left:
            lines.append(name)
            lines += [indent + part for part in wrapped]
            continue
        lines.append(name.ljust(left + _GAP) + wrapped[0])
        lines += [indent + part for part in wrapped[1:]]
    return lines
