"""The contract's rules for secret names and values, checked before any request.

These constants mirror ``SecretName.pattern``, ``RestSecretName.pattern`` and
``SecretValue.x-max-utf8-bytes`` in openapi/leger-api.yaml;
tests/unit/test_validation.py fails if they drift apart.
"""

from __future__ import annotations

import re

from leger.errors import InputError

NAME_PATTERN = "^[A-Za-z0-9_-]{1,64}$"  # the v0.1 design
REST_NAME_PATTERN = "^[A-Za-z0-9:_-]{1,64}$"  # the REST form also allows ':'
NAME_MAX_LENGTH = 64
VALUE_MAX_BYTES = 10240
LABEL_MAX_LENGTH = 256

_NAMES = {"v0.1": re.compile(NAME_PATTERN), "rest": re.compile(REST_NAME_PATTERN)}


def check_name(name: str, routes: str | None = None) -> str:
    """Return ``name`` if the server's route form allows it, else say which rule it breaks.

    ``routes`` is "v0.1" or "rest"; None (form not known yet) applies the looser
    REST rule, so a name is refused early when no form could take it. The name
    is not echoed: a mistyped command line can put a value where the name should be.
    """
    if _NAMES[routes or "rest"].fullmatch(name):
        return name
    if not name:
        problem = "is empty"
    elif len(name) > NAME_MAX_LENGTH:
        problem = f"is {len(name)} characters long (at most {NAME_MAX_LENGTH})"
    elif routes == "v0.1" and _NAMES["rest"].fullmatch(name):
        raise InputError(
            "Invalid secret name: ':' is allowed only by servers of the REST form, "
            "and this server speaks the v0.1 routes",
            hint="Secret names on this server are 1-64 characters of A-Z, a-z, 0-9, '_' and '-'.",
        )
    else:
        problem = "contains characters other than letters, digits, ':', '_' and '-'"
    raise InputError(
        f"Invalid secret name: it {problem}",
        hint="Secret names are 1-64 characters of A-Z, a-z, 0-9, '_' and '-'"
        " (and ':' on leger.run's REST routes).",
    )


def check_value(value: str) -> str:
    """Return ``value`` if it is non-empty and at most 10240 bytes of UTF-8."""
    if not value:
        raise InputError("The secret value is empty", hint="Secret values must not be empty.")
    try:
        size = len(value.encode("utf-8"))
    except UnicodeEncodeError:
        # Arguments that were not UTF-8 arrive as surrogate escapes.
        raise InputError("The secret value is not valid UTF-8 text") from None
    if size > VALUE_MAX_BYTES:
        raise InputError(
            f"The secret value is too large: {size} bytes of UTF-8 (at most {VALUE_MAX_BYTES})"
        )
    return value


def check_label(label: str) -> str:
    """Return ``label`` if it is one line of printable text, at most 256 characters."""
    if len(label) > LABEL_MAX_LENGTH:
        raise InputError(f"The label is {len(label)} characters long (at most {LABEL_MAX_LENGTH})")
    if not all(ch.isprintable() for ch in label):
        raise InputError("The label must be one line of printable text")
    return label
