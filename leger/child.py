"""Run a child process with bounded output, a bounded wall time and a clean environment.

A wedged or hostile child (a ``tailscale`` that streams without end, or drips
one byte a second) must not make leger use unbounded memory or outlive
LEGER_TIMEOUT: both pipes are read with a cap and a deadline that covers the
child's whole life, and on either overflow or timeout its process group is
killed. The child gets no LEGER_* variable (the token above all) and no
inherited file descriptor beyond its stdin (empty, or a pipe with the given
input: how a secret value reaches ``podman``) and the two output pipes.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO

_CHUNK = 65536


@dataclass(frozen=True)
class ChildResult:
    """What a child that finished in time wrote, and how it exited."""

    returncode: int
    stdout: bytes
    stderr: bytes


class ChildTimedOut(Exception):
    """The child did not finish (exit and close its output) within the timeout."""


class ChildOutputTooLarge(Exception):
    """The child wrote more than allowed on ``stream`` ("stdout" or "stderr")."""

    def __init__(self, stream: str, limit: int) -> None:
        super().__init__(f"{stream} exceeded {limit} bytes")
        self.stream = stream
        self.limit = limit


def child_env(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` without leger's own variables.

    LEGER_TOKEN is a credential and LEGER_API_URL may carry one; none of the
    LEGER_* variables means anything to another program, so none is passed on.
    """
    return {name: value for name, value in environ.items() if not name.startswith("LEGER_")}


def run_bounded(
    argv: Sequence[str],
    *,
    timeout: float,
    stdout_limit: int,
    stderr_limit: int,
    env: Mapping[str, str] | None = None,
    stdin: bytes = b"",
) -> ChildResult:
    """Run ``argv`` with ``stdin`` fed to it (empty: none); its output once it has exited.

    Raises ``ChildTimedOut`` when it takes longer than ``timeout`` seconds in
    all, ``ChildOutputTooLarge`` when a stream exceeds its limit, and OSError
    when it cannot be started. The child is killed in every one of those cases.
    ``env`` defaults to this process's environment without LEGER_* variables.
    A child that exits without reading all of ``stdin`` is not an error.
    """
    deadline = time.monotonic() + timeout
    proc = subprocess.Popen(
        list(argv),
        stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(os.environ) if env is None else dict(env),
        # Its own process group, so a kill also reaches whatever it started.
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stderr is not None
        limits = {
            proc.stdout.fileno(): ("stdout", stdout_limit),
            proc.stderr.fileno(): ("stderr", stderr_limit),
        }
        output = _exchange(limits, deadline, proc.stdin, stdin)
        try:
            returncode = proc.wait(timeout=max(deadline - time.monotonic(), 0))
        except subprocess.TimeoutExpired:
            raise ChildTimedOut from None
        stdout, stderr = (output[fd] for fd in limits)
        return ChildResult(returncode, stdout, stderr)
    finally:
        _stop(proc)


def _exchange(
    limits: dict[int, tuple[str, int]], deadline: float, pipe: IO[bytes] | None, feed: bytes
) -> dict[int, bytes]:
    """Write ``feed`` to the stdin ``pipe`` and read the outputs, all in one loop.

    Writing first and reading after could deadlock: a child that answers
    while it reads fills its output pipe and stops reading its input.
    """
    chunks: dict[int, list[bytes]] = {fd: [] for fd in limits}
    sizes = dict.fromkeys(limits, 0)
    pending = memoryview(feed)
    with selectors.DefaultSelector() as selector:
        for fd in limits:
            selector.register(fd, selectors.EVENT_READ)
        if pipe is not None:
            os.set_blocking(pipe.fileno(), False)
            selector.register(pipe, selectors.EVENT_WRITE, data=pipe)
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ChildTimedOut
            for key, _ in selector.select(remaining):
                fd = key.fd
                if key.data is not None:
                    pending = _feed(fd, pending)
                    if not pending:
                        selector.unregister(fd)
                        key.data.close()  # EOF for the child
                    continue
                stream, limit = limits[fd]
                # One byte past the limit is enough to know it was exceeded.
                data = os.read(fd, min(_CHUNK, limit + 1 - sizes[fd]))
                if not data:
                    selector.unregister(fd)
                    continue
                sizes[fd] += len(data)
                if sizes[fd] > limit:
                    raise ChildOutputTooLarge(stream, limit)
                chunks[fd].append(data)
    return {fd: b"".join(parts) for fd, parts in chunks.items()}


def _feed(fd: int, pending: memoryview) -> memoryview:
    """What is left of ``pending`` after one write that does not block."""
    try:
        return pending[os.write(fd, pending[:_CHUNK]) :]
    except BlockingIOError:
        return pending
    except BrokenPipeError:  # it stopped reading: its exit status says how it went
        return pending[:0]


def _stop(proc: subprocess.Popen[bytes]) -> None:
    # Also after a normal exit: whatever it left running in its group goes too.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    for pipe in (proc.stdin, proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()
