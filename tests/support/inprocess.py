"""Run a leger command line in this process, like gh's command tests.

``run_leger(["secrets", "get", "k"], ...)`` goes through ``leger.cli.run``: argv
binding, Fire, the command and the error reporting, with in-memory streams, an
injected HTTP transport (tests/support/httpmock.py), Tailscale reader and clock.
No process is started, so a case costs milliseconds, not a Python start-up.

What only a process shows (the OS's argv, real terminals, exit statuses,
signals, the environment) is tested through the ``cli`` fixture instead.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from devtools.login_file import login_text, write_login
from leger.cli import report, run
from leger.context import Context
from leger.errors import LegerError
from leger.iostreams import IOStreams
from leger.settings import Settings
from leger.tailscale import Identity
from tests.support import wire
from tests.support.httpmock import Registry, Server

if TYPE_CHECKING:
    from tests.fixtures.backend import LocalBackend

# Pinned so that tests which are not about route detection send no probe.
DEFAULT_ENV = {
    "LEGER_API_URL": "http://127.0.0.1:8787",
    "LEGER_API_ROUTES": "v0.1",
    "LEGER_TIMEOUT": "10",
}

Typed = str | BaseException  # a line typed at a hidden prompt, or KeyboardInterrupt/EOFError


@dataclass
class Result:
    """What one in-process run did."""

    exit_code: int
    stdout: bytes
    stderr: str
    prompts: list[str] = field(default_factory=list)

    @property
    def out(self) -> str:
        """stdout as text."""
        return self.stdout.decode("utf-8")

    @property
    def returncode(self) -> int:
        """``exit_code`` under the process Result's name, so one helper checks both kinds."""
        return self.exit_code


def run_leger(
    args: Sequence[str],
    *,
    stdin: bytes = b"",
    tty: bool = False,
    env: Mapping[str, str | None] | None = None,
    transport: httpx.BaseTransport | None = None,
    tailscale: Callable[[float], Identity] | None = None,
    now: Callable[[], datetime] | None = None,
    typed: Iterable[Typed] = (),
) -> Result:
    """Run ``leger ARGS`` in-process; ``typed`` answers the hidden prompts in order.

    ``tty`` makes stdin and stdout terminals (colour then follows NO_COLOR, as in
    ``IOStreams.system``). ``env`` is the whole environment leger sees, on top
    of ``DEFAULT_ENV``; a variable set to None is unset.
    """
    merged = {**DEFAULT_ENV, **(env or {})}
    try:
        settings = Settings.from_env({k: v for k, v in merged.items() if v is not None})
    except LegerError as error:
        # As in a process: settings are checked before any command runs.
        reported = io.StringIO()
        report(error, reported)
        return Result(error.exit_code, b"", reported.getvalue())
    answers = list(typed)
    prompts: list[str] = []

    def hidden_input(prompt: str) -> str:
        prompts.append(prompt)
        if not answers:
            raise EOFError
        answer = answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    streams, _stdin, stdout, stderr = IOStreams.test(
        stdin, tty=tty, color=tty and not settings.no_color, hidden_input=hidden_input
    )
    ctx = Context(
        io=streams,
        settings=settings,
        now=now or (lambda: datetime.now(UTC)),
        transport=transport,
        tailscale=tailscale,
    )
    code = run(list(args), ctx)
    return Result(code, stdout.getvalue(), stderr.getvalue(), prompts)


