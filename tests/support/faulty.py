"""A loopback HTTP server that misbehaves on purpose, down to the byte.

Built on raw sockets and threads (not ``http.server``) so that a test can send
anything at all: a status line and no body, half a body, a body that never
ends, bytes that are not HTTP, or nothing ever. Each connection reads one
request, records it, and hands the socket to the next ``Fault`` of the script
(the last one repeats), so "503 twice, then 200" is ``[status(503), status(503),
json_ok(...)]``.

Every blocking fault ends when the server stops: ``faulty_server()`` always
unblocks and joins its threads, so a failed test never leaves one behind.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Received:
    """One request as it arrived on the wire."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    raw: bytes


@dataclass
class Conn:
    """What a fault gets: the socket, the request, and the server's stop signal."""

    sock: socket.socket
    request: Received
    stopping: threading.Event

    def send(self, data: bytes) -> None:
        """Send all of ``data``; a client that went away is not an error here."""
        with contextlib.suppress(OSError):
            self.sock.sendall(data)

    def wait(self, seconds: float | None = None) -> bool:
        """Sleep up to ``seconds`` (forever when None); True if the server is stopping."""
        return self.stopping.wait(seconds)


Fault = Callable[[Conn], None]


@dataclass
class FaultyServer:
    """The base URL, the script of faults and every request received so far."""

    script: list[Fault]
    url: str = ""
    requests: list[Received] = field(default_factory=list)
    connections: int = 0

    def next_fault(self) -> Fault:
        index = min(len(self.requests) - 1, len(self.script) - 1)
        return self.script[index]


@contextlib.contextmanager
def faulty_server(*script: Fault) -> Iterator[FaultyServer]:
    """Serve ``script`` on a free loopback port until the block ends."""
    assert script, "give at least one fault"
    server = FaultyServer(list(script))
    stopping = threading.Event()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(32)
    listener.settimeout(0.1)
    server.url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    lock = threading.Lock()
    workers: list[threading.Thread] = []
    open_socks: list[socket.socket] = []

    def serve(sock: socket.socket) -> None:
        try:
            request = _read_request(sock, stopping)
            if request is None:
                return
            with lock:
                server.requests.append(request)
                fault = server.next_fault()
            fault(Conn(sock, request, stopping))
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def accept_loop() -> None:
        while not stopping.is_set():
            try:
                sock, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            sock.settimeout(None)
            with lock:
                server.connections += 1
                open_socks.append(sock)
            worker = threading.Thread(target=serve, args=(sock,), daemon=True)
            workers.append(worker)
            worker.start()

    acceptor = threading.Thread(target=accept_loop, daemon=True)
    acceptor.start()
    try:
        yield server
    finally:
        stopping.set()
        acceptor.join(timeout=5)
        listener.close()
        for sock in open_socks:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for worker in workers:
            worker.join(timeout=5)


def _read_request(sock: socket.socket, stopping: threading.Event) -> Received | None:
    sock.settimeout(0.2)
    data = b""
    while b"\r\n\r\n" not in data:
        if stopping.is_set() or len(data) > 1024 * 1024:
            return None
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            continue
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _version = ([*lines[0].split(" ", 2), "", ""])[:3]
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length") or 0)
    while len(body) < length and not stopping.is_set():
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            continue
        if not chunk:
            break
        body += chunk
    sock.settimeout(None)
    return Received(method, path, headers, body, head + b"\r\n\r\n" + body)


# --- building blocks ------------------------------------------------------------

REASONS = {
    200: "OK",
    201: "Created",
    301: "Moved Permanently",
    302: "Found",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    400: "Bad Request",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def head(status: int, headers: Sequence[tuple[str, str]] = ()) -> bytes:
    """A status line and headers, with the blank line that ends them."""
    lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Whatever')}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def respond(
    status: int,
    body: bytes = b"",
    content_type: str | None = "application/json",
    headers: Sequence[tuple[str, str]] = (),
) -> Fault:
    """A complete, well-formed response."""
    all_headers = [("Content-Length", str(len(body))), *headers]
    if content_type is not None:
        all_headers.insert(0, ("Content-Type", content_type))

    def fault(conn: Conn) -> None:
        conn.send(head(status, all_headers) + body)

    return fault


