"""Run command lines through argv binding and Fire with each command's work replaced.

``record(monkeypatch)`` swaps every registered command's run function for a
recorder with the same signature, so a test sees exactly the arguments Fire
would call the command with; ``fire_call(argv)`` runs a command line through
``leger.argv.parse`` and Fire, as ``leger.dispatch`` does.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import fire
import pytest

from leger import commands as registry
from leger.argv import parse
from leger.dispatch import Tree

Call = tuple[Any, ...]
_NO_CONTEXT = object()  # the recorders ignore their Context


def record(monkeypatch: pytest.MonkeyPatch) -> list[Call]:
    """Replace every command with a recorder; returns the list of calls it fills.

    A call is ``(run function's name, *positional args, *(key, value) for kwargs)``.
    """
    calls: list[Call] = []
    for path, module in registry.COMMANDS.items():
        command = registry.load(path)
        replaced = command.replace(run=_recorder(command.run, calls))
        monkeypatch.setattr(sys.modules[f"leger.commands.{module}"], "COMMAND", replaced)
    return calls


def _recorder(original: Callable[..., Any], calls: list[Call]) -> Callable[..., None]:
    @functools.wraps(original)
    def recorded(_ctx: object, *args: object, **kwargs: object) -> None:
        calls.append((original.__name__, *args, *sorted(kwargs.items())))

    return recorded


def fire_call(argv: list[str]) -> None:
    """Run ``argv`` through the argv binding and Fire (with a stand-in Context), as leger does."""
    invocation = parse(argv)
    assert invocation.command is not None, "a group or help: nothing to call"
    command = [*invocation.path.split(), *invocation.arguments]
    fire.Fire(Tree(_NO_CONTEXT), command=command, name="leger")  # type: ignore[arg-type]
