"""HTTP glue: a threading ``http.server`` on loopback that hands requests to a ``Backend``.

Logs one line per request (method, path, status) to stderr; never a header or a
body, so neither tokens nor secret values reach the log.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from .app import Backend
from .wire import ApiError, Reply, Request, invalid_request

MAX_BODY = 1024 * 1024  # far above any valid request; bigger ones are refused unread


def require_loopback(host: str) -> str:
    """``host`` if it is a loopback IP literal (127.0.0.0/8 or ::1); else ``ValueError``."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f"{host!r} is not an IP address; use 127.0.0.1 or ::1") from None
    if not address.is_loopback:
        raise ValueError(f"{host} is not a loopback address; this backend only serves loopback")
    return host


class BackendServer(ThreadingHTTPServer):
    """A threading HTTP server bound to a loopback address, serving one ``Backend``."""

    daemon_threads = True

    def __init__(self, host: str, port: int, backend: Backend, *, quiet: bool = False) -> None:
        host = require_loopback(host)
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.backend = backend
        self.quiet = quiet
        super().__init__((host, port), Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host_text = f"[{host!s}]" if self.address_family == socket.AF_INET6 else str(host)
        return f"http://{host_text}:{port}"


class Handler(BaseHTTPRequestHandler):
    """Reads a request, asks the backend, writes the JSON reply."""

    protocol_version = "HTTP/1.1"
    server: BackendServer

    def _dispatch(self) -> None:
        try:
            body = self._read_body()
        except ApiError as error:
            self.close_connection = True
            self._send(error.reply())
            return
        target = urlsplit(self.path)
        headers = {name.lower(): value for name, value in self.headers.items()}
        request = Request(self.command, target.path, headers, body, target.query)
        self._send(self.server.backend.handle(request))

    def __getattr__(self, name: str) -> Any:
        # http.server looks up do_<METHOD>; every method goes to the backend, which
        # answers 405 (with Allow) on a v0.1 path and 404 elsewhere, never 501.
        if name.startswith("do_"):
            return self._dispatch
        raise AttributeError(name)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length = self.headers.get("Content-Length", "0").strip() or "0"
        if not length.isdigit():
            raise invalid_request("Content-Length is not a number.")
        if int(length) > MAX_BODY:
            raise invalid_request("Request body too large.")
        return self.rfile.read(int(length))

    def _read_chunked(self) -> bytes:
        body = bytearray()
        while True:
            size_text = self.rfile.readline(64).split(b";")[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                raise invalid_request("Malformed chunked body.") from None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return bytes(body)
            if len(body) + size > MAX_BODY:
                raise invalid_request("Request body too large.")
            body += self.rfile.read(size)
            self.rfile.readline(8)  # the CRLF after each chunk

    def _send(self, reply: Reply) -> None:
        data = json.dumps(reply.body, ensure_ascii=False).encode("utf-8")
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Protocol-level errors (bad request line, unknown method) as the JSON envelope too."""
        self.close_connection = True
        text = message or self.responses.get(code, ("Error",))[0]
        self._send(ApiError(code, "http_error", text).reply())

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.quiet:
            return
        method = getattr(self, "command", None) or "-"
        path = urlsplit(getattr(self, "path", "") or "").path or "-"
        status = args[1] if format == '"%s" %s %s' and len(args) > 1 else "error"
        sys.stderr.write(f"leger backend: {method} {path} -> {status}\n")
