"""Translate the user's command line into arguments Fire passes through untouched.

Fire reads arguments as Python literals (``123`` becomes an int, ``[a]`` a list,
``None`` None), treats a lone ``-`` as its separator, and lets a flag swallow the
next argument. For a secrets CLI each of those corrupts data, so the command
line is bound here, once, for every command:

- the command path (``secrets set``) is walked over the registry (``leger.commands``);
- ``--`` ends options: everything after it is a positional value;
- ``--flag``, ``--noflag``, ``--flag=yes`` and ``-f`` set boolean flags;
- ``--option VALUE``, ``--option=VALUE`` and ``-o VALUE`` set a keyword-only parameter;
- a ``list[str]`` parameter (``leger run``'s command) takes everything after ``--``;
- every value is handed to Fire as ``--param=<Python literal of the string>``,
  which Fire evaluates back to exactly the string the user typed;
- ``-h``/``--help`` before ``--`` asks for help (``leger.help`` renders it).

Errors never repeat a value the user typed: a misplaced secret must not end up
in a terminal log.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping, Sequence
from typing import Final

from leger import commands as registry
from leger.command import Command
from leger.errors import UsageError
from leger.record import Record

HELP_FLAGS = ("-h", "--help")
_FLAG = re.compile(r"--|-[A-Za-z]")  # what Fire would take for a flag
# Only a mistyped command line needs these: compiled then (by re).
_COMMAND_WORD = r"[a-z][a-z-]{0,30}"
_OPTION_WORD = r"--[a-z]{1,30}(?:-[a-z]{1,30}){0,3}|-[A-Za-z]"
_TRUE = ("true", "yes", "1", "on")
_FALSE = ("false", "no", "0", "off")


class Invocation(Record):
    """What the command line asks for: help for ``path``, or the command there with arguments.

    ``arguments`` are the command's parameters as Fire keyword arguments
    (``--name=<literal>``); ``command`` is None for a group (whose help is shown).
    """

    __slots__ = ("arguments", "command", "help", "path")

    def __init__(
        self, path: str, command: Command | None, help: bool, arguments: list[str]
    ) -> None:
        self.path: Final = path
        self.command: Final = command
        self.help: Final = help
        self.arguments: Final = arguments


def parse(argv: Sequence[str]) -> Invocation:
    """Walk the command path of ``argv`` and bind the rest to that command's parameters."""
    head, tail = _split_options(argv)
    want_help = any(arg in HELP_FLAGS for arg in head)
    head = [arg for arg in head if arg not in HELP_FLAGS]
    path = ""
    while path in registry.GROUPS and head and not _FLAG.match(head[0]):
        word = head[0]
        if word not in registry.children(path):
            raise _unknown_command(word, path)
        path = registry.join(path, head.pop(0))
    if path in registry.GROUPS:
        if (head or tail) and not want_help:
            raise _unknown_command(head[0] if head else tail[0], path)
        return Invocation(path, None, True, [])
    command = registry.load(path)
    if want_help:
        return Invocation(path, command, True, [])
    return Invocation(path, command, False, _bind(command, head, tail, path))


def _split_options(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    args = list(argv)
    if "--" in args:
        cut = args.index("--")
        return args[:cut], args[cut + 1 :]
    return args, []


def _did_you_mean(word: str, choices: Sequence[str]) -> str:
    """A hint line naming the closest of ``choices``, or "" when none is close."""
    # Imported here: only a mistyped command line pays for difflib.
    import difflib

    close = difflib.get_close_matches(word, choices, n=1)
    return f"Did you mean '{close[0]}'?\n" if close else ""


def _unknown_command(word: str, group: str) -> UsageError:
    where = registry.join("leger", group)
    shown = f" {word!r}" if re.fullmatch(_COMMAND_WORD, word) else ""
    suggestion = _did_you_mean(word, registry.children(group)) if shown else ""
    return UsageError(
        f"Unknown command{shown} for '{where}'", hint=f"{suggestion}Run '{where} --help'."
    )


class Signature(Record):
    """A command's parameters, sorted by how the command line gives them."""

    __slots__ = ("flags", "long_only", "options", "params", "passthrough", "positionals")

    def __init__(
        self,
        params: Mapping[str, inspect.Parameter],
        flags: list[str],
        options: list[str],
        positionals: list[str],
        passthrough: str | None,
        long_only: frozenset[str] = frozenset(),
    ) -> None:
        self.params: Final = params
        self.flags: Final = flags  # bool defaults: --flag, --noflag, -f
        self.options: Final = options  # keyword-only: --option VALUE or --option=VALUE
        self.positionals: Final = positionals  # the rest: in order, or as --name=VALUE
        self.passthrough: Final = passthrough  # a list[str] parameter: everything after '--'
        self.long_only: Final = long_only  # options with no one-letter form

    @classmethod
    def of(cls, command: Command) -> Signature:
        """The signature of ``command``'s run function, without its Context."""
        params = {p.name: p for p in command.parameters()}
        flags = [p for p, spec in params.items() if isinstance(spec.default, bool)]
        passthrough = [p for p, spec in params.items() if spec.annotation == list[str]]
        options = [
            p
            for p, spec in params.items()
            if spec.kind is inspect.Parameter.KEYWORD_ONLY and p not in flags + passthrough
        ]
        positionals = [p for p in params if p not in flags + options + passthrough]
        long_only = frozenset(name for name, param in command.params.items() if not param.short)
        return cls(
            params, flags, options, positionals, passthrough[0] if passthrough else None, long_only
        )

    def option_names(self) -> list[str]:
        """Every option and flag, as typed."""
        return [option_name(p) for p in self.options + self.flags]

    def short_names(self) -> dict[str, str]:
        """Each option's one-letter form: ``-x`` for the only option starting with x (not h).

        Long-only options are left out, of both the forms and the count.
        """
        named = [p for p in self.options + self.flags if p not in self.long_only]
        return {
            p: f"-{p[0]}"
            for p in named
            if p[0] != "h" and sum(other.startswith(p[0]) for other in named) == 1
        }

    def required(self, param: str) -> bool:
        """Whether the positional ``param`` has no default."""
        return self.params[param].default is inspect.Parameter.empty

    def usage(self, path: str, metavars: Mapping[str, str]) -> str:
        """``leger secrets delete NAME [--force]``: the command line, with value names."""
        words = [registry.join("leger", path)]
        for param in self.positionals:
            name = metavars.get(param, param.upper())
            words.append(name if self.required(param) else f"[{name}]")
        words += [f"[{option_name(p)} {metavars.get(p, p.upper())}]" for p in self.options]
        words += [f"[{option_name(p)}]" for p in self.flags]
        if self.passthrough:
            words.append(f"-- {metavars.get(self.passthrough, 'COMMAND')} [ARG...]")
        return " ".join(words)


def option_name(param: str) -> str:
    """The command-line spelling of a parameter: ``dry_run`` → ``--dry-run``."""
    return "--" + param.replace("_", "-")


def metavars(command: Command) -> dict[str, str]:
    """The value names the command's help gives its parameters (``--only NAMES``)."""
    return {name: param.metavar for name, param in command.params.items() if param.metavar}


def _bind(command: Command, head: list[str], tail: list[str], path: str) -> list[str]:
    """Bind options and positionals to the command's parameters, as Fire keyword args."""
    sig = Signature.of(command)
    name = registry.join("leger", path)
    usage = "Usage: " + sig.usage(path, metavars(command))
    bound: dict[str, str | bool | list[str]] = {}
    positionals: list[str] = []
    args = iter(head)
    for arg in args:
        if not _FLAG.match(arg):
            positionals.append(arg)
            continue
        key, value = _option(arg, sig, name)
        if value is None:  # an option whose value is the next argument
            value = next(args, None)
            if value is None:
                raise UsageError(f"{option_name(key)} needs a value", hint=usage)
        if key in bound:
            raise UsageError(f"{option_name(key)} is given twice", hint=f"Run '{name} --help'.")
        bound[key] = value
    if sig.passthrough:
        if positionals:
            raise UsageError(f"Put '--' before the command: {name} ... -- COMMAND [ARG...]")
        if not tail:
            raise UsageError(f"Missing COMMAND after '--' for '{name}'", hint=usage)
        bound[sig.passthrough] = tail
    else:
        positionals += tail
    free = [p for p in sig.positionals if p not in bound]
    if len(positionals) > len(free):
        raise UsageError(f"Too many arguments for '{name}'", hint=usage)
    bound.update(zip(free, positionals, strict=False))
    missing = [p for p in sig.positionals if p not in bound and sig.required(p)]
    if missing:
        raise UsageError(f"Missing argument {missing[0].upper()} for '{name}'", hint=usage)
    # repr() of a str (or a list of them) is a literal that Fire's literal
    # parsing turns back into exactly it.
    return [f"--{key}={value!r}" for key, value in bound.items()]


def _option(arg: str, sig: Signature, name: str) -> tuple[str, str | bool | None]:
    """The parameter ``arg`` sets and its value (None: the value is the next argument)."""
    body, has_value, value = arg.lstrip("-").partition("=")
    key = body.replace("-", "_")
    if not arg.startswith("--") and len(key) == 1:
        matches = [p for p, short in sig.short_names().items() if short == f"-{key}"]
        key = matches[0] if matches else ""
    if key in sig.flags:
        return key, _boolean(key, value) if has_value else True
    negated = key.removeprefix("no").lstrip("_")
    if key.startswith("no") and negated in sig.flags and not has_value:
        return negated, False
    if key in sig.options:
        return key, value if has_value else None
    if key in sig.positionals and has_value:
        return key, value
    raise _unknown_option(arg.partition("=")[0], sig, name)


def _unknown_option(option: str, sig: Signature, name: str) -> UsageError:
    # Named only when it looks like an option (letters and dashes): '-sk-4f9…'
    # or '--Passw0rd' may be a secret value typed in the wrong place.
    shown = f" '{option}'" if re.fullmatch(_OPTION_WORD, option) else ""
    suggestion = _did_you_mean(option, sig.option_names()) if shown else ""
    return UsageError(
        f"Unknown option{shown} for '{name}'",
        hint=f"{suggestion}Run '{name} --help' for its options.\n"
        f"A value that starts with '-' goes after '--': {name} ... -- -VALUE",
    )


def _boolean(key: str, value: str) -> bool:
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise UsageError(f"{option_name(key)} is a switch: use {option_name(key)} or --no{key}")
