"""The one ``--only`` parser (leger/selection.py)."""

from __future__ import annotations

import pytest

from leger.errors import InputError, UsageError
from leger.selection import only_names


def test_only_is_a_list_of_valid_names():
    assert only_names(None) is None
    assert only_names(" a, b ,,a") == ["a", "b"]
    with pytest.raises(UsageError):
        only_names(" , ")
    with pytest.raises(InputError):
        only_names("ok,not ok")
