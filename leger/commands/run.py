"""``leger run [--only NAME,...] -- COMMAND [ARG...]``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NoReturn

from leger.context import Context
from leger.envnames import env_entries
from leger.exec_command import child_environment, exec_command
from leger.selection import fetch_selected


def run(ctx: Context, command: Sequence[str], only: str | None) -> NoReturn:
    """Become ``command`` with the chosen secrets added to the inherited environment.

    Everything that can fail (login, request, names, values) fails before the
    exec, with leger's own exit codes; after it, the command is on its own.
    """
    secrets = fetch_selected(ctx, only)
    entries = env_entries((secret.name, secret.value) for secret in secrets)
    exec_command(command, child_environment(ctx.environ, entries))
