"""The cache file's envelope: values come back byte for byte, and only to the token that wrote them.

Every file a test damages, truncates or edits must read as "unusable" with one
reason, never raise; the header must read without a key and be tamper-evident.
"""

from __future__ import annotations

import base64
import json
import os
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from hypothesis import given, settings
from hypothesis import strategies as st

from leger.api.results import Secret
from leger.cache import CachedSecret, CacheKey, SecretCache, Snapshot, Unusable
from leger.cache.fileformat import (
    MAX_FILE_BYTES,
    CacheHeader,
    Unreadable,
    decode,
    encode,
    read_header,
)
from tests.support.text import PEM
from tests.support.values import TRICKY, VALUES

TOKEN = "tok-CRYPTO-3e1f8a"
OTHER_TOKEN = "tok-OTHER-77aa01"
KEY = CacheKey("https://api.leger.run", "550e8400-e29b-41d4-a716-446655440000")
T0 = datetime(2026, 11, 28, 12, 0, 0, 123456, tzinfo=UTC)
VALUES_BY_NAME = {
    "NEWLINES": "line one\nline two\r\nline three\n",
    "PEM": PEM,
    "LARGEST": "".join(chr(0x21 + i % 94) for i in range(10240)),
    "UNICODE": "pässwörd ☃ 🔑 中文密码 \u202e e\u0301",
    "EMPTY": "",
    "NUL": "a\x00b",
    "SPACES": "  padded  ",
}


def secrets(values: dict[str, str]) -> list[Secret]:
    return [
        Secret(name, value, version, None)
        for version, (name, value) in enumerate(values.items(), 1)
    ]


def written(cache: SecretCache, values: dict[str, str] = VALUES_BY_NAME) -> Path:
    cache.record_fetch(KEY, TOKEN, secrets(values), complete=True, now=T0)
    return cache.directory / KEY.file_name


def unusable_reason(cache: SecretCache, token: str = TOKEN) -> str:
    result = cache.load(KEY, token)
    assert isinstance(result, Unusable), result
    assert "\n" not in result.message
    assert TOKEN not in result.message
    assert not any(value in result.message for value in VALUES_BY_NAME.values() if len(value) > 4)
    return result.reason


def test_values_come_back_byte_for_byte(cache, warnings):
    written(cache)
    snapshot = cache.load(KEY, TOKEN)
    assert isinstance(snapshot, Snapshot)
    assert {name: s.value for name, s in snapshot.secrets.items()} == VALUES_BY_NAME
    for name, value in VALUES_BY_NAME.items():
        assert snapshot.secrets[name].value.encode("utf-8") == value.encode("utf-8")
    assert [s.version for s in snapshot.secrets.values()] == [
        list(VALUES_BY_NAME).index(name) + 1 for name in snapshot.secrets
    ]
    assert snapshot.complete is True
    assert snapshot.fetched_at == T0  # microseconds kept
    assert warnings == []


def test_labels_versions_and_times_come_back(cache):
    fetched = [Secret("A", "x", 7, "prod db"), Secret("B", "y", 1, None)]
    cache.record_fetch(KEY, TOKEN, fetched, complete=False, now=T0)
    snapshot = cache.load(KEY, TOKEN)
    assert [
        (s.name, s.value, s.version, s.label, s.fetched_at) for s in snapshot.secrets.values()
    ] == [
        ("A", "x", 7, "prod db", T0),
        ("B", "y", 1, None, T0),
    ]


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.from_regex(r"[A-Z][A-Z0-9_]{0,20}", fullmatch=True), VALUES, max_size=8))
def test_any_value_round_trips(tmp_path_factory, values):
    cache = SecretCache(tmp_path_factory.mktemp("c") / "leger", warn=pytest.fail)
    cache.record_fetch(KEY, TOKEN, secrets(values), complete=True, now=T0)
    snapshot = cache.load(KEY, TOKEN)
    assert isinstance(snapshot, Snapshot), snapshot
    assert {name: s.value for name, s in snapshot.secrets.items()} == values


def test_tricky_values_round_trip(cache):
    values = {f"T{i}": value for i, value in enumerate(TRICKY)}
    written(cache, values)
    assert {n: s.value for n, s in cache.load(KEY, TOKEN).secrets.items()} == values


