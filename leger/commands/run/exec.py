"""``leger run``'s last step: become the user's command, as a shell's ``exec`` does.

Replacing the process (rather than starting a child and waiting) is what
keeps everything a wrapper tends to lose: the command has leger's process id,
so a signal sent to it (systemd's SIGTERM, Ctrl-C's SIGINT, a supervisor's
SIGHUP) reaches it directly, and its exit status, including 128+N when a signal
kills it, is the status the caller sees. When the command cannot be started,
leger exits as shells do: 127 when it is not found, 126 when it cannot be run.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
from collections.abc import Mapping, Sequence
from typing import NoReturn

from leger.envnames import Entry, check_no_nul
from leger.errors import CommandNotRunnable, ExitCode
from leger.terminal import safe_line

# Python ignores these at start-up; an ignored signal stays ignored across
# exec, so `leger run -- yes | head` would see EPIPE instead of dying quietly.
_PYTHON_IGNORED = ("SIGPIPE", "SIGXFSZ", "SIGXFZ")
_NOT_FOUND = (errno.ENOENT, errno.ENOTDIR)


def child_environment(inherited: Mapping[str, str], entries: Sequence[Entry]) -> dict[str, str]:
    """``inherited`` with each secret's variable set over it (secrets win)."""
    check_no_nul(entries)
    return {**inherited, **{entry.key: entry.value for entry in entries}}


def exec_command(argv: Sequence[str], env: Mapping[str, str]) -> NoReturn:
    """Replace this process with ``argv`` (looked up in ``env``'s PATH), or raise why not."""
    if not argv[0]:
        raise _not_runnable(argv[0], errno.ENOENT, "")
    # Whatever is still buffered would be lost with this process image.
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        if stream is not None:
            stream.flush()
    _set_python_ignored(signal.SIG_DFL)
    try:
        os.execvpe(argv[0], list(argv), env)  # noqa: S606 -- the user chose this command
    except OSError as error:
        _set_python_ignored(signal.SIG_IGN)
        raise _not_runnable(argv[0], error.errno, error.strerror or "") from None


def _set_python_ignored(disposition: signal.Handlers) -> None:
    for name in _PYTHON_IGNORED:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), disposition)


def _not_runnable(command: str, code: int | None, reason: str) -> CommandNotRunnable:
    shown = safe_line(command, 200)
    if code in _NOT_FOUND:
        if "/" in command:
            return CommandNotRunnable(
                f"{shown}: No such file or directory", exit_code=ExitCode.COMMAND_NOT_FOUND
            )
        return CommandNotRunnable(
            f"{shown}: command not found",
            exit_code=ExitCode.COMMAND_NOT_FOUND,
            hint="leger run looks the command up in PATH; give a path (./script) for one that "
            "is not there.",
        )
    return CommandNotRunnable(f"{shown}: {reason}", exit_code=ExitCode.CANNOT_EXECUTE)
