"""A loopback front that makes a server of both route forms (the Prism mock) a v0.1 server.

The Prism mock answers every route of the contract, so it answers leger's
route-form probe (``GET /secrets``) as a REST server would. A v0.1 server has
no such route: this front answers that one request 404, as a v0.1 server does,
and passes every other request (headers and body as sent, ``Prefer`` included)
to the server behind it, and its answer back.
"""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from tests.support import wire
from tests.support.serving import serving

# Hop-by-hop headers, and the length the front sets itself.
_NOT_RELAYED = {"connection", "keep-alive", "transfer-encoding", "content-length"}


@contextmanager
def v01_front(upstream: str) -> Iterator[str]:
    """Serve the front for ``upstream`` (a loopback URL) until the block ends; its URL."""
    target = urlsplit(upstream)
    assert target.hostname == "127.0.0.1", "tests only ever talk to loopback"
    status, payload = wire.V01.probe_answer()
    not_a_route = wire.body_bytes(payload)

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.command == "GET" and self.path.split("?", 1)[0] == "/secrets":
                self._reply(status, [("Content-Type", "application/json")], not_a_route)
                return
            host = target.hostname
            assert host is not None, upstream
            connection = http.client.HTTPConnection(host, target.port, timeout=30)
            try:
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                connection.request(self.command, self.path, body=body or None, headers=headers)
                response = connection.getresponse()
                self._reply(response.status, response.getheaders(), response.read())
            finally:
                connection.close()

        def _reply(self, code: int, headers: list[tuple[str, str]], body: bytes) -> None:
            self.send_response(code)
            for name, value in headers:
                if name.lower() not in _NOT_RELAYED:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_DELETE = do_PUT = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with serving(server):
        yield f"http://127.0.0.1:{server.server_address[1]}"
