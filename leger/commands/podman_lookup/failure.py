"""What a failed lookup says: one line, which Podman passes to the journal.

``leger: cannot read secret NAME from SERVER: WHY; run: COMMAND``. The line
names the secret and the server (Podman itself names only its random secret
ID), says why in a few words and what to run to fix or see more. It never
holds a value or a token: it is built from names, the server's URL and
leger's own error messages, and made one safe line.
"""

from __future__ import annotations

import shlex

from leger.errors import (
    AuthRequired,
    InputError,
    LegerError,
    SecretNotFound,
    TokenStoreError,
    UsageError,
)
from leger.settings import DEFAULT_API_URL
from leger.terminal import safe_line

# Room for a long name and URL; a journal line should stay one screen line or two.
_LIMIT = 600


def failure_line(name: str, server: str | None, error: LegerError) -> str:
    """The line for ``error``; ``server`` is None when the given one was not a usable URL."""
    leger = _leger(server)
    why, advice = _sentence(error.message), f"{leger} secrets list"
    if isinstance(error, SecretNotFound):
        why = "leger.run has no secret of this name"
        advice += f", or remove it from Podman: {leger} secrets sync --driver shell --prune"
    elif isinstance(error, AuthRequired):
        advice = f"{leger} auth login"
    elif isinstance(error, TokenStoreError):
        advice = f"{leger} auth status"
    elif isinstance(error, UsageError | InputError):
        # The command line Podman keeps is wrong: writing it again fixes it.
        advice = f"{leger} secrets sync --driver shell"
    return _line(name, server, why, advice)


def timeout_line(name: str, server: str | None, seconds: float) -> str:
    """The line for a lookup that did not finish within ``seconds`` (LEGER_TIMEOUT)."""
    why = f"no answer within {seconds:g} s (LEGER_TIMEOUT)"
    return _line(name, server, why, f"{_leger(server)} secrets list")


def _line(name: str, server: str | None, why: str, advice: str) -> str:
    where = f" from {server}" if server is not None else ""
    return safe_line(f"leger: cannot read secret {name}{where}: {why}; run: {advice}", _LIMIT)


def _leger(server: str | None) -> str:
    """``leger``, pointed at ``server`` when that is not the default one."""
    if server is None or server == DEFAULT_API_URL:
        return "leger"
    return f"LEGER_API_URL={shlex.quote(server)} leger"


def _sentence(message: str) -> str:
    """``message`` to follow a colon: "Token expired" -> "token expired" (not "HTTPS ...")."""
    if message[:1].isupper() and message[1:2].islower():
        return message[0].lower() + message[1:]
    return message
