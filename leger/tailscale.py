"""Who the user is, read from ``tailscale status --json``.

Tailscale ids are int64 and can exceed 2**53, so ``UserID`` is kept as Python's
exact integer and sent as its decimal string. Every way the command can fail
gets its own message and hint; the caller sends nothing to leger.run then.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from typing import Any

from leger.child import ChildOutputTooLarge, ChildTimedOut, run_bounded
from leger.errors import TailscaleError
from leger.terminal import safe_line

# A status lists every peer (about 1.5 KiB each): 8 MiB is thousands of devices,
# far more than a user's tailnet shows them, yet bounded.
STATUS_LIMIT = 8 * 1024 * 1024
# Enough for any message tailscale prints; only its first line is shown.
STDERR_LIMIT = 64 * 1024

_STATE_ADVICE = {
    "NeedsLogin": ("Tailscale is not logged in", "Log in to Tailscale:\n  sudo tailscale up"),
    "Stopped": ("Tailscale is stopped", "Start Tailscale:\n  sudo tailscale up"),
    "NeedsMachineAuth": (
        "This device is waiting for approval by your tailnet's admin",
        "Ask an admin to approve it in the Tailscale admin console, then try again.",
    ),
    "Starting": ("Tailscale is still starting", "Wait a moment, then try again."),
    "NoState": ("Tailscale is still starting", "Wait a moment, then try again."),
}


@dataclass(frozen=True)
class Identity:
    """The five fields ``POST /auth/cli`` needs."""

    user_id: str
    login_name: str
    device_id: str
    device_hostname: str
    tailnet: str


def read_identity(timeout: float) -> Identity:
    """Run the ``tailscale`` on PATH and return the logged-in identity."""
    executable = shutil.which("tailscale")
    if executable is None:
        raise TailscaleError(
            "Tailscale not running: the tailscale command is not installed",
            hint="Install Tailscale (https://tailscale.com/download), then:\n  sudo tailscale up",
        )
    try:
        result = run_bounded(
            [executable, "status", "--json"],
            timeout=timeout,
            stdout_limit=STATUS_LIMIT,
            stderr_limit=STDERR_LIMIT,
        )
    except ChildTimedOut:
        raise TailscaleError(
            f"Tailscale did not answer within {timeout:g} s (tailscaled may be stuck)",
            hint="Check: tailscale status\nRestart it: sudo systemctl restart tailscaled",
        ) from None
    except ChildOutputTooLarge as exc:
        raise _unreadable(f"its {exc.stream} is larger than {exc.limit // 1024} KiB") from None
    except OSError as exc:
        raise TailscaleError(
            f"Cannot run {safe_line(executable, 200)}: {exc.strerror or type(exc).__name__}"
        ) from None
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise TailscaleError(
            "Tailscale not running: "
            + (safe_line(detail[0], 200) if detail else f"exit {result.returncode}"),
            hint="Start Tailscale:\n  sudo tailscale up\n\nVerify status:\n  tailscale status",
        )
    return parse_status(result.stdout)


def parse_status(output: bytes) -> Identity:
    """Map ``tailscale status --json`` output to an ``Identity``, or explain what is wrong."""
    try:
        status = json.loads(output)
    except ValueError:
        raise _unreadable("its output is not JSON") from None
    except RecursionError:
        raise _unreadable("its output is nested too deeply") from None
    if not isinstance(status, dict):
        raise _unreadable("its output is not a JSON object")
    state = _field(status, "BackendState", str)
    if state != "Running":
        message, hint = _STATE_ADVICE.get(
            state,
            (
                f"Tailscale is not connected (state: {safe_line(state, 60)})",
                "Check: tailscale status",
            ),
        )
        raise TailscaleError(message, hint=hint)
    me = _field(status, "Self", dict)
    user_id = _field(me, "UserID", int, "Self.UserID")
    if isinstance(user_id, bool) or user_id <= 0:
        raise _unreadable("Self.UserID is not a user id")
    users = _field(status, "User", dict)
    user = _field(users, str(user_id), dict, f"User[{user_id}]")
    tailnet = _field(status, "CurrentTailnet", dict)
    return Identity(
        user_id=str(user_id),
        login_name=_text(user, "LoginName", f"User[{user_id}].LoginName"),
        device_id=_text(me, "ID", "Self.ID"),
        device_hostname=_text(me, "HostName", "Self.HostName"),
        tailnet=_text(tailnet, "Name", "CurrentTailnet.Name"),
    )


def _field(obj: dict[str, Any], key: str, kind: type, label: str | None = None) -> Any:
    value = obj.get(key)
    if not isinstance(value, kind):
        raise _unreadable(f"{label or key} is missing")
    return value


def _text(obj: dict[str, Any], key: str, label: str) -> str:
    value: str = _field(obj, key, str, label)
    if not value.strip():
        raise _unreadable(f"{label} is empty")
    return value


def _unreadable(problem: str) -> TailscaleError:
    return TailscaleError(
        f"Cannot read the Tailscale identity: {problem} in `tailscale status --json`",
        hint="Check Tailscale with: tailscale status\nAn update may help: tailscale update",
    )
