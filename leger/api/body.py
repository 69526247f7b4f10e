"""A response body as JSON: parsed once, bounded in what it may cost.

The transport already caps a body's bytes (after decompression); this caps the
objects parsed from it, which a hostile answer could otherwise multiply (32 KB
of gzip expands to megabytes of ``{},{},…``, and each ``{}`` is an object of
its own). The contract's largest answer is a list of secrets, a few values
each, so a count of JSON values far beyond any real account's is refused before
parsing. The parsed body is kept on the response, so the debug log, the error
mapping and the models all read the same single parse.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

# Values (objects, arrays, strings, numbers...) one answer may hold: room for
# about 50,000 secrets of five fields each, and a bound on memory whatever comes.
MAX_JSON_VALUES = 400_000

_CACHE_KEY = "leger.json"
_NOT_JSON = object()
# A JSON string, escapes included; matched so that commas inside strings do not count.
_STRING = rb'"[^"\\]*(?:\\.[^"\\]*)*"'  # compiled on first use (by re): rarely needed
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class UnreadableBody(ValueError):
    """The body is not JSON leger can use; ``why`` says how, in words for the user."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def json_body(response: httpx.Response) -> Any:
    """The response's body parsed as JSON, once; ``UnreadableBody`` if it cannot be."""
    cached = response.extensions.get(_CACHE_KEY)
    if cached is None:
        cached = _parse(response.content)
        response.extensions[_CACHE_KEY] = cached
    if isinstance(cached, UnreadableBody):
        raise cached
    return cached


def json_body_or_none(response: httpx.Response) -> Any:
    """``json_body``, or None when the body is not usable JSON (for best-effort readers)."""
    try:
        return json_body(response)
    except (UnreadableBody, httpx.ResponseNotRead):
        return None


def _parse(content: bytes) -> Any:
    if _value_count_over(content, MAX_JSON_VALUES):
        return UnreadableBody(f"it holds over {MAX_JSON_VALUES} JSON values")
    try:
        body = json.loads(content)
    except RecursionError:
        return UnreadableBody("it is nested too deeply")
    except ValueError:
        return UnreadableBody("the body is not valid JSON")
    if _SURROGATE_ESCAPE.search(content) and _has_lone_surrogate(body):
        return UnreadableBody("it has text that is not valid Unicode")
    return body


def _value_count_over(content: bytes, limit: int) -> bool:
    """Whether ``content`` holds more than ``limit`` JSON values (commas, arrays, objects).

    The common case is a few passes of ``bytes.count``. Only a body over the
    limit is scanned again, string by string and without copying, so that
    commas inside strings (a value may be full of them) do not count.
    """
    count = content.count(b",") + content.count(b"[") + content.count(b"{")
    if count <= limit:
        return False
    # Every string is a value too: past the limit in strings alone, no scan is needed
    # (and the scan below then sees at most ``limit`` strings).
    if (content.count(b'"') - content.count(b'\\"')) // 2 > limit:
        return True
    for string in re.finditer(_STRING, content):
        count -= content.count(b",", string.start(), string.end())
        if count <= limit:
            return False
    return True


def _has_lone_surrogate(body: object) -> bool:
    """True if a ``\\uD800``-style escape decoded to half a character.

    JSON lets a body spell one; Python then holds a string that cannot be
    written out as UTF-8. Valid pairs (an escaped emoji) are fine.
    """
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
