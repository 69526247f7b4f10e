"""``BoundedRetryTransport`` (leger/api/transport.py): bounded retries, deadlines and body limits.

Tests drive the transport with ``httpx.MockTransport`` and an injected ``sleep``
that only records, so no test waits for a backoff; a few use real sockets. The
whole command line against a server that fails, hangs or redirects is in
tests/cli/test_api_transport.py.
"""

from __future__ import annotations

import gzip
import json
import re
import time
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from leger.api.secrets_v01 import V01Secrets
from leger.api.transport import BoundedRetryTransport, parse_retry_after
from leger.errors import RateLimited, RequestTimeout, ServerError, TransportError
from tests.support import wire
from tests.support.api import BASE, answer, v01
from tests.support.faulty import drip_headers, faulty_server, json_response, respond

URL = "http://127.0.0.1:9"
Step = httpx.Response | Exception


class Script:
    """A MockTransport handler that plays ``steps`` in order (the last one repeats)."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.calls: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        step = self.steps[min(len(self.calls), len(self.steps)) - 1]
        if isinstance(step, Exception):
            raise step
        return step


def make(script: Script, **kwargs) -> tuple[BoundedRetryTransport, list[float], list[str]]:
    sleeps: list[float] = []
    retries: list[str] = []
    transport = BoundedRetryTransport(
        httpx.MockTransport(script),
        timeout=kwargs.pop("timeout", 5.0),
        sleep=sleeps.append,
        on_retry=lambda request, reason, wait: retries.append(reason),
        **kwargs,
    )
    return transport, sleeps, retries


def send(transport: BoundedRetryTransport, method: str = "GET", **kwargs) -> httpx.Response:
    return transport.handle_request(httpx.Request(method, f"{URL}/anything", **kwargs))


def status(code: int, **headers: str) -> httpx.Response:
    return httpx.Response(code, headers=headers, json={"success": False})


def ok() -> httpx.Response:
    return httpx.Response(200, json=wire.EMPTY_LIST)


# --- what is retried ---------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "DELETE"])
@pytest.mark.parametrize("code", [502, 503, 504])
def test_idempotent_requests_retry_gateway_errors(method, code):
    script = Script(status(code), status(code), ok())
    transport, sleeps, retries = make(script)
    assert send(transport, method).status_code == 200
    assert len(script.calls) == 3
    assert len(sleeps) == 2
    assert retries == [f"HTTP {code}", f"HTTP {code}"]


@pytest.mark.parametrize("method", ["GET", "DELETE"])
@pytest.mark.parametrize(
    "error", [httpx.ReadError("reset"), httpx.RemoteProtocolError("garbage"), httpx.WriteError("")]
)
def test_idempotent_requests_retry_dropped_connections(method, error):
    script = Script(error, ok())
    transport, _sleeps, retries = make(script)
    assert send(transport, method).status_code == 200
    assert len(script.calls) == 2
    assert retries == ["connection dropped"]


@pytest.mark.parametrize("code", [500, 502, 503, 504])
def test_post_is_not_retried_on_a_server_error(code):
    script = Script(status(code), ok())
    transport, sleeps, _ = make(script)
    assert send(transport, "POST", json={"name": "k", "value": "v"}).status_code == code
    assert len(script.calls) == 1
    assert sleeps == []


@pytest.mark.parametrize("error", [httpx.ReadError("reset"), httpx.RemoteProtocolError("bad")])
def test_post_is_not_retried_after_the_request_may_have_arrived(error):
    script = Script(error, ok())
    transport, sleeps, _ = make(script)
    with pytest.raises(type(error)):
        send(transport, "POST", json={"name": "k", "value": "v"})
    assert len(script.calls) == 1
    assert sleeps == []


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_any_method_is_retried_when_the_connection_was_refused(method):
    script = Script(httpx.ConnectError("refused"), ok())
    transport, _, retries = make(script)
    assert send(transport, method).status_code == 200
    assert len(script.calls) == 2
    assert retries == ["connection failed"]


@pytest.mark.parametrize("code", [400, 401, 403, 404, 500])
def test_other_statuses_are_answers_not_retried(code):
    script = Script(status(code), ok())
    transport, sleeps, _ = make(script)
    assert send(transport).status_code == code
    assert len(script.calls) == 1
    assert sleeps == []


@pytest.mark.parametrize(
    "error", [httpx.ReadTimeout("slow"), httpx.ConnectTimeout("slow"), httpx.WriteTimeout("slow")]
)
def test_a_timeout_is_not_retried_so_a_hung_server_costs_one_timeout(error):
    script = Script(error, ok())
    transport, _sleeps, _ = make(script)
    with pytest.raises(httpx.TimeoutException):
        send(transport)
    assert len(script.calls) == 1


# --- how many times, how long --------------------------------------------------------------


def test_at_most_three_attempts_then_the_last_answer():
    script = Script(status(503))
    transport, sleeps, _ = make(script)
    assert send(transport).status_code == 503
    assert len(script.calls) == 3
    assert len(sleeps) == 2


def test_at_most_three_attempts_then_the_last_error():
    script = Script(httpx.ConnectError("refused"))
    transport, sleeps, _ = make(script)
    with pytest.raises(httpx.ConnectError):
        send(transport)
    assert len(script.calls) == 3
    assert len(sleeps) == 2


def test_backoff_grows_exponentially(monkeypatch):
    # Full jitter picks a wait in [0, cap]; take the cap to see it double.
    monkeypatch.setattr("leger.api.transport.random.uniform", lambda low, high: high)
    transport, sleeps, _ = make(Script(status(503)), attempts=4, backoff=0.25)
    send(transport)
    assert sleeps == [0.25, 0.5, 1.0]


def test_backoff_is_jittered_within_its_cap():
    waits = []
    for _ in range(50):
        transport, sleeps, _ = make(Script(status(503)), backoff=0.25)
        send(transport)
        waits.append(sleeps)
    assert all(0 <= first <= 0.25 and 0 <= second <= 0.5 for first, second in waits)
    assert len({round(first, 6) for first, _ in waits}) > 10, "no jitter"


def test_the_real_sleep_bounds_the_total_time():
    # The worst case of retries alone: attempts-1 backoffs, each under its cap.
    script = Script(status(503))
    transport = BoundedRetryTransport(httpx.MockTransport(script), timeout=5, backoff=0.05)
    started = time.monotonic()
    send(transport)
    assert time.monotonic() - started < 0.05 + 0.1 + 0.5
    assert len(script.calls) == 3


# --- 429 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_short_retry_after_is_waited_for_then_retried(method):
    script = Script(status(429, **{"Retry-After": "2"}), ok())
    transport, sleeps, retries = make(script)
    assert send(transport, method).status_code == 200
    assert sleeps == [2.0]
    assert retries == ["HTTP 429"]


def test_long_retry_after_stops_at_once():
    script = Script(status(429, **{"Retry-After": "120"}), ok())
    transport, sleeps, _ = make(script)
    assert send(transport).status_code == 429
    assert len(script.calls) == 1
    assert sleeps == []


def test_the_longest_wait_is_configurable():
    script = Script(status(429, **{"Retry-After": "20"}), ok())
    transport, sleeps, _ = make(script, max_retry_wait=10)
    assert send(transport).status_code == 429
    assert sleeps == []


@pytest.mark.parametrize("value", [None, "soon", "-5", "inf", "nan"])
def test_429_without_a_usable_retry_after_is_not_retried(value):
    headers = {} if value is None else {"Retry-After": value}
    script = Script(status(429, **headers), ok())
    transport, sleeps, _ = make(script)
    assert send(transport).status_code == 429
    assert sleeps == []


def test_repeated_429_is_still_bounded():
    script = Script(status(429, **{"Retry-After": "1"}))
    transport, sleeps, _ = make(script)
    assert send(transport).status_code == 429
    assert len(script.calls) == 3
    assert sleeps == [1.0, 1.0]


def http_date(seconds_from_now: float) -> str:
    return format_datetime(datetime.now(UTC) + timedelta(seconds=seconds_from_now), usegmt=True)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", 0.0),
        ("  7 ", 7.0),
        ("1.5", 1.5),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # a date in the past: now
        ("Wed, 21 Oct 2015 07:28:00 -0000", None),  # not GMT: not an HTTP-date
        ("Mon, 99 Foo 2015", None),
        ("", None),
        ("1e999", None),
    ],
)
def test_retry_after_forms(value, expected):
    assert parse_retry_after(value) == expected


def test_retry_after_as_an_http_date_is_seconds_from_now():
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Thu, 01 Jan 2026 12:00:42 GMT", now=now) == 42.0


def test_a_short_http_date_retry_after_is_waited_for():
    script = Script(status(429, **{"Retry-After": http_date(3)}), ok())
    transport, sleeps, _ = make(script)
    assert send(transport).status_code == 200
    assert len(sleeps) == 1
    assert 1 <= sleeps[0] <= 4


def test_a_distant_http_date_retry_after_says_when_to_retry():
    with pytest.raises(RateLimited) as caught:
        rate_limited_client(http_date(7200)).list_secrets()
    assert caught.value.retry_after is not None
    assert 7190 <= caught.value.retry_after <= 7201
    assert re.search(r"try again in 7[12]\d\d seconds", caught.value.message)


def rate_limited_client(retry_after: str) -> V01Secrets:
    body = {"success": False, "error": {"code": "rate_limit_exceeded", "message": "slow down"}}
    handler = Script(httpx.Response(429, headers={"Retry-After": retry_after}, json=body))
    return v01(URL, timeout=5, token="t0ken-abc", transport=httpx.MockTransport(handler))


def test_long_retry_after_raises_rate_limited_saying_when_to_retry():
    with pytest.raises(RateLimited) as caught:
        rate_limited_client("120").list_secrets()
    assert caught.value.retry_after == 120
    assert "try again in 120 seconds" in caught.value.message


def test_unusable_retry_after_raises_rate_limited_saying_later():
    with pytest.raises(RateLimited) as caught:
        rate_limited_client("whenever").list_secrets()
    assert caught.value.retry_after is None
    assert "try again later" in caught.value.message


# --- a body is read within the attempt ------------------------------------------------------


class Stream(httpx.SyncByteStream):
    """A response body made of ``parts``; an exception in them is raised mid-body."""

    def __init__(self, parts: list[bytes | Exception], pause: float = 0.0) -> None:
        self.parts = parts
        self.pause = pause

    def __iter__(self) -> Iterator[bytes]:
        for part in self.parts:
            if self.pause:
                time.sleep(self.pause)
            if isinstance(part, Exception):
                raise part
            yield part


class Endless(httpx.SyncByteStream):
    def __init__(self, pause: float) -> None:
        self.pause = pause

    def __iter__(self) -> Iterator[bytes]:
        while True:
            time.sleep(self.pause)
            yield b" "


def streamed(stream: httpx.SyncByteStream, **headers: str) -> httpx.Response:
    return httpx.Response(
        200, headers={"Content-Type": "application/json", **headers}, stream=stream
    )


def test_a_body_dropped_mid_way_is_retried_for_get():
    drop = streamed(Stream([b'{"success": true, ', httpx.RemoteProtocolError("peer closed")]))
    script = Script(drop, ok())
    transport, _, retries = make(script)
    response = send(transport)
    assert response.json() == wire.EMPTY_LIST
    assert retries == ["connection dropped"]


def test_a_body_dropped_mid_way_is_not_retried_for_post():
    drop = streamed(Stream([b'{"success": true, ', httpx.ReadError("reset")]))
    script = Script(drop, ok())
    transport, _, _ = make(script)
    with pytest.raises(httpx.ReadError):
        send(transport, "POST", json={"name": "k", "value": "v"})
    assert len(script.calls) == 1


def test_an_endless_body_ends_at_the_deadline():
    transport, _, _ = make(Script(streamed(Endless(0.02))), timeout=0.5)
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        send(transport)
    assert 0.4 < time.monotonic() - started < 2.0


def test_a_declared_length_over_the_cap_is_refused_before_reading():
    body = Stream([httpx.ReadError("must not be read")])
    transport, _, _ = make(Script(streamed(body, **{"Content-Length": "2000"})), max_body=1000)
    with pytest.raises(httpx.DecodingError, match="over 1000 bytes"):
        send(transport)


def test_an_undeclared_body_over_the_cap_is_cut_off():
    body = Stream([b"x" * 600, b"x" * 600, httpx.ReadError("must not be read")])
    transport, _, _ = make(Script(streamed(body)), max_body=1000)
    with pytest.raises(httpx.DecodingError, match="over 1000 bytes"):
        send(transport)


def test_a_decompression_bomb_is_cut_off_at_the_cap():
    bomb = gzip.compress(b" " * (64 * 1024 * 1024))  # 64 MiB in about 64 KiB
    response = httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=bomb)
    transport, _, _ = make(Script(response), max_body=1024 * 1024)
    started = time.monotonic()
    with pytest.raises(httpx.DecodingError, match="over 1048576 bytes"):
        send(transport)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data, wbits=-zlib.MAX_WBITS)),
        ("identity", lambda data: data),
    ],
)
def test_compressed_bodies_within_the_cap_are_decoded(encoding, compress):
    payload = json.dumps(wire.EMPTY_LIST).encode()
    response = httpx.Response(
        200,
        headers={"Content-Encoding": encoding, "Content-Type": "application/json"},
        content=compress(payload),
    )
    transport, _, _ = make(Script(response))
    received = send(transport)
    assert received.content == payload
    assert received.json() == wire.EMPTY_LIST


def test_an_unknown_content_encoding_is_refused():
    response = httpx.Response(200, headers={"Content-Encoding": "br"}, content=b"\x0b\x02\x80")
    transport, _, _ = make(Script(response))
    with pytest.raises(httpx.DecodingError, match="unsupported Content-Encoding"):
        send(transport)


def test_only_encodings_leger_can_bound_are_asked_for():
    script = Script(ok())
    transport, _, _ = make(script)
    send(transport)
    assert script.calls[0].headers["Accept-Encoding"] == "gzip, deflate"


# --- against real sockets -----------------------------------------------------------------


def test_headers_trickled_forever_end_at_the_deadline():
    # Each header line arrives well within the read timeout; only a deadline ends it.
    with faulty_server(drip_headers(every=0.05)) as server:
        client = v01(server.url, timeout=0.5, token="t0ken-abc")
        started = time.monotonic()
        with pytest.raises(RequestTimeout):
            client.list_secrets()
        elapsed = time.monotonic() - started
    assert elapsed < 1.5
    assert len(server.requests) == 1, "a timeout is not retried"


def test_a_client_retries_through_real_sockets():
    flaky = respond(503, b"<html>busy</html>", "text/html")
    with faulty_server(flaky, flaky, json_response(200, wire.EMPTY_LIST)) as server:
        assert v01(server.url, timeout=5, token="t0ken-abc").list_secrets() == []
    assert len(server.requests) == 3
    assert server.connections == 3, "every attempt gets a new connection"


def test_a_client_gives_up_after_three_attempts():
    flaky = respond(503, b"", None)
    with faulty_server(flaky) as server, pytest.raises(ServerError, match="HTTP 503"):
        v01(server.url, timeout=5, token="t0ken-abc").list_secrets()
    assert len(server.requests) == 3


def test_refused_connections_are_retried_then_reported():
    from devtools.processes import free_port

    client = v01(f"http://127.0.0.1:{free_port()}", timeout=5, token="t0ken-abc")
    with pytest.raises(TransportError, match="Cannot connect"):
        client.list_secrets()


def rate_limited(seconds: str) -> httpx.Response:
    return answer(429, wire.error("rate_limit_exceeded", "slow"), headers={"Retry-After": seconds})


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
