"""What an import checks before its first write, problem by problem, never by value.

An entry is refused when it breaks a rule ``secrets set`` applies (the name
rule of the server's route form, a name the server reserves, the value rules),
when its name is given twice, or when its variable name (``leger.envnames``)
is that of another entry or secret with a different name (``K_FILE`` next to
``k_file``): ``run`` and ``export`` could not hold both. Every problem is
collected, so one report lists them all; a problem names entries, never values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, TypeVar

from leger.envnames import env_name
from leger.errors import InputError, LegerError
from leger.terminal import safe_line
from leger.validation import check_name, check_value

# Checks one entry as a write of it would be checked: raises a LegerError saying why.
Rule = Callable[[str, str], object]
# A problem and the place in the file it is about (a line or entry number), for the order.
Problem = tuple[int, str]

NAMES_HINT = (
    "Names are 1-64 of A-Z a-z 0-9 _ - (and ':' on REST routes); values are not empty.\n"
    "Two names with one variable name (K_FILE and k_file) cannot both be used by run and export."
)


class ImportEntry(Protocol):
    """One secret to import, and where its file gives it."""

    @property
    def name(self) -> str: ...
    @property
    def value(self) -> str: ...
    @property
    def position(self) -> int:
        """Its line or entry number: problems are reported in this order."""
        ...

    @property
    def where(self) -> str:
        """``line 3``, ``entry 3``."""
        ...


EntryT = TypeVar("EntryT", bound=ImportEntry)
NO_LONGER_BOTH = "run and export could no longer hold both"


def problem_of(entry: ImportEntry, text: str) -> Problem:
    """``text`` as a problem of ``entry``, naming it when its name can be shown."""
    return entry.position, f"{entry.where}{shown(entry.name)}: {text}"


def checked_alone(
    entries: list[EntryT], problems: list[Problem], source: str, form: str
) -> list[EntryT]:
    """``entries``, if the file has no problem on its own (``problems``: its syntax's)."""
    problems = problems + entry_problems(entries, offline_rule)
    if problems:
        raise refused(source, problems, form)
    return entries


def offline_rule(name: str, value: str) -> None:
    """The rules that need no server: a name some route form takes, a valid value."""
    check_name(name)
    check_value(value)


def entry_problems(entries: Sequence[ImportEntry], rule: Rule) -> list[Problem]:
    """Each entry that breaks ``rule``, repeats a name, or shares another's variable name."""
    problems = []
    first: dict[str, ImportEntry] = {}
    by_variable: dict[str, ImportEntry] = {}
    for entry in entries:
        found = _broken_rule(rule, entry)
        if found is None and entry.name in first:
            found = f"also set on {first[entry.name].where}"
        elif found is None:
            first[entry.name] = entry
            other = by_variable.setdefault(env_name(entry.name), entry)
            if other is not entry:
                found = (
                    f"{_same_variable(entry, other.name)} "
                    f"({other.where}); run and export could not hold both"
                )
        if found is not None:
            problems.append(problem_of(entry, found))
    return problems


def clash_problems(entries: Iterable[ImportEntry], existing: Iterable[str]) -> list[Problem]:
    """Each entry whose variable name is that of an existing secret of another name."""
    by_variable: dict[str, list[str]] = {}
    for name in existing:
        by_variable.setdefault(env_name(name), []).append(name)
    return [
        problem_of(entry, f"{_same_variable(entry, other)} on leger.run; {NO_LONGER_BOTH}")
        for entry in entries
        for other in by_variable.get(env_name(entry.name), [])
        if other != entry.name
    ]


def refused(source: str, problems: Sequence[Problem], form: str) -> InputError:
    """The one error that lists every problem of ``source`` in file order; ``form``: the syntax."""
    ordered = [text for _position, text in sorted(problems, key=lambda found: found[0])]
    return InputError(
        f"{source} has {len(ordered)} problem{'s' if len(ordered) > 1 else ''}; "
        "nothing was imported:\n" + "\n".join(f"  {text}" for text in ordered),
        hint=f"{form}\n{NAMES_HINT}",
    )


def shown(name: str) -> str:
    """`` (NAME)`` for a valid name; nothing for text that may be a pasted value."""
    try:
        check_name(name)
    except InputError:
        return ""
    return f" ({safe_line(name, 64)})"


def _broken_rule(rule: Rule, entry: ImportEntry) -> str | None:
    try:
        rule(entry.name, entry.value)
    except LegerError as error:
        return error.message
    return None


def _same_variable(entry: ImportEntry, other: str) -> str:
    return f'its variable name {env_name(entry.name)} is also that of "{safe_line(other, 64)}"'
