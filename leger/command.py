"""What a command is: its run function and the surface users see (help, options).

Each command module in ``leger.commands`` ends with one ``COMMAND = Command(...)``.
Its ``run`` function takes the ``Context`` first; the rest of its signature is
the command line (``leger.argv`` binds it):

- positional parameters are arguments (``NAME``, ``[VALUE]`` when defaulted);
- keyword-only parameters are options, ``--name VALUE``;
- a ``bool`` default is a flag, ``--name`` (and ``--noname``);
- a ``list[str]`` parameter takes everything after ``--`` (``leger run``).

``params`` documents every one of them, by parameter name; ``leger.help``
renders the help from the signature and this text, so help lists exactly the
options the code takes (tests/unit/test_help.py checks every command).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from leger.record import Record


class Param(Record):
    """The help of one argument or option, and what its value may be (for completion).

    ``metavar`` names the value in help (``--only NAMES``); ``choices`` are the
    only values it takes; ``path`` says the value is a file's path. ``short``
    False keeps an option long-only: it takes no one-letter form, and no letter
    from another option (``--offline`` leaves ``-o`` to ``--only``).
    """

    __slots__ = ("choices", "help", "metavar", "path", "short")

    def __init__(
        self,
        help: str,
        metavar: str | None = None,
        choices: Sequence[str] = (),
        path: bool = False,
        short: bool = True,
    ) -> None:
        self.help: Final = help
        self.metavar: Final = metavar
        self.choices: Final = choices
        self.path: Final = path
        self.short: Final = short


class Command(Record):
    """A command: what it runs, and what its help says.

    ``summary`` is one line (group help lists it); ``description`` is plain
    text, already wrapped; ``examples`` are whole command lines (a doc test
    parses each); ``see_also`` names other commands (``"secrets list"``).
    """

    __slots__ = ("description", "examples", "params", "run", "see_also", "summary")

    def __init__(
        self,
        run: Callable[..., Any],
        summary: str,
        params: Mapping[str, Param] | None = None,
        description: str = "",
        examples: Sequence[str] = (),
        see_also: Sequence[str] = (),
    ) -> None:
        self.run: Final = run
        self.summary: Final = summary
        self.params: Final[Mapping[str, Param]] = {} if params is None else params
        self.description: Final = description
        self.examples: Final = examples
        self.see_also: Final = see_also

    def parameters(self) -> list[inspect.Parameter]:
        """The command-line parameters of ``run``: its signature without the Context."""
        return list(inspect.signature(self.run, eval_str=True).parameters.values())[1:]
