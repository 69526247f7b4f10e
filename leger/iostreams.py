"""The streams a command reads and writes, injected so every command is testable.

stdout is binary so ``secrets get`` writes a value byte for byte whatever the
locale; messages are UTF-8 text on top of it. stderr carries everything that is
not the command's result (errors, hints, prompts, warnings).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from typing import BinaryIO, TextIO

from leger.errors import writing_output

_GREEN = "\x1b[32m"
_YELLOW = "\x1b[33m"
_RESET = "\x1b[0m"


class IOStreams:
    """stdin/stdout/stderr plus whether they are terminals and colour is wanted."""

    # A plain class (a dataclass costs every command's start-up: see leger.record).
    def __init__(
        self,
        stdin: BinaryIO,
        stdout: BinaryIO,
        stderr: TextIO,
        stdin_is_tty: bool,
        stdout_is_tty: bool,
        color: bool,
        hidden_input: Callable[[str], str] | None = None,
    ) -> None:
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.stdin_is_tty = stdin_is_tty
        self.stdout_is_tty = stdout_is_tty
        self.color = color
        # Reads a line without echo: getpass on the controlling terminal (None), or a
        # test's stand-in.
        self.hidden_input = hidden_input

    @classmethod
    def system(cls, *, no_color: bool) -> IOStreams:
        """The process's real streams."""
        stdout_is_tty = sys.stdout.isatty()
        return cls(
            stdin=sys.stdin.buffer,
            stdout=sys.stdout.buffer,
            stderr=sys.stderr,
            stdin_is_tty=sys.stdin.isatty(),
            stdout_is_tty=stdout_is_tty,
            color=stdout_is_tty and not no_color,
        )

    @classmethod
    def test(
        cls,
        stdin: bytes = b"",
        *,
        tty: bool = False,
        color: bool = False,
        hidden_input: Callable[[str], str] | None = None,
    ) -> tuple[IOStreams, io.BytesIO, io.BytesIO, io.StringIO]:
        """Streams over in-memory buffers, like gh's ``iostreams.Test()``.

        Returns the streams and the stdin, stdout and stderr buffers; ``tty``
        makes stdin and stdout claim to be terminals. Hidden input comes from
        ``hidden_input(prompt)``, or else is the next line of ``stdin`` (what a
        person types at the terminal), EOFError at its end, like getpass.
        """
        stdin_buffer, stdout_buffer, stderr_buffer = io.BytesIO(stdin), io.BytesIO(), io.StringIO()

        def next_line(_prompt: str) -> str:
            line = stdin_buffer.readline()
            if not line:
                raise EOFError
            return line.decode("utf-8").removesuffix("\n")

        streams = cls(
            stdin=stdin_buffer,
            stdout=stdout_buffer,
            stderr=stderr_buffer,
            stdin_is_tty=tty,
            stdout_is_tty=tty,
            color=color,
            hidden_input=hidden_input or next_line,
        )
        return streams, stdin_buffer, stdout_buffer, stderr_buffer

    def print(self, text: str = "") -> None:
        """Write one line of text to stdout."""
        self.write(text.encode("utf-8") + b"\n")

    def write(self, data: bytes) -> None:
        """Write exactly ``data`` to stdout; OutputError if it does not get there."""
        with writing_output():
            self.stdout.write(data)
            self.stdout.flush()

    def eprint(self, text: str = "") -> None:
        """Write one line of text to stderr."""
        self.stderr.write(text + "\n")
        self.stderr.flush()

    def success(self, text: str) -> str:
        """``text`` marked as a success: a green check mark on a colour terminal."""
        return f"{_GREEN}✓{_RESET} {text}" if self.color else text

    def warning(self, text: str) -> str:
        """``text`` marked as a warning: yellow on a colour terminal."""
        return f"{_YELLOW}{text}{_RESET}" if self.color else text

    def read_stdin(self, limit: int) -> bytes:
        """All of stdin, or its first ``limit`` bytes when it has more."""
        return read_at_most(self.stdin, limit)

    def confirm(self, question: str) -> bool:
        """Ask a yes/no question on stderr; only "y" or "yes" count as yes."""
        self.stderr.write(f"{question} [y/N] ")
        self.stderr.flush()
        answer = self.stdin.readline().decode("utf-8", "replace").strip().lower()
        return answer in ("y", "yes")

    def read_hidden(self, prompt: str) -> str:
        """Read a line from the terminal without echoing it."""
        if self.hidden_input is not None:
            return self.hidden_input(prompt)
        # Imported here: only a login prompt needs it (and termios under it).
        import getpass

        # getpass writes the prompt to and reads from the controlling terminal.
        return getpass.getpass(prompt)


def read_at_most(stream: BinaryIO, limit: int) -> bytes:
    """Read until EOF or ``limit`` bytes, so `yes |` or /dev/zero cannot exhaust memory.

    One call suffices: a buffered stream's read(n) returns less only at EOF
    (on a terminal, Ctrl-D), and asking again would wait for a second Ctrl-D.
    """
    return stream.read(limit)
