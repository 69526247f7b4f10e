"""Where ``secrets set`` takes the value from: argument, ``-``, ``@file`` or a prompt."""

from __future__ import annotations

import os

from leger.errors import InputError
from leger.iostreams import IOStreams, read_at_most
from leger.validation import VALUE_MAX_BYTES

# Far more than any valid value, so a near miss is reported with its exact size,
# yet bounded, so `yes |` or @/dev/zero cannot exhaust memory.
_READ_LIMIT = 1024 * 1024


def resolve_value(value: str | None, io: IOStreams) -> str:
    """The secret value the user means.

    - ``None``: prompt twice without echo on a terminal, else read stdin like ``-``;
    - ``-``: all of stdin, minus one trailing newline (``\\n`` or ``\\r\\n``);
    - ``@path``: the file's exact content (``~`` expanded);
    - anything else: the argument exactly as typed.
    """
    if value is None:
        return _prompt(io) if io.stdin_is_tty else _from_stdin(io)
    if value == "-":
        return _from_stdin(io)
    if value.startswith("@"):
        return _from_file(value[1:])
    return value


def _from_stdin(io: IOStreams) -> str:
    if io.stdin_is_tty:
        io.eprint("Reading the secret value from the terminal; end with Ctrl-D.")
    data = _bounded(io.read_stdin(_READ_LIMIT))
    if data.endswith(b"\r\n"):
        data = data[:-2]
    elif data.endswith(b"\n"):
        data = data[:-1]
    return _decode(data, "stdin")


def _from_file(path: str) -> str:
    if not path:
        raise InputError("No file named after '@'", hint="Use @PATH, e.g. @~/.ssh/id_ed25519")
    expanded = os.path.expanduser(path)
    try:
        with open(expanded, "rb") as handle:
            data = read_at_most(handle, _READ_LIMIT)
    except OSError as exc:
        raise InputError(f"Cannot read {expanded}: {exc.strerror}") from None
    return _decode(_bounded(data), expanded)


def _prompt(io: IOStreams) -> str:
    first = io.read_hidden("Secret value: ")
    second = io.read_hidden("Secret value (again): ")
    if first != second:
        raise InputError("The two values did not match; nothing was stored")
    return first


def _bounded(data: bytes) -> bytes:
    if len(data) >= _READ_LIMIT:
        raise InputError(
            f"The secret value is too large: more than {VALUE_MAX_BYTES} bytes",
            hint=f"Secret values are at most {VALUE_MAX_BYTES} bytes of UTF-8.",
        )
    return data


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(
            f"{source} is not UTF-8 text",
            hint="Secrets are text; encode binary data first (e.g. base64).",
        ) from None
