"""From secrets to environment variables: the name mapping and what an environment refuses.

``leger run`` and ``leger secrets export`` (dotenv, shell, env-file) turn each
secret name into a variable name: upper-cased, every character outside
``A-Z 0-9 _`` replaced by ``_``, and ``_`` put in front of a leading digit
(``github-token`` → ``GITHUB_TOKEN``). Two secrets that land on one variable,
a secret that would replace a variable the system relies on, and a value with
a NUL byte are refused before anything runs or is written. Errors name
secrets, never values.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from leger.errors import InputError
from leger.terminal import safe_line

# Replacing these would change which programs run, where, or how they load code.
RESERVED_NAMES = frozenset({"PATH", "HOME", "SHELL", "USER", "PWD", "IFS"})
RESERVED_PREFIXES = ("LD_", "PYTHON")
ONLY_HINT = "Leave them out with --only NAME,NAME..."

_KEPT = frozenset(string.ascii_uppercase + string.digits + "_")


class Entry(NamedTuple):
    """One secret on its way out: ``key`` is its variable name (for json, its secret name)."""

    secret: str
    key: str
    value: str


def env_name(secret_name: str) -> str:
    """The environment variable name for ``secret_name`` (``db:url`` → ``DB_URL``)."""
    # Only ASCII letters are upper-cased: str.upper() turns 'ß' into 'SS',
    # which would change the name's length and hide a collision.
    upper = "".join(ch.upper() if ch in string.ascii_lowercase else ch for ch in secret_name)
    name = "".join(ch if ch in _KEPT else "_" for ch in upper)
    return f"_{name}" if name[:1].isdigit() else name


def is_reserved(variable: str) -> bool:
    """Whether ``variable`` is one a secret must not replace (PATH, LD_*, PYTHON*, ...)."""
    return variable in RESERVED_NAMES or variable.startswith(RESERVED_PREFIXES)


def env_entries(secrets: Iterable[tuple[str, str]]) -> list[Entry]:
    """``(secret name, value)`` pairs as variables, or one error listing every problem.

    Refused: two secrets that map to one variable, a secret that would replace
    a reserved variable. (NUL bytes are checked by ``check_no_nul``.)
    """
    entries = [Entry(name, env_name(name), value) for name, value in secrets]
    by_key: dict[str, list[str]] = {}
    for entry in entries:
        by_key.setdefault(entry.key, []).append(entry.secret)
    problems = [
        f"{quoted_names(sorted(names))} {'both' if len(names) == 2 else 'all'} become {key}"
        for key, names in sorted(by_key.items())
        if len(names) > 1
    ]
    problems += [
        f"{quoted_names([entry.secret])} would replace {entry.key}"
        for entry in sorted(entries)
        if is_reserved(entry.key)
    ]
    if problems:
        raise InputError(
            "Cannot turn these secrets into environment variables:\n"
            + "\n".join(f"  - {problem}" for problem in problems),
            hint=f"{ONLY_HINT}, or rename them "
            "(leger secrets set NEW_NAME, then leger secrets delete OLD_NAME).",
        )
    return entries


def check_no_nul(entries: Sequence[Entry]) -> None:
    """Refuse values that an environment variable cannot hold (they contain NUL)."""
    with_nul = [entry.secret for entry in entries if "\0" in entry.value]
    if with_nul:
        verb = "contains" if len(with_nul) == 1 else "contain"
        raise InputError(
            f"An environment variable cannot hold a NUL byte, and the value of "
            f"{quoted_names(with_nul)} {verb} one",
            hint=f"{ONLY_HINT}.",
        )


def quoted_names(names: Sequence[str]) -> str:
    """Secret names for a message: ``"a"``, ``"a" and "b"``, ``"a", "b" and "c"``."""
    shown = [f'"{safe_line(name, 80)}"' for name in names]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + f" and {shown[-1]}"
