"""Hypothesis strategies for valid secret names and values, shared by the round-trip tests.

Values are any Unicode but surrogates (emoji, CJK, combining marks, control
characters, newlines and ``\\r\\n``, leading ``-`` or ``@``, text that looks like a
number, a bool, None, a list or JSON), alone or mixed with known tricky pieces.
"""

from __future__ import annotations

from hypothesis import strategies as st

from leger.validation import NAME_PATTERN, VALUE_MAX_BYTES
from tests.support.text import PEM

TRICKY = [
    "-", "--", "-v", "-h", "--help", "--version", "--name=x", "-- x", "@", "@@", "@-",
    "@/etc/passwd", "@~/.ssh/id_ed25519", "=", "NAME=value",
    "0", "123", "-1", "1.5", "1e10", "-1e-3", "0x1F", "0o17", "1_000", "inf", "-inf", "nan",
    "True", "False", "true", "false", "None", "null", "[]", "{}", "[1, 2]", "['a']", "(1, 2)",
    "{'a': 1}", '{"a": 1}', '{"success": true}', "'quoted'", '"double"', "b'x'", "1,2",
    " ", "  leading", "trailing  ", "\t", "\n", "\r", "\r\n", "\n\n", "a\nb", "a\r\nb\r\n",
    "line\n", "line\r\n", "ends in cr\r", "\x00", "a\x00b", "\x1b[31mred\x1b[0m", "\x7f",
    "\\n", "\\", "$HOME", "$(id)", "`id`", "%s%n", "*", "~", "#comment", ";", "|", "&&",
    "🔑", "🗝️", "👩‍👩‍👧", "🇫🇷", "中文密码", "日本語のパスワード", "한국어", "עברית", "العربية",
    "e\u0301", "\u00e9", "\ufeffbom", "\u202eright-to-left", "\u00a0", "\u2028", "\u200b",
    "'", "'\\''", '\\"', "\\\\", "${HOME}", "export X=1", "X='y'",
    "sk-proj-abc123", PEM,
]  # fmt: skip

CHARACTERS = st.characters(exclude_categories=["Cs"])  # any code point a str can encode
TEXT = st.text(CHARACTERS, min_size=1, max_size=120)
VALUES = st.one_of(
    st.sampled_from(TRICKY),
    TEXT,
    st.tuples(st.sampled_from(TRICKY), TEXT).map("".join),
    st.tuples(TEXT, st.sampled_from(TRICKY)).map("".join),
    st.lists(st.sampled_from(TRICKY), min_size=2, max_size=6).map("".join),
).filter(lambda value: len(value.encode("utf-8")) <= VALUE_MAX_BYTES)
ARGUMENT_VALUES = VALUES.filter(
    lambda value: "\x00" not in value and not value.startswith("@") and value != "-"
)
NAMES = st.from_regex(NAME_PATTERN.replace("^", r"\A").replace("$", r"\Z"))
BIGGEST = "é" * (VALUE_MAX_BYTES // 2)  # exactly 10240 bytes of UTF-8