class Leger:
    """A private config directory, a mock leger.run and a stand-in Tailscale for one test.

    ``run`` remembers every stream written, so the fixture can check afterwards
    that no value registered with ``secret`` reached stderr (or stdout, but from
    ``secrets get``), and that the server saw no request it was not told about.
    """

    def __init__(self, root: Path) -> None:
        self.home = root / "home"
        self.home.mkdir()
        self.config_dir = root / "config" / "leger"
        self.auth_file = self.config_dir / "auth.json"
        self.state_dir = root / "state" / "leger"
        self.cache_dir = root / "cache" / "leger"
        self.env: dict[str, str | None] = {
            "HOME": str(self.home),
            "XDG_CONFIG_HOME": str(root / "config"),
            "XDG_CACHE_HOME": str(root / "cache"),
            "XDG_STATE_HOME": str(root / "state"),
        }
        self.registry = Registry()
        self.server = Server(self.registry)
        self.identity_reads = 0
        # None: the real reader, ``tailscale status --json`` on PATH (the ``tailscale`` fixture).
        self.identity: Callable[[float], Identity] | None = lambda _timeout: wire.IDENTITY
        self.values: list[str] = []
        self.runs: list[tuple[tuple[str, ...], Result]] = []
        self.network = False
        self.backend: LocalBackend | None = None  # the local backend behind use_api, if any
        self._login: dict[str, str] | None = None

    def use_api(self, url: str) -> Leger:
        """Talk to a real loopback server at ``url`` instead of the mock registry."""
        assert url.startswith("http://127.0.0.1:"), "tests only ever talk to loopback"
        self.env["LEGER_API_URL"] = url
        self.network = True
        if self._login is not None:
            self.logged_in(**self._login)  # logged in before the server was named: to it
        return self

    def speaks(self, form: wire.Form, *, detected: bool = False) -> Server:
        """Make the server speak ``form``.

        By default LEGER_API_ROUTES is pinned to it, so nothing is probed. With
        ``detected``, LEGER_API_ROUTES is unset and the server answers one probe
        the way ``form`` does; a test that runs several commands registers one
        more ``answers_probe()`` for each.
        """
        self.server = Server(self.registry, form)
        self.env["LEGER_API_ROUTES"] = None if detected else form.name
        if detected:
            self.server.answers_probe()
        return self.server

    def with_token(self, token: str = wire.TOKEN) -> Leger:
        """Authenticate with LEGER_TOKEN."""
        self.env["LEGER_TOKEN"] = token
        return self

    def logged_in(
        self, *, expires_at: str, token: str = "stored-token", routes: str | None = None
    ) -> None:
        """Write a stored login to this test's server, as ``auth login`` would; ``routes``
        is the route form it recorded (None: a login from before forms were stored)."""
        self._login = {"expires_at": expires_at, "token": token}
        if routes is not None:
            self._login["routes"] = routes
        # A login belongs to the server it was made with: this one (None, LEGER_API_URL
        # unset: a login from before logins were bound, which counts for the default).
        api_url = self.env.get("LEGER_API_URL", DEFAULT_ENV["LEGER_API_URL"])
        text = login_text(token, api_url=api_url, api_routes=routes, expires_at=expires_at)
        write_login(self.config_dir, text)

    def secret(self, value: str) -> str:
        """Register ``value``: it must never appear on stderr, nor on stdout but from
        ``secrets get`` and ``podman lookup``."""
        self.values.append(value)
        return value

    def run(
        self,
        *args: str,
        stdin: bytes = b"",
        tty: bool = False,
        env: Mapping[str, str | None] | None = None,
        typed: Iterable[Typed] = (),
        now: Callable[[], datetime] | None = None,
    ) -> Result:
        """Run ``leger ARGS`` in-process against the mock server (or ``use_api``'s)."""

        identity = self.identity

        def read_identity(timeout: float) -> Identity:
            self.identity_reads += 1
            assert identity is not None
            return identity(timeout)

        result = run_leger(
            args,
            stdin=stdin,
            tty=tty,
            env={**self.env, **(env or {})},
            transport=None if self.network else self.registry.transport(),
            tailscale=None if identity is None else read_identity,
            now=now,
            typed=typed,
        )
        self.runs.append((args, result))
        return result

    def check(self) -> None:
        """No value leaked, no request without a stub, no stub unused."""
        for args, result in self.runs:
            for value in self.values:
                assert value not in result.stderr, f"value on stderr of leger {args!r}"
                if args[:2] not in (("secrets", "get"), ("podman", "lookup")):
                    assert value.encode() not in result.stdout, f"value on stdout of {args!r}"
        self.registry.verify()


def get_value(leger: Leger, name: str) -> bytes:
    """What ``leger secrets get NAME`` prints (it must succeed, silently on stderr)."""
    result = leger.run("secrets", "get", name)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def listed(leger: Leger) -> dict[str, int]:
    """Every secret ``leger secrets list --json`` shows, with its version."""
    result = leger.run("secrets", "list", "--json")
    assert result.exit_code == 0, result.stderr
    return {row["name"]: row["version"] for row in json.loads(result.stdout)}


def assert_refused(result: Result, message: str) -> None:
    """Exit 1 with ``message`` in one ``Error:`` on stderr, nothing on stdout, no traceback."""
    assert result.exit_code == 1, (result.exit_code, result.stderr)
    assert result.stdout == b""
    assert message in result.stderr
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr
