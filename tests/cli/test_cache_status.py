"""``leger cache status [--json]``, in-process: whose caches, how many secrets, how old."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from leger import commands as registry
from leger.commands.cache_status import JSON_KEYS
from leger.help import render
from tests.support import wire
from tests.support.inprocess import Leger

T0 = datetime(2026, 11, 28, 10, 0, 0, tzinfo=UTC)
LATER = T0 + timedelta(hours=26, minutes=3)
README = Path(__file__).resolve().parents[2] / "README.md"
OTHER_TOKEN = "someone-elses-token"


def two_caches(leger: Leger) -> Leger:
    """This login's complete cache of two secrets; another token's cache of one, by name."""
    leger.with_token().speaks(wire.REST).holds({"a": "value-a", "b": "value-b"})
    assert leger.run("secrets", "export", now=lambda: T0).exit_code == 0
    leger.server.has_secret("k", leger.secret("VALUE-of-k"))
    later = T0 + timedelta(hours=1)
    other = leger.run("secrets", "get", "k", env={"LEGER_TOKEN": OTHER_TOKEN}, now=lambda: later)
    assert other.exit_code == 0
    return leger


def status(leger: Leger, *args: str):
    return leger.run("cache", "status", *args, now=lambda: LATER)


def test_no_cache_yet(leger):
    result = status(leger)
    assert (result.exit_code, result.out) == (
        0,
        f"No offline caches in {leger.cache_dir}\n",
    )
    assert json.loads(status(leger, "--json").stdout) == []


def test_each_cache_with_its_server_user_count_completeness_and_age(leger):
    app = two_caches(leger)
    result = status(app)
    assert result.exit_code == 0, result.stderr
    directory = str(app.cache_dir)
    blocks = result.out.split("\n\n")
    assert blocks[0] == f"Offline caches in {directory}:"
    mine = next(block for block in blocks if "(this login)" in block)
    other = next(block for block in blocks[1:] if block is not mine)
    assert re.fullmatch(
        r"http://127\.0\.0\.1:8787 \(this login\)\n"
        r"  User: token-[0-9a-f]{16}\n"
        r"  Secrets: 2, all of them \(a complete snapshot\)\n"
        r"  Fetched: 2026-11-28T10:00:00Z \(1d 3h ago\)\n"
        rf"  File: {re.escape(directory)}/[0-9a-f]{{32}}\.cache",
        mine,
    ), mine
    assert re.fullmatch(
        r"http://127\.0\.0\.1:8787\n"
        r"  User: token-[0-9a-f]{16}\n"
        r"  Secrets: 1, fetched by name \(not all\)\n"
        r"  Fetched: 2026-11-28T11:00:00Z \(1d 2h ago\)\n"
        rf"  File: {re.escape(directory)}/[0-9a-f]{{32}}\.cache\n",
        other,
    ), other


def test_json_has_one_object_per_cache_with_the_documented_keys(leger):
    app = two_caches(leger)
    entries = json.loads(status(app, "--json").stdout)
    assert [tuple(entry) for entry in entries] == [JSON_KEYS] * 2
    [mine] = [entry for entry in entries if entry["this_login"]]
    assert {key: mine[key] for key in JSON_KEYS if key not in ("user", "path")} == {
        "server": "http://127.0.0.1:8787",
        "this_login": True,
        "complete": True,
        "count": 2,
        "fetched_at": "2026-11-28T10:00:00Z",
        "updated_at": "2026-11-28T10:00:00Z",
        "age_seconds": 26 * 3600 + 3 * 60,
        "problem": None,
    }
    assert "value-a" not in status(app, "--json").out


def test_a_file_that_cannot_be_read_is_listed_with_why(leger):
    directory = leger.cache_dir
    directory.mkdir(parents=True, mode=0o700)
    broken = directory / ("0" * 32 + ".cache")
    broken.write_bytes(b"not a cache\n")
    broken.chmod(0o600)
    result = status(leger)
    assert result.out.endswith(
        f"{broken}\n  Cannot be read: it is damaged (not a cache file this leger wrote)\n"
    )
    [entry] = json.loads(status(leger, "--json").stdout)
    assert entry == {
        **dict.fromkeys(JSON_KEYS),
        "this_login": False,
        "path": str(broken),
        "problem": "it is damaged (not a cache file this leger wrote)",
    }


def test_with_leger_cache_0_status_says_the_cache_is_off(leger):
    result = leger.run("cache", "status", env={"LEGER_CACHE": "0"})
    assert result.out.startswith(
        "The offline cache is off (LEGER_CACHE=0): not used, not updated.\n"
    )


def test_the_json_keys_are_in_the_help_and_the_readme():
    help_text = " ".join(render("cache status", registry.load("cache status")).split())
    readme = README.read_text()
    for key in JSON_KEYS:
        assert key in help_text
        assert f"`{key}`" in readme
