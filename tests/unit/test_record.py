"""``leger.record.Record``: equality, hash, repr and replace, as a frozen dataclass has them."""

from __future__ import annotations

from typing import Final

import pytest

from leger.record import Record


class Pair(Record):
    __slots__ = ("left", "right")

    def __init__(self, left: str, right: int) -> None:
        self.left: Final = left
        self.right: Final = right


class Hidden(Record):
    __slots__ = ("name", "value")
    _hidden = frozenset({"value"})

    def __init__(self, name: str, value: str) -> None:
        self.name: Final = name
        self.value: Final = value


class OtherPair(Record):
    __slots__ = ("left", "right")

    def __init__(self, left: str, right: int) -> None:
        self.left: Final = left
        self.right: Final = right


def test_equal_by_fields_and_hashable_alike():
    assert Pair("a", 1) == Pair("a", 1)
    assert Pair("a", 1) != Pair("a", 2)
    assert hash(Pair("a", 1)) == hash(Pair("a", 1))
    assert len({Pair("a", 1), Pair("a", 1), Pair("b", 1)}) == 2


def test_never_equal_to_another_class_with_the_same_fields_or_a_tuple():
    assert Pair("a", 1) != OtherPair("a", 1)
    assert Pair("a", 1) != ("a", 1)


def test_repr_names_the_fields_but_hidden_ones():
    assert repr(Pair("a", 1)) == "Pair(left='a', right=1)"
    shown = repr(Hidden("k", "s3cr3t"))
    assert "s3cr3t" not in shown
    assert shown == "Hidden(name='k')"


def test_replace_changes_the_given_fields_only():
    original = Pair("a", 1)
    changed = original.replace(right=2)
    assert changed == Pair("a", 2)
    assert original == Pair("a", 1)
    assert type(changed) is Pair


def test_replace_refuses_a_field_the_class_does_not_have():
    with pytest.raises(TypeError, match="no field 'middle'"):
        Pair("a", 1).replace(middle=3)
