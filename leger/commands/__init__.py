"""The command tree: one line per command, naming the module that is its home.

A command's module holds everything about it: its help and options (its
``COMMAND``), its run function, and the helpers only it uses. Nothing else
needs to change to add one: write the module, add its line here, its tests
and its README section. Modules are imported only when their command runs (or
when a help or completion needs their surface), so a command pays only for
itself at start-up (tests/process/test_imports.py guards it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from leger.command import Command

# A group's path -> its one-line summary ("" is leger itself).
GROUPS: dict[str, str] = {
    "": "Log in to leger.run with your Tailscale identity and use your secrets",
    "auth": "Log in to leger.run with your Tailscale identity",
    "secrets": "Manage your secrets on leger.run",
    "podman": "What Podman runs to read your secrets (its shell secret driver)",
}

# A command's path -> its module under leger.commands.
COMMANDS: dict[str, str] = {
    "auth login": "auth_login",
    "auth status": "auth_status",
    "auth logout": "auth_logout",
    "secrets set": "secrets_set",
    "secrets list": "secrets_list",
    "secrets get": "secrets_get",
    "secrets delete": "secrets_delete",
    "secrets export": "secrets_export",
    "secrets import": "secrets_import",
    "secrets sync": "secrets_sync",
    "podman lookup": "podman_lookup",
    "run": "run",
    "completion": "completion",
}


def load(path: str) -> Command:
    """The ``Command`` at ``path`` (``"secrets sync"``), importing its module."""
    # __import__ (what the import statement runs) rather than importlib: the
    # same import, also seen by -X importtime, which tests read.
    module = __import__(f"leger.commands.{COMMANDS[path]}", fromlist=["COMMAND"])
    command: Command = module.COMMAND
    return command


def children(group: str) -> list[str]:
    """The names of the groups and commands directly under ``group``, in registry order."""
    depth = len(group.split()) + 1 if group else 1
    names: list[str] = []
    for path in [*GROUPS, *COMMANDS]:
        words = path.split()
        if len(words) == depth and " ".join(words[:-1]) == group and words[-1] not in names:
            names.append(words[-1])
    return names


def join(group: str, name: str) -> str:
    """The path of ``name`` under ``group``."""
    return f"{group} {name}".strip()
