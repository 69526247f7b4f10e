"""The contract's rules for secret names and values, checked before any request.

These constants mirror ``SecretName.pattern`` and ``SecretValue.x-max-utf8-bytes``
in openapi/leger-api.yaml; tests/test_validation.py fails if they drift apart.
"""

from __future__ import annotations

import re

from leger.errors import InputError

NAME_PATTERN = "^[A-Za-z0-9_-]{1,64}$"
NAME_MAX_LENGTH = 64
VALUE_MAX_BYTES = 10240

_NAME = re.compile(NAME_PATTERN)


def check_name(name: str) -> str:
    """Return ``name`` if the contract allows it, else say which rule it breaks.

    The name is not echoed: a mistyped command line can put a value where the
    name should be.
    """
    if _NAME.fullmatch(name):
        return name
    if not name:
        problem = "is empty"
    elif len(name) > NAME_MAX_LENGTH:
        problem = f"is {len(name)} characters long (at most {NAME_MAX_LENGTH})"
    else:
        problem = "contains characters other than letters, digits, '_' and '-'"
    raise InputError(
        f"Invalid secret name: it {problem}",
        hint="Secret names are 1-64 characters of A-Z, a-z, 0-9, '_' and '-'.",
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
