"""The ``podman`` command's secret store, driven through its CLI.

Every call is bounded in time (LEGER_TIMEOUT) and in output size
(``leger.child``), and podman never sees a LEGER_* variable. A value only ever
travels on the child's stdin: never in argv (visible in ``ps``) nor in a
temporary file. Podman's own text reaches the user only through ``safe_line``.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from leger.child import ChildOutputTooLarge, ChildResult, ChildTimedOut, child_env, run_bounded
from leger.errors import PodmanError
from leger.terminal import safe_line

# `podman secret create --replace` appeared in Podman 4.7.0; Debian 12 ships 4.3.
REPLACE_SINCE = (4, 7)
# The `shell` secret driver appeared in Podman 3.3.0 (containers/common 0.41).
SHELL_DRIVER_SINCE = (3, 3)
INSTALL_HINT = (
    "Install Podman, e.g. on Debian or Ubuntu: sudo apt-get install podman\n"
    "Other systems: https://podman.io/docs/installation"
)
# Podman's inspect JSON is about 500 bytes a secret: room for tens of thousands.
_OUTPUT_LIMIT = 32 * 1024 * 1024
_ERROR_LIMIT = 64 * 1024
_VERSION = re.compile(r"(\d+)\.(\d+)")
# `podman secret create` wants 1..511999 bytes on stdin even when the shell
# driver's `store` throws them away; these are what a curious `store` would see.
SHELL_PLACEHOLDER = b"(not stored: the lookup command prints the value)\n"


Runner = Callable[..., ChildResult]


@dataclass(frozen=True)
class PodmanSecret:
    """One secret in Podman's store: ID, name, labels and driver (never its value).

    ``driver`` is ``file`` (Podman keeps the value) or ``shell`` (its
    ``driver_options`` say how the value is fetched); a secret moving from one
    to the other has to be removed and created again.
    """

    id: str
    name: str
    labels: Mapping[str, str]
    driver: str = "file"
    driver_options: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ShellDriver:
    """The four commands Podman's ``shell`` driver runs (``/bin/sh -c``) for one secret.

    Podman sets ``SECRET_ID`` (its own random ID, not the name) for ``lookup``,
    ``store`` and ``delete``; ``lookup`` prints the value, taken verbatim.
    """

    list: str
    lookup: str
    store: str
    delete: str

    @classmethod
    def for_lookup(cls, argv: Sequence[str]) -> ShellDriver:
        """Commands whose ``lookup`` runs ``argv`` and whose other three keep nothing.

        ``store`` discards its stdin and ``list`` prints nothing: the value
        stays with whatever ``argv`` asks. ``delete`` fails on an empty
        ``SECRET_ID``: a Podman bug (``create --replace``) calls it with one,
        and would otherwise delete an unrelated secret.
        """
        return cls(
            list="true",
            lookup=shlex.join(argv),
            store="cat >/dev/null",
            delete='[ -n "$SECRET_ID" ]',
        )

    def options(self) -> dict[str, str]:
        """The four commands by option name, as ``podman secret inspect`` shows them."""
        return {
            "list": self.list,
            "lookup": self.lookup,
            "store": self.store,
            "delete": self.delete,
        }


def supports_replace(version: str) -> bool:
    """Whether a Podman of ``version`` has ``secret create --replace`` (4.7 and later)."""
    return _at_least(version, REPLACE_SINCE)


def supports_shell_driver(version: str) -> bool:
    """Whether a Podman of ``version`` has the ``shell`` secret driver (3.3 and later)."""
    return _at_least(version, SHELL_DRIVER_SINCE)


def require_shell_driver(version: str) -> None:
    """PodmanError unless a Podman of ``version`` has the ``shell`` secret driver."""
    if not supports_shell_driver(version):
        since = ".".join(map(str, SHELL_DRIVER_SINCE))
        raise PodmanError(
            f"Podman {safe_line(version, 40)} has no shell secret driver: it needs Podman {since}"
            " or later",
            f"Upgrade Podman, or keep the values in Podman's own store with --driver file.\n"
            f"{INSTALL_HINT}",
        )


def driver_option(key: str, value: str) -> str:
    """``KEY=VALUE`` written so that ``podman secret create --driver-opts`` reads it back exactly.

    Podman reads the option as one ``key=value`` taken whole (after stripping
    every ``"`` at both ends) when it holds exactly one ``=``, and as a CSV
    record otherwise. So an entry with more ``=`` is CSV-quoted; one that would
    lose a final ``"``, or holds a line break or NUL, is a PodmanError.
    """
    entry = f"{key}={value}"
    if any(ch in value for ch in "\0\r\n"):
        raise PodmanError(f"Podman cannot store a {key} command that holds a line break or NUL")
    if entry.count("=") > 1:
        return '"' + entry.replace('"', '""') + '"'
    if entry.endswith('"'):
        raise PodmanError(f"Podman cannot store a {key} command that ends with '\"'")
    return entry


def _at_least(version: str, since: tuple[int, int]) -> bool:
    found = _VERSION.match(version)
    return found is not None and (int(found[1]), int(found[2])) >= since


class Podman:
    """The ``podman`` CLI of whoever runs leger (rootless for a user, rootful for root)."""

    def __init__(
        self,
        executable: str,
        *,
        timeout: float,
        env: Mapping[str, str] | None = None,
        runner: Runner = run_bounded,
    ) -> None:
        self.executable = executable
        self.timeout = timeout
        self.env = env
        self._runner = runner

    @classmethod
    def locate(cls, *, timeout: float, env: Mapping[str, str] | None = None) -> Podman:
        """The ``podman`` on PATH, or PodmanError saying how to install it."""
        path = (os.environ if env is None else env).get("PATH")
        executable = shutil.which("podman", path=path)
        if executable is None:
            raise PodmanError("Podman is not installed: no podman command on PATH", INSTALL_HINT)
        return cls(executable, timeout=timeout, env=env)

    def version(self) -> str:
        """The client version from ``podman version`` (e.g. ``4.3.1``)."""
        answer = self._json("version", "--format", "json")
        client = answer.get("Client") if isinstance(answer, dict) else None
        version = client.get("Version") if isinstance(client, dict) else None
        if not isinstance(version, str) or not version:
            raise _unreadable("podman version")
        return version

    def list_secrets(self) -> list[PodmanSecret]:
        """Every secret in the store with its labels (``secret ls`` then one ``inspect``)."""
        ids = self._call("secret", "ls", "--quiet").decode("utf-8", "replace").split()
        if not ids:
            return []
        answer = self._json("secret", "inspect", "--", *ids)
        if not isinstance(answer, list):
            raise _unreadable("podman secret inspect")
        return [_secret(item) for item in answer]

    def create(
        self, name: str, value: bytes, labels: Mapping[str, str], *, replace: bool = False
    ) -> str:
        """Create secret ``name`` (``replace``: over the existing one); its new ID.

        The value goes to podman on stdin, exactly.
        """
        options = _label_options(labels)
        if replace:
            options.append("--replace")
        out = self._call("secret", "create", *options, "--", name, "-", stdin=value)
        return out.decode("utf-8", "replace").strip()

    def create_shell(self, name: str, labels: Mapping[str, str], driver: ShellDriver) -> str:
        """Create secret ``name`` kept by the ``shell`` driver with ``driver``'s commands; its ID.

        No value is sent: Podman gets a placeholder, which ``store`` should
        discard. Never ``--replace`` (it can make Podman run ``delete`` with an
        empty ``SECRET_ID``): remove the old secret first.
        """
        options = [*_label_options(labels), "--driver", "shell"]
        for key, command in driver.options().items():
            options += ["--driver-opts", driver_option(key, command)]
        out = self._call("secret", "create", *options, "--", name, "-", stdin=SHELL_PLACEHOLDER)
        return out.decode("utf-8", "replace").strip()

    def remove(self, secret_id: str) -> None:
        """Remove the secret with this ID."""
        self._call("secret", "rm", "--", secret_id)

    def _json(self, *args: str) -> Any:
        out = self._call(*args)
        try:
            return json.loads(out)
        except ValueError:
            raise _unreadable(f"podman {args[0]}") from None

    def _call(self, *args: str, stdin: bytes = b"") -> bytes:
        command = " ".join(["podman", *args[:2]]) if args[0] == "secret" else f"podman {args[0]}"
        try:
            done = self._runner(
                [self.executable, *args],
                stdin=stdin,
                timeout=self.timeout,
                stdout_limit=_OUTPUT_LIMIT,
                stderr_limit=_ERROR_LIMIT,
                env=None if self.env is None else child_env(self.env),
            )
        except ChildTimedOut:
            raise PodmanError(f"{command} did not finish within {self.timeout:g} s") from None
        except ChildOutputTooLarge as error:
            raise PodmanError(
                f"{command} printed more than {error.limit} bytes on {error.stream}"
            ) from None
        except OSError as error:
            raise PodmanError(
                f"Cannot run {safe_line(self.executable)}: {error.strerror or error}",
                INSTALL_HINT,
            ) from None
        if done.returncode != 0:
            raise PodmanError(f"{command} failed: {podman_complaint(done)}")
        return done.stdout


def podman_complaint(done: ChildResult) -> str:
    """The line of podman's stderr that says what went wrong, made safe to show.

    Rootless podman prints warnings before the error, so its ``Error:`` line wins.
    """
    text = done.stderr.decode("utf-8", "replace")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line.removeprefix("Error: ") for line in lines if line.startswith("Error:")]
    said = errors[-1] if errors else (lines[-1] if lines else f"exit status {done.returncode}")
    return safe_line(said, 300)


def _secret(item: object) -> PodmanSecret:
    spec = item.get("Spec") if isinstance(item, dict) else None
    secret_id = item.get("ID") if isinstance(item, dict) else None
    name = spec.get("Name") if isinstance(spec, dict) else None
    labels = (spec.get("Labels") if isinstance(spec, dict) else None) or {}
    driver = spec.get("Driver") if isinstance(spec, dict) else None
    driver_name = driver.get("Name") if isinstance(driver, dict) else None
    options = (driver.get("Options") if isinstance(driver, dict) else None) or {}
    if not (
        isinstance(secret_id, str)
        and isinstance(name, str)
        and isinstance(labels, dict)
        and isinstance(driver_name, str)
        and isinstance(options, dict)
    ):
        raise _unreadable("podman secret inspect")
    return PodmanSecret(secret_id, name, _strings(labels), driver_name, _strings(options))


def _label_options(labels: Mapping[str, str]) -> list[str]:
    return [f"--label={key}={text}" for key, text in labels.items()]


def _strings(mapping: dict[Any, Any]) -> dict[str, str]:
    return {str(key): str(text) for key, text in mapping.items()}


def _unreadable(command: str) -> PodmanError:
    return PodmanError(f"Cannot read what {command} printed (an unsupported Podman version?)")
