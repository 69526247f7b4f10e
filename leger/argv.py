"""Translate the user's command line into arguments Fire passes through untouched.

Fire reads arguments as Python literals (``123`` becomes an int, ``[a]`` a list,
``None`` None), treats a lone ``-`` as its separator, and lets a flag swallow the
next argument. For a secrets CLI each of those corrupts data, so the command
line is bound here, once, for every command:

- the command path (``secrets set``) is walked over the tree Fire will walk;
- ``--`` ends options: everything after it is a positional value;
- ``--flag``, ``--noflag``, ``--flag=yes`` and ``-f`` set boolean flags;
- every value is handed to Fire as ``--param=<Python literal of the string>``,
  which Fire evaluates back to exactly the string the user typed.

Errors never repeat a value the user typed: a misplaced secret must not end up
in a terminal log.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Sequence
from typing import Any

from leger.errors import UsageError

HELP_FLAGS = ("-h", "--help")
FIRE_HELP = ["--", "--help"]  # Fire's own flag: show help for the path before it
_FLAG = re.compile(r"--|-[A-Za-z]")  # what Fire would take for a flag
_COMMAND_WORD = re.compile(r"[a-z][a-z-]{0,30}")
_TRUE = ("true", "yes", "1", "on")
_FALSE = ("false", "no", "0", "off")


def prepare(argv: Sequence[str], root: object) -> list[str]:
    """The argument list to give ``fire.Fire(root, command=...)``."""
    head, tail = _split_options(argv)
    want_help = any(arg in HELP_FLAGS for arg in head)
    head = [arg for arg in head if arg not in HELP_FLAGS]
    path: list[str] = []
    target = root
    while head and not callable(target) and not _FLAG.match(head[0]):
        member = _command(target, head[0])
        if member is None:
            raise _unknown_command(head[0], path)
        path.append(head.pop(0))
        target = member
    if want_help:
        return [*path, *FIRE_HELP]
    if not callable(target):
        if head or tail:
            raise _unknown_command(head[0] if head else tail[0], path)
        return path  # Fire shows the group's help
    return [*path, *_bind(target, head, tail, " ".join(["leger", *path]))]


def _split_options(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    args = list(argv)
    if "--" in args:
        cut = args.index("--")
        return args[:cut], args[cut + 1 :]
    return args, []


def _command(group: object, word: str) -> Any:
    if word.startswith("_") or (not hasattr(type(group), word) and word not in vars(group)):
        return None
    return getattr(group, word, None)


def _unknown_command(word: str, path: list[str]) -> UsageError:
    where = " ".join(["leger", *path])
    shown = f" {word!r}" if _COMMAND_WORD.fullmatch(word) else ""
    return UsageError(f"Unknown command{shown} for '{where}'", hint=f"Run '{where} --help'.")


def _bind(command: Any, head: list[str], tail: list[str], name: str) -> list[str]:
    """Bind options and positionals to ``command``'s parameters, as Fire keyword args."""
    params = inspect.signature(command).parameters
    flags = [p for p, spec in params.items() if isinstance(spec.default, bool)]
    texts = [p for p in params if p not in flags]
    # Keyword-only parameters are options (--label TEXT), never filled by position.
    options = [p for p in texts if params[p].kind is inspect.Parameter.KEYWORD_ONLY]
    bound: dict[str, str | bool] = {}
    positionals: list[str] = []
    args = iter(head)
    for arg in args:
        if _FLAG.match(arg):
            key, value = _option(arg, flags, texts, name)
            if value is None:
                if key not in options:
                    raise _unknown_option(name)
                value = next(args, None)
                if value is None:
                    raise UsageError(f"--{key} needs a value", hint=f"Run '{name} --help'.")
            if key in bound:
                raise UsageError(f"--{key} is given twice", hint=f"Run '{name} --help'.")
            bound[key] = value
        else:
            positionals.append(arg)
    positionals += tail
    free = [p for p in texts if p not in bound and p not in options]
    if len(positionals) > len(free):
        raise UsageError(f"Too many arguments for '{name}'", hint=_usage(name, params, flags))
    bound.update(zip(free, positionals, strict=False))
    missing = [p for p in texts if p not in bound and params[p].default is inspect.Parameter.empty]
    if missing:
        raise UsageError(
            f"Missing argument {missing[0].upper()} for '{name}'", hint=_usage(name, params, flags)
        )
    # repr() of a str is a literal that Fire's literal parsing turns back into it.
    return [f"--{key}={value!r}" for key, value in bound.items()]


def _option(
    arg: str, flags: list[str], texts: list[str], name: str
) -> tuple[str, str | bool | None]:
    """The parameter ``arg`` names and its value (None: the value is the next argument)."""
    body, has_value, value = arg.lstrip("-").partition("=")
    key = body.replace("-", "_")
    if not arg.startswith("--") and len(key) == 1:
        matches = [flag for flag in flags if flag.startswith(key)]
        key = matches[0] if len(matches) == 1 else ""
    if key in flags:
        return key, _boolean(key, value) if has_value else True
    negated = key.removeprefix("no").lstrip("_")
    if key.startswith("no") and negated in flags and not has_value:
        return negated, False
    if key in texts and arg.startswith("--"):
        return key, value if has_value else None
    raise _unknown_option(name)


def _unknown_option(name: str) -> UsageError:
    return UsageError(
        f"Unknown option for '{name}'",
        hint=f"Run '{name} --help' for its options.\n"
        f"A value that starts with '-' goes after '--': {name} ... -- -VALUE",
    )


def _boolean(key: str, value: str) -> bool:
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise UsageError(f"--{key} is a switch: use --{key} or --no{key}")


def _usage(name: str, params: Any, flags: list[str]) -> str:
    words = [name]
    for param, spec in params.items():
        if param in flags:
            words.append(f"[--{param}]")
        elif spec.kind is inspect.Parameter.KEYWORD_ONLY:
            words.append(f"[--{param} {param.upper()}]")
        elif spec.default is inspect.Parameter.empty:
            words.append(param.upper())
        else:
            words.append(f"[{param.upper()}]")
    return "Usage: " + " ".join(words)
