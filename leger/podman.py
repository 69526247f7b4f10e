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
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from leger.child import ChildOutputTooLarge, ChildResult, ChildTimedOut, child_env, run_bounded
from leger.errors import PodmanError
from leger.terminal import safe_line

# `podman secret create --replace` appeared in Podman 4.7.0; Debian 12 ships 4.3.
REPLACE_SINCE = (4, 7)
INSTALL_HINT = (
    "Install Podman, e.g. on Debian or Ubuntu: sudo apt-get install podman\n"
    "Other systems: https://podman.io/docs/installation"
)
# Podman's inspect JSON is about 500 bytes a secret: room for tens of thousands.
_OUTPUT_LIMIT = 32 * 1024 * 1024
_ERROR_LIMIT = 64 * 1024
_VERSION = re.compile(r"(\d+)\.(\d+)")


Runner = Callable[..., ChildResult]


@dataclass(frozen=True)
class PodmanSecret:
    """One secret in Podman's store: its ID, name and labels (never its value)."""

    id: str
    name: str
    labels: Mapping[str, str]


def supports_replace(version: str) -> bool:
    """Whether a Podman of ``version`` has ``secret create --replace`` (4.7 and later)."""
    found = _VERSION.match(version)
    return found is not None and (int(found[1]), int(found[2])) >= REPLACE_SINCE


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
        options = [f"--label={key}={text}" for key, text in labels.items()]
        if replace:
            options.append("--replace")
        out = self._call("secret", "create", *options, "--", name, "-", stdin=value)
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
    if not isinstance(secret_id, str) or not isinstance(name, str) or not isinstance(labels, dict):
        raise _unreadable("podman secret inspect")
    return PodmanSecret(secret_id, name, {str(key): str(text) for key, text in labels.items()})


def _unreadable(command: str) -> PodmanError:
    return PodmanError(f"Cannot read what {command} printed (an unsupported Podman version?)")