def json_response(status: int, payload: Any, headers: Sequence[tuple[str, str]] = ()) -> Fault:
    """A complete JSON response."""
    return respond(status, json.dumps(payload).encode(), headers=headers)


def hang() -> Fault:
    """Accept and read the request, then never answer."""

    def fault(conn: Conn) -> None:
        conn.wait()

    return fault


def slow(seconds: float, then: Fault) -> Fault:
    """Answer with ``then`` after ``seconds`` of silence."""

    def fault(conn: Conn) -> None:
        if not conn.wait(seconds):
            then(conn)

    return fault


def truncated(status: int, body: bytes, declared: int) -> Fault:
    """Announce ``declared`` bytes of body, send ``body``, close the connection."""
    assert declared > len(body)

    def fault(conn: Conn) -> None:
        conn.send(
            head(status, [("Content-Type", "application/json"), ("Content-Length", str(declared))])
            + body
        )

    return fault


def drip_body(status: int, every: float, piece: bytes = b" ") -> Fault:
    """Headers at once, then a never-ending body, ``piece`` every ``every`` seconds."""

    def fault(conn: Conn) -> None:
        conn.send(
            head(status, [("Content-Type", "application/json"), ("Content-Length", "1000000")])
        )
        conn.send(b'{"success": true, "data": ')
        while not conn.wait(every):
            conn.send(piece)

    return fault


def drip_headers(every: float) -> Fault:
    """A status line, then one more header line every ``every`` seconds, forever."""

    def fault(conn: Conn) -> None:
        conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
        count = 0
        while not conn.wait(every):
            count += 1
            conn.send(f"X-Drip-{count}: {'x' * 8}\r\n".encode())

    return fault


def endless_chunked(status: int = 200, piece: bytes = b"[" * 4096) -> Fault:
    """A chunked body that never ends, sent as fast as the client reads it."""

    def fault(conn: Conn) -> None:
        conn.send(
            head(status, [("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")])
        )
        chunk = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
        while not conn.stopping.is_set():
            try:
                conn.sock.sendall(chunk)
            except OSError:
                return
            time.sleep(0.001)

    return fault


def huge_body(size: int, declare_length: bool) -> Fault:
    """A JSON-ish body of ``size`` bytes, with or without a Content-Length."""
    block = b" " * 65536

    def fault(conn: Conn) -> None:
        if declare_length:
            conn.send(
                head(200, [("Content-Type", "application/json"), ("Content-Length", str(size))])
            )
            sent = 0
            while sent < size and not conn.stopping.is_set():
                try:
                    conn.sock.sendall(block[: size - sent])
                except OSError:
                    return
                sent += len(block)
            return
        conn.send(
            head(200, [("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")])
        )
        sent = 0
        chunk = f"{len(block):x}\r\n".encode() + block + b"\r\n"
        while sent < size and not conn.stopping.is_set():
            try:
                conn.sock.sendall(chunk)
            except OSError:
                return
            sent += len(block)
        conn.send(b"0\r\n\r\n")

    return fault


def raw(data: bytes) -> Fault:
    """Send ``data`` as it is (not necessarily HTTP) and close."""
    return lambda conn: conn.send(data)


def echo_request() -> Fault:
    """Send the request's own bytes back: a misconfigured URL pointing at an echo service."""
    return lambda conn: conn.send(conn.request.raw)


def echo_in_error(status: int) -> Fault:
    """An error envelope whose message quotes the request's credentials and body."""

    def fault(conn: Conn) -> None:
        quoted = f"{conn.request.headers.get('authorization')} sent {conn.request.body!r}"
        try:
            body = json.loads(conn.request.body or b"{}")
            value = body.get("value") if isinstance(body, dict) else None
        except ValueError:
            value = None
        message = f"refused: {value} ({quoted})"
        json_response(status, {"success": False, "error": {"code": "bad", "message": message}})(
            conn
        )

    return fault


def close_at_once() -> Fault:
    """Close the connection without a byte of answer."""
    return lambda conn: None


def reset() -> Fault:
    """Abort the connection with a TCP RST."""

    def fault(conn: Conn) -> None:
        conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.sock.close()

    return fault
