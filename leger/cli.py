"""The ``leger`` entry point: argv in, exit code out, never a traceback.

``--version`` is answered before anything else is imported, so it costs little
more than the interpreter's start. Everything else goes through Fire with the
command line bound by ``leger.argv``. Every ``LegerError`` becomes a message and
a hint on stderr and its exit code; anything unexpected becomes a one-line
message (with LEGER_DEBUG=1, also the stack, but never exception text, which
could quote a secret).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from leger import __version__
from leger.errors import ExitCode, InvalidToken, LegerError


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Run leger with ``argv`` (default: sys.argv[1:]) and exit."""
    args = list(sys.argv[1:] if argv is None else argv)
    _replace_closed_streams()
    if args in (["--version"], ["-V"]):
        sys.stdout.write(f"leger {__version__}\n")
        sys.exit(ExitCode.OK)
    sys.exit(_run(args))


def _run(args: list[str]) -> int:
    try:
        return _dispatch(args)
    except LegerError as error:
        _report(error)
        return error.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("\nInterrupted\n")
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`leger secrets list | head`): not worth a message.
        _silence_stdout()
        return ExitCode.ERROR
    except Exception as error:
        # Imported here: Settings may be what failed, and --version never needs it.
        from leger.settings import debug_enabled

        if debug_enabled(os.environ):
            _print_stack(error)
        sys.stderr.write(
            f"Error: unexpected {type(error).__name__}; run with LEGER_DEBUG=1 for details\n"
        )
        return ExitCode.ERROR


def _dispatch(args: list[str]) -> int:
    # Imported here so that --version does not pay for Fire (and asyncio under it).
    import fire

    from leger.argv import FIRE_HELP, prepare
    from leger.context import Context
    from leger.iostreams import IOStreams
    from leger.settings import Settings
    from leger.tree import Leger

    settings = Settings.from_env()
    # Fire pages help through less on a terminal; -F prints a help that fits on
    # one screen straight away instead of waiting for 'q'. A user's LESS wins.
    environ = dict(os.environ)
    os.environ.setdefault("LESS", "-FX")
    ctx = Context(
        io=IOStreams.system(no_color=settings.no_color), settings=settings, environ=environ
    )
    root = Leger(ctx)
    command = prepare(args, root)
    # Help that was asked for is the command's output: stdout, not Fire's stderr.
    help_out = sys.stdout if command[-2:] == FIRE_HELP else sys.stderr
    try:
        with contextlib.redirect_stderr(help_out):
            fire.Fire(root, command=command, name="leger")
    except fire.core.FireExit as done:
        return int(done.code or 0)
    except InvalidToken as error:
        if settings.env_token:
            error.message = "leger.run rejected the token in LEGER_TOKEN"
            error.hint = "Set LEGER_TOKEN to a valid token, or unset it and run: leger auth login"
        raise
    return ExitCode.OK


def _report(error: LegerError) -> None:
    if error.message:
        sys.stderr.write(f"Error: {error.message}\n")
    if error.hint:
        sys.stderr.write(f"\n{error.hint}\n")
    sys.stderr.flush()


def _print_stack(error: BaseException) -> None:
    import traceback

    stack = traceback.TracebackException.from_exception(error)
    sys.stderr.write("Traceback (exception text withheld: it may quote a secret):\n")
    sys.stderr.write("".join(stack.stack.format()))
    sys.stderr.write(f"{stack.exc_type.__module__}.{stack.exc_type.__qualname__}\n")


def _replace_closed_streams() -> None:
    # Started with stdin/stdout/stderr closed (cron, `<&-`), Python sets them to
    # None; reading then sees an empty input and output goes nowhere.
    for name, mode in (("stdin", "r"), ("stdout", "w"), ("stderr", "w")):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, mode))  # noqa: SIM115 -- lives as long as the process


def _silence_stdout() -> None:
    # Python would report the broken pipe again when flushing stdout at exit.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