def test_no_value_is_on_disk_in_plaintext(cache):
    path = written(cache)
    data = path.read_bytes()
    for value in (VALUES_BY_NAME["PEM"], VALUES_BY_NAME["LARGEST"], VALUES_BY_NAME["NEWLINES"]):
        assert value.encode() not in data
    assert b"BEGIN OPENSSH" not in data
    assert TOKEN.encode() not in data


def test_header_reads_without_a_key_and_holds_no_value(cache):
    path = written(cache)
    header, line, _ = read_header(path.read_bytes())
    assert header.server == KEY.server
    assert header.user == KEY.user
    assert header.count == len(VALUES_BY_NAME)
    assert header.complete is True
    assert header.fetched_at == T0
    assert set(json.loads(line)) == {
        "leger_cache",
        "server",
        "user",
        "complete",
        "count",
        "fetched_at",
        "updated_at",
        "salt",
    }
    assert json.loads(line)["leger_cache"] == 1


def test_the_file_is_what_the_format_says(cache):
    """Decrypted here with the primitives alone, from the documented derivation."""
    path = written(cache)
    line, sealed = path.read_bytes().split(b"\n", 1)
    header = json.loads(line)
    info = json.dumps(["leger offline cache v1", KEY.server, KEY.user]).encode()
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=base64.b64decode(header["salt"]), info=info
    ).derive(TOKEN.encode())
    plaintext = AESGCM(key).decrypt(sealed[:12], sealed[12:], line)
    entries = json.loads(plaintext)["secrets"]
    assert {e["name"]: e["value"] for e in entries} == VALUES_BY_NAME
    assert {e["fetched_at"] for e in entries} == {"2026-11-28T12:00:00.123456Z"}


def test_every_write_has_a_fresh_salt_and_nonce(cache):
    path = written(cache)
    first = path.read_bytes()
    cache.record_fetch(
        KEY, TOKEN, secrets({"A": "1"}), complete=True, now=T0 + timedelta(seconds=1)
    )
    cache.record_fetch(KEY, TOKEN, secrets(VALUES_BY_NAME), complete=True, now=T0)
    second = path.read_bytes()
    salts = [json.loads(data.split(b"\n", 1)[0])["salt"] for data in (first, second)]
    assert salts[0] != salts[1]
    assert first.split(b"\n", 1)[1][:12] != second.split(b"\n", 1)[1][:12]


def test_another_login_cannot_read_it(cache):
    written(cache)
    assert (
        unusable_reason(cache, OTHER_TOKEN) == "it was written for another login, or it was altered"
    )


def test_a_copy_under_another_server_or_user_does_not_open(cache):
    path = written(cache)
    for other in (CacheKey("https://other.example", KEY.user), CacheKey(KEY.server, "someone")):
        (cache.directory / other.file_name).write_bytes(path.read_bytes())
        os.chmod(cache.directory / other.file_name, 0o600)
        result = cache.load(other, TOKEN)
        assert isinstance(result, Unusable)
        assert result.reason == "it names another server or user (it was copied or renamed)"


def test_the_key_binds_server_and_user_not_only_the_header(cache):
    """A header rewritten to another server is still refused: the key itself differs."""
    path = written(cache)
    line, sealed = path.read_bytes().split(b"\n", 1)
    other = CacheKey("https://other.example", KEY.user)
    forged = line.replace(KEY.server.encode(), other.server.encode())
    with pytest.raises(Unreadable) as caught:
        decode(forged + b"\n" + sealed, TOKEN, server=other.server, user=other.user)
    assert caught.value.reason == "it was written for another login, or it was altered"


@pytest.mark.parametrize(
    ("field", "new"),
    [
        ("complete", False),
        ("count", 99),
        ("fetched_at", "2099-01-01T00:00:00Z"),
        ("updated_at", "2000-01-01T00:00:00Z"),
        ("salt", base64.b64encode(b"\x00" * 16).decode()),
    ],
)
def test_an_edited_header_is_detected(cache, field, new):
    path = written(cache)
    line, sealed = path.read_bytes().split(b"\n", 1)
    header = json.loads(line)
    header[field] = new
    edited = json.dumps(header, separators=(",", ":")).encode()
    path.write_bytes(edited + b"\n" + sealed)
    assert unusable_reason(cache) == "it was written for another login, or it was altered"


