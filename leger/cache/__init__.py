"""The encrypted last-known-good cache of secrets, for when leger.run cannot be reached.

Importing this package is cheap: ``cryptography`` is imported only when a
cache is sealed or opened, and nothing here imports httpx or the generated
client, so an offline command never loads them.
"""

from leger.cache.duration import format_duration, parse_duration
from leger.cache.identity import CacheKey, user_key_for_token
from leger.cache.snapshot import (
    CachedSecret,
    FetchedSecret,
    Snapshot,
    age_seconds,
    within_max_age,
)
from leger.cache.store import (
    BrokenCache,
    CacheError,
    CacheInfo,
    SecretCache,
    Unusable,
)
from leger.xdg import leger_cache_dir as default_cache_dir

__all__ = [
    "BrokenCache",
    "CacheError",
    "CacheInfo",
    "CacheKey",
    "CachedSecret",
    "FetchedSecret",
    "SecretCache",
    "Snapshot",
    "Unusable",
    "age_seconds",
    "default_cache_dir",
    "format_duration",
    "parse_duration",
    "user_key_for_token",
    "within_max_age",
]
