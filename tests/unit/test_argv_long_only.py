"""Long-only options (``Param(short=False)``): no one-letter form, and none taken from others."""

from __future__ import annotations

import pytest

from leger import commands as registry
from leger.argv import Signature, parse
from leger.command import Command, Param
from leger.errors import UsageError


def cmd(
    _ctx: object, *, only: str | None = None, offline: bool = False, no_cache: bool = False
) -> None:
    """A stand-in with run's options."""


def test_a_long_only_option_neither_gets_nor_takes_a_letter():
    plain = Command(run=cmd, summary="s", params={"only": Param("o"), "offline": Param("x")})
    assert Signature.of(plain).short_names() == {"no_cache": "-n"}
    long_only = Command(
        run=cmd,
        summary="s",
        params={
            "only": Param("o"),
            "offline": Param("x", short=False),
            "no_cache": Param("n", short=False),
        },
    )
    assert Signature.of(long_only).short_names() == {"only": "-o"}


@pytest.mark.parametrize("path", ["run", "secrets export"])
def test_o_is_still_only_where_offline_was_added(path):
    assert Signature.of(registry.load(path)).short_names()["only"] == "-o"


@pytest.mark.parametrize("letter", ["-n", "-m"])
def test_the_cache_options_have_no_one_letter_form(letter):
    with pytest.raises(UsageError, match="Unknown option"):
        parse(["secrets", "get", "k", letter])
