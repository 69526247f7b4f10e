"""Serve a loopback ``http.server`` in a thread for the length of a block.

``serve_forever`` notices a shutdown only between polls, every half second by
default, so each server a test stopped cost it up to 0.5 s of waiting. Polled
every 10 ms, stopping one is immediate; the servers of the tests all use this.
"""

from __future__ import annotations

import contextlib
import socketserver
import threading
from collections.abc import Iterator

POLL = 0.01  # seconds between serve_forever's looks at whether to stop


@contextlib.contextmanager
def serving(server: socketserver.BaseServer) -> Iterator[None]:
    """Run ``server`` until the block ends, then stop and close it (always)."""
    thread = threading.Thread(target=server.serve_forever, args=(POLL,), daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
