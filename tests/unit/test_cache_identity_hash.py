"""A cache file's name is the same whichever SHA-256 computes it (cryptography's, or
hashlib's when cryptography cannot be imported), so no cache is ever lost to the switch."""

from __future__ import annotations

import hashlib
import json
import sys

from leger.cache import CacheKey, user_key_for_token

KEY = CacheKey("https://api.leger.run", "550e8400-e29b-41d4-a716-446655440000")


def test_the_name_is_the_sha256_of_server_and_user():
    expected = hashlib.sha256(json.dumps([KEY.server, KEY.user]).encode()).hexdigest()
    assert KEY.file_name == expected[:32] + ".cache"
    assert user_key_for_token("opaque") == "token-" + hashlib.sha256(b"opaque").hexdigest()[:16]


def test_without_cryptography_the_names_are_the_same(monkeypatch):
    names = (KEY.file_name, user_key_for_token("opaque"))
    for module in [name for name in sys.modules if name.split(".")[0] == "cryptography"]:
        monkeypatch.setitem(sys.modules, module, None)
    monkeypatch.setitem(sys.modules, "cryptography", None)
    assert (KEY.file_name, user_key_for_token("opaque")) == names
