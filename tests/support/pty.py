"""Run a command on a pseudo-terminal, as a person at a terminal would."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import termios
import time


def _foreground_job() -> None:
    # Run in the child: make it what a shell's foreground job is. The pty becomes
    # the controlling terminal, so /dev/tty (getpass) is it. Ctrl-C and Ctrl-\ get
    # their default effect: a test run started in the background by a script
    # inherits SIGINT and SIGQUIT ignored (POSIX), and Ctrl-C would then do nothing.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class TerminalSession:
    """A process whose stdin, stdout and controlling terminal are one pty.

    stderr is a separate pipe, so tests can still tell the streams apart.
    """

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self._master, slave = pty.openpty()
        # A real terminal has a size; pagers and prompts behave differently at 0x0.
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 100, 0, 0))
        self.proc = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,
            preexec_fn=_foreground_job,
        )
        os.close(slave)
        self.output = b""

    def expect(self, text: bytes, timeout: float = 15.0) -> None:
        """Read terminal output until ``text`` has appeared."""
        deadline = time.monotonic() + timeout
        while text not in self.output:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{text!r} not seen; terminal so far: {self.output!r}")
            self._read(0.1)

    def send(self, data: bytes) -> None:
        """Type ``data`` at the terminal."""
        os.write(self._master, data)

    def finish(self, timeout: float = 30.0) -> tuple[int, bytes, str]:
        """Wait for the exit; return (exit code, all terminal output, stderr)."""
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            self._read(0.1)
        if self.proc.poll() is None:
            self.proc.kill()
            raise TimeoutError(f"still running; terminal so far: {self.output!r}")
        while self._read(0.05):
            pass
        stderr = self.proc.stderr.read().decode("utf-8", "replace") if self.proc.stderr else ""
        os.close(self._master)
        return self.proc.returncode, self.output, stderr

    def _read(self, wait: float) -> bool:
        ready, _, _ = select.select([self._master], [], [], wait)
        if not ready:
            return False
        try:
            chunk = os.read(self._master, 65536)
        except OSError:  # EIO: the other side closed
            return False
        self.output += chunk
        return bool(chunk)
