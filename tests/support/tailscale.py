"""A stand-in ``tailscale`` command, for tests that run the real Tailscale reader.

``StandIn(bin_dir, scratch)`` writes ``bin_dir/tailscale``: ``mode`` installs one
of the canned behaviours (the fixtures in tests/data/tailscale, a missing
command, a stopped daemon, a hang, raw output), ``script`` any shell body.
Each canned run appends a line to ``calls``, so a test can tell whether
tailscale was asked at all.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

TAILSCALE_FIXTURES = Path(__file__).resolve().parents[1] / "data" / "tailscale"


def status_fixture(name: str = "running") -> dict[str, Any]:
    """The ``tailscale status --json`` of fixture ``name``, as data."""
    status: dict[str, Any] = json.loads((TAILSCALE_FIXTURES / f"{name}.json").read_text())
    return status


class StandIn:
    """The ``tailscale`` in ``bin_dir`` (which goes first on PATH); ``scratch`` holds its files."""

    def __init__(self, bin_dir: Path, scratch: Path) -> None:
        self.path = bin_dir / "tailscale"
        self.scratch = scratch
        self.calls = scratch / "tailscale-calls"

    def mode(self, mode: str) -> None:
        """Behave as ``mode``: a fixture name (running, needs-login, stopped), ``missing``,
        ``daemon-down``, ``hang``, or ``raw:<text>`` to print ``<text>``."""
        if mode == "missing":
            self.path.unlink(missing_ok=True)
            return
        record = f"echo called >> {shlex.quote(str(self.calls))}"
        if mode == "daemon-down":
            body = (
                "echo \"failed to connect to local tailscaled; it doesn't appear to be running"
                ' (sudo systemctl start tailscaled ?)" >&2\nexit 1'
            )
        elif mode == "hang":
            body = "exec sleep 60"
        elif mode.startswith("raw:"):
            raw = self.scratch / "tailscale-output"
            raw.write_text(mode[4:])
            body = f"cat {shlex.quote(str(raw))}"
        else:
            fixture = TAILSCALE_FIXTURES / f"{mode}.json"
            assert fixture.is_file(), fixture
            body = f"cat {shlex.quote(str(fixture))}"
        self.script(f"{record}\n{body}")

    def script(self, body: str) -> None:
        """Run the shell ``body``."""
        self.path.write_text(f"#!/bin/sh\n{body}\n")
        self.path.chmod(0o755)

    def prints(self, status: dict[str, Any]) -> None:
        """Print ``status`` as its JSON."""
        raw = self.scratch / "status.json"
        raw.write_text(json.dumps(status))
        self.script(f"cat {shlex.quote(str(raw))}")
