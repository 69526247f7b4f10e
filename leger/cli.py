"""The ``leger`` entry point: argv in, exit code out, never a traceback.

``--version`` is answered before anything else is imported, so it costs little
more than the interpreter's start. Everything else goes through
``leger.dispatch``: help rendered by leger, or the command run by Fire with the
command line bound by ``leger.argv``. Every ``LegerError`` becomes a message and
a hint on stderr and its exit code; anything unexpected becomes a one-line
message (with LEGER_DEBUG=1, also the stack, but never exception text, which
could quote a secret).

``run`` is all of that but the process: tests call it with a ``Context`` built
on ``IOStreams.test()`` buffers, an injected transport and clock.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NoReturn, TextIO

from leger import __version__
from leger.errors import ExitCode, LegerError, writing_output

if TYPE_CHECKING:
    from leger.context import Context


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Run leger with ``argv`` (default: sys.argv[1:]) and exit."""
    args = list(sys.argv[1:] if argv is None else argv)
    collect_rarely()
    _replace_closed_streams()
    code = _run(args)
    # Python's teardown frees every loaded module one by one: about 18 ms of a
    # 200 ms command, and nothing a finished command needs. Its output is
    # flushed (the end of _run), no file of leger's is open and no thread of
    # leger's must finish, so it leaves at once.
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)


# Young objects a collection waits for (Python's default is 700).
COLLECTION_THRESHOLD = 100_000


def collect_rarely() -> None:
    """Let the cyclic garbage collector wait for ``COLLECTION_THRESHOLD`` new objects.

    Importing what a command needs makes tens of thousands of objects (modules,
    functions, classes) that live until leger exits; with Python's default the
    collector ran about fifty times during a ``secrets get`` to find none of
    them garbage (5 to 8 ms of it). A command that keeps allocating still
    collects, and leger leaves with os._exit, so there is nothing to free at
    the end.
    """
    gc.set_threshold(COLLECTION_THRESHOLD, *gc.get_threshold()[1:])


def _run(args: list[str]) -> int:
    # The process around ``run``: the real streams and settings from os.environ.
    def body() -> int:
        if args in (["--version"], ["-V"]):
            return _version()
        return run(args, _system_context())

    try:
        return _guarded(body, sys.stderr, _debug_from_environ)
    except BrokenPipeError:
        # The reader went away (`leger secrets list | head`): not worth a message.
        return ExitCode.ERROR
    finally:
        _drop_unwritten_output()


def _version() -> int:
    with writing_output():
        sys.stdout.write(f"leger {__version__}\n")
        sys.stdout.flush()
    return ExitCode.OK


def run(args: list[str], ctx: Context) -> int:
    """Run the command line ``args`` with ``ctx``; return the exit code.

    Errors, hints and Fire's usage text go to ``ctx.io.stderr``; help that was
    asked for, to ``ctx.io.stdout``.
    """
    # Imported here so that --version does not pay for the command tree.
    from leger.dispatch import dispatch

    return _guarded(lambda: dispatch(args, ctx), ctx.io.stderr, lambda: ctx.settings.debug)


def _guarded(body: Callable[[], int], stderr: TextIO, debug: Callable[[], bool]) -> int:
    try:
        return body()
    except LegerError as error:
        report(error, stderr)
        return error.exit_code
    except KeyboardInterrupt:
        stderr.write("\nInterrupted\n")
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        raise
    except Exception as error:
        if debug():
            _print_stack(error, stderr)
        stderr.write(
            f"Error: unexpected {type(error).__name__}; run with LEGER_DEBUG=1 for details\n"
        )
        return ExitCode.ERROR


def _debug_from_environ() -> bool:
    # Imported here: Settings may be what failed, and --version never needs it.
    from leger.settings import debug_enabled

    return debug_enabled(os.environ)


def _system_context() -> Context:
    from leger.context import Context
    from leger.environ import started_environ
    from leger.iostreams import IOStreams
    from leger.settings import Settings

    settings = Settings.from_env()
    return Context(
        io=IOStreams.system(no_color=settings.no_color),
        settings=settings,
        environ=started_environ(),
    )


def report(error: LegerError, stderr: TextIO) -> None:
    """Write ``error``'s message and hint to ``stderr``, as leger reports every error."""
    if error.message:
        stderr.write(f"Error: {error.message}\n")
    if error.hint:
        stderr.write(f"\n{error.hint}\n")
    stderr.flush()


def _print_stack(error: BaseException, stderr: TextIO) -> None:
    import traceback

    stack = traceback.TracebackException.from_exception(error)
    stderr.write("Traceback (exception text withheld: it may quote a secret):\n")
    stderr.write("".join(stack.stack.format()))
    stderr.write(f"{stack.exc_type.__module__}.{stack.exc_type.__qualname__}\n")


def _replace_closed_streams() -> None:
    # Started with stdin/stdout/stderr closed (cron, `<&-`), Python sets them to
    # None. Each gets a descriptor (so no file leger opens later takes its
    # number): stdin reads as empty and stderr goes nowhere, but stdout is
    # opened read-only, so writing the command's output fails (EBADF) as it
    # would on the closed stream instead of vanishing.
    for name, flags in (("stdin", os.O_RDONLY), ("stdout", os.O_RDONLY), ("stderr", os.O_WRONLY)):
        if getattr(sys, name) is None:
            fd = os.open(os.devnull, flags)
            setattr(sys, name, open(fd, "r" if name == "stdin" else "w"))  # noqa: SIM115 -- lives as long as the process


def _drop_unwritten_output() -> None:
    # A failed write (reported already, or a reader that went away) leaves its
    # bytes buffered; Python would try them again at exit and print "Exception
    # ignored". They go to /dev/null instead.
    try:
        sys.stdout.flush()
    except OSError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
