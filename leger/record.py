"""``Record``: the plain value class of the modules every command imports.

A frozen dataclass costs about 0.4 ms to create on Python 3.11 (it compiles
its ``__init__``, ``__eq__``, ``__repr__``, ``__hash__`` and ``__setattr__``),
and start-up imports twenty-odd of them: 10 ms of a 150 ms ``leger secrets
get``. A ``Record`` costs what any class does (microseconds). A subclass names
its fields in ``__slots__`` and sets them in ``__init__`` as ``Final``
attributes (so mypy refuses to change them); equality, hashing and the repr
come from here, field by field, as a dataclass's would. Fields named in
``_hidden`` (a secret's value) are left out of the repr.
"""

from __future__ import annotations

from typing import ClassVar, Self


class Record:
    """Equality, hash and repr by the fields in ``__slots__``, like a frozen dataclass."""

    __slots__ = ()
    _hidden: ClassVar[frozenset[str]] = frozenset()

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={getattr(self, name)!r}" for name in self._fields() if name not in self._hidden
        )
        return f"{type(self).__qualname__}({shown})"

    def replace(self, **changes: object) -> Self:
        """A copy with the fields in ``changes`` changed, as ``dataclasses.replace`` makes."""
        unknown = changes.keys() - set(self._fields())
        if unknown:
            raise TypeError(f"{type(self).__qualname__} has no field {sorted(unknown)[0]!r}")
        copy = object.__new__(type(self))
        for name in self._fields():
            object.__setattr__(copy, name, changes.get(name, getattr(self, name)))
        return copy

    def _fields(self) -> tuple[str, ...]:
        fields: tuple[str, ...] = self.__slots__
        return fields

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._fields())
