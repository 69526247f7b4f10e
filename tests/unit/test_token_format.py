"""``is_sendable_token``: printable ASCII with spaces only inside, 1 to 16384 characters."""

from __future__ import annotations

import pytest

from leger.token_format import MAX_TOKEN_LENGTH, is_sendable_token


def test_every_printable_ascii_character_alone_is_sendable_but_space():
    for code in range(0x21, 0x7F):
        assert is_sendable_token(chr(code)), hex(code)
    assert not is_sendable_token(" ")


@pytest.mark.parametrize("code", [*range(0x20), 0x7F, 0x80, 0xA0, 0xE9, 0x2028, 0xFEFF, 0x1F600])
def test_a_control_or_non_ascii_character_anywhere_is_not(code):
    for token in (chr(code), f"ab{chr(code)}cd", f"abcd{chr(code)}", f"{chr(code)}abcd"):
        assert not is_sendable_token(token), (hex(code), token)


def test_spaces_only_inside():
    assert is_sendable_token("a b")
    assert is_sendable_token("Bearer  two  spaces")
    assert not is_sendable_token(" ab")
    assert not is_sendable_token("ab ")


def test_length_from_one_to_the_limit():
    assert not is_sendable_token("")
    assert is_sendable_token("x" * MAX_TOKEN_LENGTH)
    assert not is_sendable_token("x" * (MAX_TOKEN_LENGTH + 1))


def test_a_jwt_is_sendable():
    assert is_sendable_token("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJlLV8")
