"""A short, real leger session against the local backend, for a newcomer to watch.

Starts the local stand-in backend (devtools/leger_backend) serving the REST
form of the secret routes (what leger.run deploys) and, in front of it,
``prism proxy`` validating every request and response against the contract, both
on free loopback ports; runs the installed ``leger`` in a throw-away HOME with a
stand-in ``tailscale`` that prints a recorded ``tailscale status --json`` (no
real tailnet is involved); prints each command and what it printed; and stops
everything it started.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from devtools.processes import free_port, running  # noqa: E402

LEGER = Path(sys.executable).parent / "leger"
STANDIN_STATUS = REPO / "tests" / "data" / "tailscale" / "running.json"
PEM = (
    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    "b3BlbnNzaC1rZXktdjEAAAAAZGVtbyBrZXk=\n"
    "-----END OPENSSH PRIVATE KEY-----\n"
)

# (command, stdin, the exit code it must end with)
SESSION: list[tuple[str, bytes, int]] = [
    ("leger --version", b"", 0),
    ("leger auth status", b"", 4),
    ("leger auth login", b"", 0),
    ("leger auth status", b"", 0),
    ("leger secrets set openai_api_key sk-demo-abc123", b"", 0),
    ("leger secrets set ssh_key -", PEM.encode(), 0),
    ("leger secrets set openai_api_key sk-demo-rotated-456", b"", 0),
    ("leger secrets list", b"", 0),
    ("leger secrets get openai_api_key", b"", 0),
    ("leger secrets get ssh_key", b"", 0),
    ("leger secrets list --json", b"", 0),
    ("leger secrets delete openai_api_key", b"", 2),
    ("leger secrets delete openai_api_key --force", b"", 0),
    ("leger secrets get openai_api_key", b"", 1),
    ("leger auth logout", b"", 0),
    ("leger secrets list", b"", 4),
]


def main() -> int:
    """Run the session; exit 1 if any step ended with an exit code it should not have."""
    with ExitStack() as stack:
        home = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="leger-demo-")))
        backend_port, proxy_port = free_port(), free_port()
        backend_url = f"http://127.0.0.1:{backend_port}"
        proxy_url = f"http://127.0.0.1:{proxy_port}"
        backend = [
            *(sys.executable, "-m", "devtools.leger_backend"),
            *("--port", str(backend_port), "--routes", "rest"),
        ]
        prism = [
            str(REPO / "node_modules" / ".bin" / "prism"),
            *("proxy", "openapi/leger-api.yaml", backend_url, "--errors"),
            *("-h", "127.0.0.1", "-p", str(proxy_port)),
        ]
        print("Starting the local backend, speaking the REST form of the secret routes")
        print("(GET /secrets, GET|POST|DELETE /secrets/{name}: what leger.run deploys),")
        print("and a Prism proxy that validates every request and response against")
        print(f"openapi/leger-api.yaml ({proxy_url}) ...")
        print("leger finds out which form a server speaks when you log in.")
        stack.enter_context(running(backend, f"{backend_url}/health", log=home / "backend.log"))
        stack.enter_context(running(prism, f"{proxy_url}/secrets", log=home / "prism.log"))

        bin_dir = home / "bin"
        bin_dir.mkdir()
        standin = bin_dir / "tailscale"
        standin.write_text(
            f"#!/bin/sh\n# DEMO STAND-IN for tailscale\ncat {shlex.quote(str(STANDIN_STATUS))}\n"
        )
        standin.chmod(0o755)
        env = {
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "LEGER_API_URL": proxy_url,
            "LANG": "C.UTF-8",
        }
        print("tailscale is a stand-in that prints a recorded `tailscale status --json`")
        print("for alice@example.com; nothing leaves this machine.\n")
        surprises = [
            command for command, stdin, expected in SESSION if show(command, stdin, env) != expected
        ]
    print("Stopped the backend and the proxy.")
    for command in surprises:
        print(f"demo: UNEXPECTED exit code from: {command}", file=sys.stderr)
    return 1 if surprises else 0


def show(command: str, stdin: bytes, env: dict[str, str]) -> int:
    """Run one leger command, print it with its output and exit code; return the code."""
    argv = shlex.split(command)
    shown = (
        f"$ {command}"
        if not stdin
        else f"$ printf '...' | {command}    # {len(stdin)} bytes on stdin"
    )
    print(shown)
    result = subprocess.run(
        [str(LEGER), *argv[1:]], input=stdin, capture_output=True, env=env, timeout=60, check=False
    )
    out = result.stdout.decode("utf-8", "replace")
    if out:
        print(out if out.endswith("\n") else out + "   <- (no trailing newline)")
    err = result.stderr.decode("utf-8", "replace")
    if err:
        print("\n".join(f"  [stderr] {line}" for line in err.rstrip("\n").splitlines()))
    print(f"  (exit {result.returncode})\n")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
