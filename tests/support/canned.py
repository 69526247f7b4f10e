"""A loopback HTTP server that answers every request with one canned response.

It records each request (method, path, headers, body), so a test can prove what
leger sent, or that it sent nothing at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.support.serving import serving


@dataclass
class Recorded:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Canned:
    """The response to give, and the requests received so far."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    url: str = ""

    def respond_json(self, status: int, payload: Any, **headers: str) -> None:
        """Answer with ``payload`` as JSON from now on."""
        self.status = status
        self.body = json.dumps(payload).encode()
        self.headers = {"Content-Type": "application/json", **headers}


@contextmanager
def canned_server() -> Iterator[Canned]:
    """Serve a ``Canned`` on a free loopback port until the block ends."""
    canned = Canned()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            canned.requests.append(
                Recorded(self.command, self.path, dict(self.headers), self.rfile.read(length))
            )
            self.send_response(canned.status)
            for name, value in canned.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(canned.body)))
            self.end_headers()
            self.wfile.write(canned.body)

        do_GET = do_POST = do_DELETE = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    canned.url = f"http://127.0.0.1:{server.server_address[1]}"
    with serving(server):
        yield canned
