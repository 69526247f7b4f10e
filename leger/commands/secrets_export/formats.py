"""The formats ``leger secrets export`` writes, each with the guarantee it keeps.

- ``dotenv``: ``NAME="value"`` with ``\\``, ``"``, line feed and carriage return
  escaped; ``leger secrets import`` and python-dotenv (interpolation off) read
  back exactly the value, multi-line values included, and every entry stays on
  one line whatever an editor does to line ends.
- ``shell``: ``export NAME='value'``; ``eval`` in any POSIX shell sets exactly
  the value (inside single quotes nothing is special but the quote itself).
- ``json``: one object, secret name → value.
- ``env-file``: ``NAME=value`` as ``podman``/``docker run --env-file`` read it:
  every character after ``=`` taken literally, one line per variable, so a
  value with a line break cannot be written.

``kube`` (a Kubernetes Secret manifest, keyed by secret names) is written by
``leger.kube_manifest``, since it also takes the manifest's name.

Formats that feed an environment (shell, env-file) refuse a NUL byte, which no
environment variable can hold. Every error names the secret, never its value.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from leger.envnames import ONLY_HINT, Entry, check_no_nul, quoted_names
from leger.errors import InputError, UsageError

_DOTENV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def dotenv(entries: Sequence[Entry]) -> str:
    """``NAME="value"`` lines, escaped so python-dotenv reads each value back exactly."""
    return "".join(f'{e.key}="{e.value.translate(_DOTENV_ESCAPES)}"\n' for e in entries)


def shell(entries: Sequence[Entry]) -> str:
    """``export NAME='value'`` lines for ``eval`` in sh, dash, bash or zsh."""
    check_no_nul(entries)
    return "".join(f"export {e.key}={shell_quote(e.value)}\n" for e in entries)


def json_object(entries: Sequence[Entry]) -> str:
    """One JSON object, name → value, on one line."""
    return json.dumps({e.key: e.value for e in entries}, ensure_ascii=False) + "\n"


def env_file(entries: Sequence[Entry]) -> str:
    """``NAME=value`` lines for ``podman run --env-file`` / ``docker run --env-file``."""
    multi_line = [e.secret for e in entries if "\n" in e.value or "\r" in e.value]
    if multi_line:
        raise InputError(
            f"--format env-file cannot hold a line break, and {quoted_names(multi_line)} "
            f"{'has' if len(multi_line) == 1 else 'have'} one",
            hint=f"{ONLY_HINT}, or use --format dotenv or shell. For a Podman container,"
            " 'leger secrets sync' makes them Podman secrets instead.",
        )
    check_no_nul(entries)
    return "".join(f"{e.key}={e.value}\n" for e in entries)


FORMATS: dict[str, Callable[[Sequence[Entry]], str]] = {
    "dotenv": dotenv,
    "shell": shell,
    "json": json_object,
    "env-file": env_file,
}
KUBE = "kube"
FORMAT_NAMES = (*FORMATS, KUBE)


def formatter(name: str) -> Callable[[Sequence[Entry]], str]:
    """The function that writes format ``name``, or a usage error listing the formats."""
    try:
        return FORMATS[name]
    except KeyError:
        raise UsageError(
            "Unknown --format", hint=f"Formats: {', '.join(FORMAT_NAMES)} (default: dotenv)."
        ) from None


def shell_quote(value: str) -> str:
    """``value`` in POSIX single quotes: each ``'`` becomes ``'\\''``."""
    return "'" + value.replace("'", "'\\''") + "'"
