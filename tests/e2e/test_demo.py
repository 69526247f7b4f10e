"""The newcomer's demo (``scripts/demo.py``, what ``scripts/demo`` runs after setup).

Runs it as a subprocess, as a user would, and checks that every step of the
session did what it shows (a step that failed unexpectedly still leaves the demo
exiting 0, so its transcript is what must be checked), and that it stopped the
backend and the Prism proxy it started. Its processes are found by a marker in
their environment (inherited from the demo), so other servers running on this
machine (other tests, a developer's backend) neither hide a leak nor fake one.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from devtools.processes import REPO

DEMO = REPO / "scripts" / "demo.py"


PYTHON = REPO / ".venv" / "bin" / "python"


TIMEOUT = 240.0


MARKER = "LEGER_DEMO_TEST_MARKER"


# Non-zero exits the demo shows on purpose, and what each must say.
DELIBERATE_FAILURES = {
    4: ("Not authenticated",),
    2: ("Refusing to delete", "--force"),
    1: ("not found",),
}


@dataclass
class Step:
    """One ``$ command`` of the transcript: what it printed and its exit code."""

    command: str
    output: str
    exit_code: int


def parse_steps(transcript: str) -> list[Step]:
    """The ``$ ...`` blocks, each ended by ``  (exit N)``."""
    pattern = re.compile(
        r"^\$ (?P<command>[^\n]*)\n(?P<output>.*?)^  \(exit (?P<code>-?\d+)\)$", re.M | re.S
    )
    return [Step(m["command"], m["output"], int(m["code"])) for m in pattern.finditer(transcript)]


def marked_processes(marker: str) -> dict[int, str]:
    """pid -> command line of every process whose environment carries ``marker``."""
    needle = f"{MARKER}={marker}".encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # gone, or not ours
            continue
        if needle in environ:
            found[int(entry.name)] = cmdline.strip()
    return found


def accepts_connections(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class Demo:
    """``scripts/demo.py`` running, its stdout collected line by line."""

    def __init__(self, marker: str) -> None:
        env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            MARKER: marker,
            # A user's own settings must not leak into the demo's session.
            "LEGER_TOKEN": "not-a-token-from-the-users-shell",
            "LEGER_API_URL": "http://127.0.0.1:9",
        }
        self.proc = subprocess.Popen(
            [str(PYTHON if PYTHON.exists() else sys.executable), str(DEMO)],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self.first_command = threading.Event()
        self.stderr = b""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._err_reader = threading.Thread(target=self._read_err, daemon=True)
        self._err_reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", "replace")
            self.lines.append(line)
            if line.startswith("$ "):
                self.first_command.set()
        self.first_command.set()

    def _read_err(self) -> None:
        assert self.proc.stderr is not None
        self.stderr = self.proc.stderr.read()

    def finish(self, timeout: float) -> int:
        code = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=10)
        self._err_reader.join(timeout=10)
        return code

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    @property
    def transcript(self) -> str:
        return "".join(self.lines)


def test_the_demo_shows_a_working_session_and_stops_what_it_started():
    marker = uuid.uuid4().hex
    demo = Demo(marker)
    try:
        # While the session runs, its backend and proxy are there (and the marker finds them).
        assert demo.first_command.wait(TIMEOUT), "the demo printed no command"
        during = marked_processes(marker)
        code = demo.finish(TIMEOUT)
    finally:
        if demo.proc.poll() is None:
            demo.kill()
        leftovers = marked_processes(marker)
        for pid in leftovers:  # started by this test: stop them whatever happens
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    transcript = demo.transcript
    stderr = demo.stderr.decode("utf-8", "replace")
    assert code == 0, f"exit {code}\n{transcript}\n{stderr}"
    assert stderr == ""

    # --- the processes: seen while running, gone afterwards -----------------------------------
    backends = [cmd for cmd in during.values() if "devtools.leger_backend" in cmd]
    prisms = [cmd for cmd in during.values() if "prism" in cmd and " proxy " in f" {cmd} "]
    assert backends, during
    assert prisms, during
    assert leftovers == {}, f"the demo left processes running: {leftovers}"
    ports = {int(p) for cmd in backends for p in re.findall(r"--port (\d+)", cmd)}
    ports |= {int(p) for p in re.findall(r"http://127\.0\.0\.1:(\d+)", transcript)}
    assert ports
    for port in ports:
        assert not accepts_connections(port), f"something still listens on port {port}"
    assert transcript.rstrip().endswith("Stopped the backend and the proxy.")

    # --- the transcript: every step did what it shows --------------------------------------------
    assert "stand-in" in transcript.split("$ ", 1)[0]  # the fake tailscale is labelled
    steps = parse_steps(transcript)
    assert len(steps) == transcript.count("\n$ "), transcript
    for step in steps:
        assert "Error: unexpected" not in step.output, step
        assert "leger.run failed" not in step.output, step  # Prism's 500 for a violation
        assert "rejected the token" not in step.output, step
        assert "Rate limited" not in step.output, step
        if step.exit_code != 0:
            expected = DELIBERATE_FAILURES.get(step.exit_code)
            assert expected, f"unexpected exit {step.exit_code}:\n{step}"
            assert all(text in step.output for text in expected), step

    def only(command: str) -> Step:
        matching = [step for step in steps if step.command == command]
        assert matching, f"no step `{command}` in:\n{transcript}"
        return matching[0]

    login = only("leger auth login")
    assert login.exit_code == 0
    assert login.output.startswith("Authenticated as alice@example.com\n"), login
    # The demo runs against what leger.run deploys, and says so.
    assert "REST form" in transcript.split("$ ", 1)[0]
    assert "(REST routes)" in login.output, login

    status_index = steps.index(login) + 1
    assert steps[status_index].command == "leger auth status"
    assert steps[status_index].exit_code == 0
    assert "User: alice@example.com" in steps[status_index].output

    # Replay the session against a model of the (initially empty) store: every set
    # says created or updated with the next version, list shows exactly the model,
    # get returns the value last set, and a deleted secret is not found.
    model: dict[str, int] = {}
    values: dict[str, str] = {}
    seen = {"update": 0, "delete": 0, "not found": 0, "table": 0}
    for step in steps:
        words = step.command.split()
        if "|" in words:
            words = words[words.index("|") + 1 :]
        words = words[: words.index("#")] if "#" in words else words
        if step.exit_code != 0:
            if words[:3] == ["leger", "secrets", "get"]:
                assert words[3] not in model, step
                assert f'Error: Secret "{words[3]}" not found' in step.output, step
                seen["not found"] += 1
            continue
        if words[:3] == ["leger", "secrets", "set"]:
            name = words[3]
            version = model.get(name, 0) + 1
            word = "created" if version == 1 else "updated"
            assert step.output.startswith(f"Secret {word}\n  Name: {name}\n"), step
            assert f"  Version: {version}\n" in step.output, step
            seen["update"] += version > 1
            model[name] = version
            values.pop(name, None)
            if words[4:] and words[4] != "-":
                values[name] = words[4]
                assert values[name] not in step.output  # the value is never echoed
        elif words[:3] == ["leger", "secrets", "get"]:
            assert words[3] in model, step
            assert step.output.endswith("   <- (no trailing newline)\n"), step
            if words[3] in values:
                assert step.output == f"{values[words[3]]}   <- (no trailing newline)\n", step
        elif words[:3] == ["leger", "secrets", "delete"]:
            assert step.output.startswith(f"Secret {words[3]} deleted\n"), step
            del model[words[3]]
            seen["delete"] += 1
        elif words == ["leger", "secrets", "list", "--json"]:
            rows = json.loads(step.output)
            assert {row["name"]: row["version"] for row in rows} == model, step
        elif words == ["leger", "secrets", "list"]:
            if not model:
                assert step.output.startswith("No secrets configured\n"), step
                continue
            rows = [line.split() for line in step.output.splitlines() if line.strip()]
            assert rows[0] == ["Name", "Created", "Updated", "Version"], step
            assert {row[0]: int(row[3]) for row in rows[1:-1]} == model, step
            assert rows[-1] == [
                "Total:",
                str(len(model)),
                "secrets" if len(model) > 1 else "secret",
            ]
            seen["table"] += 1
    assert all(seen.values()), f"the demo never shows some of the flow: {seen}"

    logout = only("leger auth logout")
    assert logout.exit_code == 0
    assert logout.output.startswith("Logged out\n"), logout


def test_parse_steps_reads_a_transcript():
    # The parser the demo test relies on, on a known transcript.
    transcript = (
        "intro\n$ leger --version\nleger 0.1.0\n\n  (exit 0)\n\n"
        "$ leger secrets get k\n  [stderr] Error: x\n  (exit 1)\n\nStopped.\n"
    )
    assert parse_steps(transcript) == [
        Step("leger --version", "leger 0.1.0\n\n", 0),
        Step("leger secrets get k", "  [stderr] Error: x\n", 1),
    ]
