"""Values and command lines the argv tests of every level share (tests/*/test_argv.py)."""

from __future__ import annotations

MANGLED = [
    "123",
    "1e3",
    "0x10",
    "1_000",
    "-5",
    "True",
    "False",
    "None",
    "[1,2]",
    "{'a':1}",
    "(1, 2)",
    "-",
    "--",
    "@x",
    '"quoted"',
    "it's",
    "a=b",
    "a,b",
    "~",
    "$HOME",
    "--help",
    "-h",
    "--trace",
    "--interactive",
    "--force",
    "a\nb",
    "line\n",
    "\r\n",
    "\t",
    " padded ",
    "😀",
    "名前",
    "\\n",
    'b"x"',
    '__import__("os")',
]


SECRET = "SECRETX9"  # a value that must never be repeated in a usage error


# --- and through the whole command line, the server gets exactly those strings ------


def typed_set(value: str) -> list[str]:
    """``secrets set k VALUE`` as a user types it (after ``--`` when it starts with '-')."""
    return (
        ["secrets", "set", "k", "--", value]
        if value.startswith("-")
        else ["secrets", "set", "k", value]
    )


USAGE_ERRORS = [
    ["secrets", "set", "k", "v", SECRET],
    ["secrets", "set", "k", f"-{SECRET}"],
    ["secrets", "delete", "k", f"--force={SECRET}"],
    ["secrets", SECRET],
]
