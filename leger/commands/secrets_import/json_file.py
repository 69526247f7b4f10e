"""Read what ``leger secrets export --format json`` writes: one object, secret name → value.

Names are the secret names exactly (``:``, ``-``, case kept), so a copy keeps
them, unlike a dotenv file, whose names are variable names. Entries are
numbered in the object's order (``entry 3``); a name given twice is kept twice,
so the checks report it instead of JSON keeping the last one silently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from leger.commands.secrets_import.checks import Problem, checked_alone, problem_of
from leger.errors import InputError

FORM = (
    "The file is one JSON object of secret name -> value, as "
    "'leger secrets export --format json' writes it."
)


@dataclass(frozen=True)
class JsonEntry:
    """One ``"name": "value"`` member and its place in the object (1 is the first)."""

    name: str
    value: str
    number: int

    @property
    def position(self) -> int:
        """Its place: problems are reported in the object's order."""
        return self.number

    @property
    def where(self) -> str:
        """``entry 3``."""
        return f"entry {self.number}"


def read_entries(data: bytes, source: str) -> list[JsonEntry]:
    """The members of the JSON object ``data``, or one InputError listing every problem.

    The rules checked are those that need no server (``checks.offline_rule``).
    """
    try:
        pairs = json.loads(data.decode("utf-8"), object_pairs_hook=_Pairs)
    except UnicodeDecodeError:
        raise InputError(f"{source} is not UTF-8 text; nothing was imported") from None
    except (ValueError, RecursionError):
        pairs = None
    if not isinstance(pairs, _Pairs):
        raise InputError(
            f"{source} is not a JSON object of secret names and values; nothing was imported",
            hint=FORM,
        )
    entries: list[JsonEntry] = []
    problems: list[Problem] = []
    for number, (name, value) in enumerate(pairs, start=1):
        if isinstance(value, str):
            entries.append(JsonEntry(name, value, number))
        else:
            unusable = JsonEntry(name, "", number)
            problems.append(problem_of(unusable, "the value is not a JSON string"))
    return checked_alone(entries, problems, source, FORM)


class _Pairs(list[tuple[str, Any]]):
    """A JSON object as its (name, value) pairs in order, repeats included."""
