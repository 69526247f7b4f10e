"""The encrypted last-known-good cache of secrets, for when leger.run cannot be reached.

Importing this package is cheap: ``cryptography`` is imported only when a
cache is sealed or opened, and nothing here imports httpx or the generated
client, so an offline command never loads them.
"""

from leger.cache.duration import format_duration, parse_duration

__all__ = ["format_duration", "parse_duration"]