@pytest.mark.parametrize("where", ["nonce", "ciphertext", "tag"])
def test_a_flipped_bit_in_the_sealed_part_is_detected(cache, where):
    path = written(cache)
    data = bytearray(path.read_bytes())
    start = data.index(b"\n") + 1
    offset = {"nonce": start + 3, "ciphertext": (start + len(data)) // 2, "tag": len(data) - 2}[
        where
    ]
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))
    assert unusable_reason(cache) == "it was written for another login, or it was altered"


def test_a_truncated_file_is_unusable_at_every_length(cache):
    path = written(cache, {"A": "value", "B": PEM})
    data = path.read_bytes()
    newline = data.index(b"\n")
    for length in sorted({0, 1, newline // 2, newline, newline + 1, newline + 13, len(data) - 1}):
        path.write_bytes(data[:length])
        reason = unusable_reason(cache)
        assert reason in (
            "it is damaged (not a cache file this leger wrote)",
            "it was written for another login, or it was altered",
        ), (length, reason)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\n",
        b"garbage",
        b"\xff\xfe\x00garbage\nmore",
        os.urandom(4096),
        b"[]\n",
        b"null\n",
        b'{"leger_cache": true}\n',
        b'{"leger_cache": "1"}\n',
        b"{" * 100_000 + b"\n",
        b'{"leger_cache":1,"server":"https://api.leger.run"}\n',
        b"x" * (64 * 1024),
    ],
)
def test_garbage_is_unusable_not_a_crash(cache, content):
    written(cache)
    (cache.directory / KEY.file_name).write_bytes(content)
    assert unusable_reason(cache) == "it is damaged (not a cache file this leger wrote)"


def header_with(**changes: object) -> bytes:
    fields = {
        "leger_cache": 1,
        "server": KEY.server,
        "user": KEY.user,
        "complete": True,
        "count": 0,
        "fetched_at": "2026-11-28T12:00:00Z",
        "updated_at": "2026-11-28T12:00:00Z",
        "salt": base64.b64encode(b"s" * 16).decode(),
        **changes,
    }
    return json.dumps(fields).encode()


@pytest.mark.parametrize(
    "changes",
    [
        {"server": "http://example.com"},  # plain HTTP to a remote host is never leger's URL
        {"server": "https://api.leger.run/"},
        {"server": 5},
        {"user": ""},
        {"user": "a\nb"},
        {"user": "u" * 257},
        {"complete": 1},
        {"count": -1},
        {"count": True},
        {"fetched_at": "2026-11-28T12:00:00"},  # no offset
        {"fetched_at": "yesterday"},
        {"fetched_at": "0001-01-01T00:00:00+14:00"},  # no UTC equivalent
        {"updated_at": "9999-12-31T23:59:59-14:00"},
        {"salt": "c2hvcnQ="},
        {"salt": "not base64!"},
    ],
)
def test_a_header_with_a_bad_field_is_damaged(changes):
    with pytest.raises(Unreadable) as caught:
        CacheHeader.from_line(header_with(**changes))
    assert caught.value.reason == "it is damaged (not a cache file this leger wrote)"


def test_a_newer_format_says_so(cache):
    written(cache)
    (cache.directory / KEY.file_name).write_bytes(header_with(leger_cache=2) + b"\n" + b"x" * 40)
    assert unusable_reason(cache) == "it was written by a newer version of leger (cache format 2)"


def test_an_oversized_file_is_refused_before_it_is_read(cache):
    path = written(cache)
    with open(path, "r+b") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no 32 MiB written to disk
    tracemalloc.start()
    try:
        reason = unusable_reason(cache)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert reason == "it is larger than 32 MiB"
    assert peak < 1024 * 1024, "the file was read, not refused by its size"


def test_a_snapshot_too_large_for_a_file_is_not_written():
    big = "x" * 10240
    held = {f"S{i}": CachedSecret(f"S{i}", big, 1, None, T0) for i in range(3300)}
    snapshot = Snapshot(KEY.server, KEY.user, held, True, T0, T0)
    with pytest.raises(Unreadable) as caught:
        encode(snapshot, TOKEN)
    assert caught.value.reason == "the secrets are more than a cache file holds (32 MiB)"


@pytest.mark.parametrize("token", [OTHER_TOKEN, TOKEN + "x", TOKEN[:-1], "t"])
def test_any_other_token_fails_to_decrypt(cache, token):
    data = written(cache).read_bytes()
    with pytest.raises(Unreadable, match="another login"):
        decode(data, token, server=KEY.server, user=KEY.user)
