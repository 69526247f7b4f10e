"""From a command line to the command: help rendered by leger, or the command run by Fire.

``leger.argv`` binds the command line against the registry; help goes to
stdout from ``leger.help``; anything else is dispatched by Fire over ``Tree``,
a view of the registry in which each group is an object and each command a
method bound to the Context, loaded only when Fire reaches it.
"""

from __future__ import annotations

import contextlib
import io
from types import MethodType

from leger import commands as registry
from leger.argv import parse
from leger.context import Context
from leger.errors import ExitCode, Forbidden, InvalidToken
from leger.iostreams import IOStreams


class Tree:
    """One group of the command tree as Fire walks it: children are attributes, loaded on use."""

    def __init__(self, ctx: Context, path: str = "") -> None:
        self._ctx = ctx
        self._path = path

    def __dir__(self) -> list[str]:
        return registry.children(self._path)

    def __getattr__(self, name: str) -> object:
        path = registry.join(self._path, name)
        if name.startswith("_"):
            raise AttributeError(name)
        if path in registry.GROUPS:
            return Tree(self._ctx, path)
        if path in registry.COMMANDS:
            return MethodType(registry.load(path).run, self._ctx)
        raise AttributeError(name)


def dispatch(args: list[str], ctx: Context) -> int:
    """Run the command line ``args`` (help, or a command through Fire); the exit code."""
    invocation = parse(args)
    if invocation.help:
        from leger.help import render

        ctx.io.write(render(invocation.path, invocation.command).encode("utf-8"))
        return ExitCode.OK
    # Imported here so that help does not pay for Fire (and asyncio under it).
    import fire

    command = [*invocation.path.split(), *invocation.arguments]
    # Fire prints to sys.stdout and sys.stderr; both are pointed at ctx's streams.
    try:
        with (
            contextlib.redirect_stdout(_TextStdout(ctx.io)),
            contextlib.redirect_stderr(ctx.io.stderr),
        ):
            fire.Fire(Tree(ctx), command=command, name="leger")
    except fire.core.FireExit as done:
        return int(done.code or 0)
    except (InvalidToken, Forbidden) as error:
        # A server that rejects a login is never stood in for by its offline cache.
        from leger.offline import forget_server

        forget_server(ctx)
        if isinstance(error, InvalidToken) and ctx.settings.env_token:
            error.message = "leger.run rejected the token in LEGER_TOKEN"
            error.hint = "Set LEGER_TOKEN to a valid token, or unset it and run: leger auth login"
        raise
    return ExitCode.OK


class _TextStdout(io.TextIOBase):
    """A text view of ``IOStreams.stdout`` (UTF-8, unbuffered) for what Fire prints."""

    encoding = "utf-8"

    def __init__(self, streams: IOStreams) -> None:
        super().__init__()
        self._streams = streams

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._streams.write(text.encode("utf-8"))
        return len(text)

    def isatty(self) -> bool:
        return self._streams.stdout_is_tty
