"""A response body as JSON (leger/api/body.py): bounded in what it may cost.

Too many JSON values are refused before parsing; a small compressed answer
cannot cost much memory (measured in a fresh process), while the largest list
leger accepts stays under the same bound.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pytest

from leger.api.body import MAX_JSON_VALUES
from leger.errors import UnexpectedResponse
from tests.support import wire
from tests.support.api import MockServer, answer
from tests.support.faulty import faulty_server, respond


def test_an_answer_of_too_many_json_values_is_refused_before_parsing() -> None:
    items = "{}," * (MAX_JSON_VALUES + 1)
    body = f'{{"success": true, "data": {{"secrets": [{items}{{}}], "total_count": 0}}}}'
    with (
        MockServer(lambda request: answer(200, content=body.encode())).client() as client,
        pytest.raises(UnexpectedResponse, match="JSON values"),
    ):
        client.list_secrets()


def test_commas_inside_strings_do_not_count() -> None:
    value = "," * 10_000
    secrets = [
        {
            "name": f"k{i}",
            "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z",
            "version": 1,
        }
        for i in range(3)
    ]
    body = {"success": True, "data": {"secrets": secrets, "total_count": 3, "note": value * 50}}
    with MockServer(lambda request: answer(200, body)).client() as client:
        assert [s.name for s in client.list_secrets()] == ["k0", "k1", "k2"]


# The peak is this process's own VmHWM: getrusage's ru_maxrss would also count the
# parent's memory at fork (Linux keeps it across exec), i.e. the test runner's.
MEMORY_PROBE = """
import re, sys
from leger.api.client import LegerClient
from leger.api.secrets_v01 import V01Secrets
from leger.errors import LegerError
try:
    V01Secrets(LegerClient(sys.argv[1], timeout=30, token="t0ken")).list_secrets()
except LegerError as error:
    print(type(error).__name__)
with open("/proc/self/status") as status:
    print(int(re.search(r"VmHWM:\\s+(\\d+) kB", status.read())[1]) // 1024)
"""


def peak_mib_of_a_list_answering(body: bytes) -> tuple[str, int]:
    """What ``list_secrets`` did with ``body`` (gzipped) in a fresh process, and its peak MiB."""
    compressed = gzip.compress(body, 9)
    fault = respond(200, compressed, headers=[("Content-Encoding", "gzip")])
    with faulty_server(fault) as server:
        probe = subprocess.run(
            [sys.executable, "-c", MEMORY_PROBE, server.url],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    lines = probe.stdout.split()
    assert len(lines) in (1, 2), probe.stderr
    return (lines[0] if len(lines) == 2 else "accepted"), int(lines[-1])


@pytest.mark.parametrize("piece", [b"{},", b'"ab",', b"[],"])
def test_a_small_compressed_answer_cannot_cost_much_memory(piece: bytes) -> None:
    # 32 KB of gzip that expands to ~30 MB of tiny JSON values: about 900 MB once parsed.
    items = piece * (30 * 1024 * 1024 // len(piece))
    body = b'{"success": true, "data": {"secrets": [' + items + b'{}], "total_count": 0}}'
    assert len(gzip.compress(body, 9)) < 200_000
    kind, peak_mib = peak_mib_of_a_list_answering(body)
    assert kind == "UnexpectedResponse"
    assert peak_mib < 300, f"peak {peak_mib} MiB"


def test_the_largest_list_leger_accepts_stays_under_the_memory_bound_too() -> None:
    # 75,000 secrets: just under MAX_JSON_VALUES, accepted and turned into models.
    rows = [wire.row(f"secret_{i:06d}", version=7) for i in range(75_000)]
    body = json.dumps(wire.V01.list_answer(rows)[1]).encode()
    kind, peak_mib = peak_mib_of_a_list_answering(body)
    assert kind == "accepted"
    assert peak_mib < 300, f"peak {peak_mib} MiB"
