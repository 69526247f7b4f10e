"""Times the tests put in logins: a fixed ``NOW`` for an injected clock, or relative to now.

``future`` and ``past`` are RFC 3339 strings (UTC, seconds), as a login file holds them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

NOW = datetime(2026, 11, 28, 10, 0, 0, tzinfo=UTC)


def future(days: int = 10) -> str:
    """``days`` from now."""
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def past() -> str:
    """An hour ago."""
    return (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
