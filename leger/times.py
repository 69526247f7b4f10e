"""How leger writes times: RFC 3339 in UTC with a ``Z``, everywhere."""

from __future__ import annotations

from datetime import UTC, datetime


def rfc3339(moment: datetime) -> str:
    """RFC 3339 in UTC with ``Z``, keeping the fraction of a second the server sent.

    Milliseconds stay three digits (``…:54.432Z``, as leger.run writes them),
    not the six Python would print.
    """
    utc = moment.astimezone(UTC)
    micro = utc.microsecond
    spec = "seconds" if not micro else "milliseconds" if micro % 1000 == 0 else "microseconds"
    return utc.isoformat(timespec=spec).replace("+00:00", "Z")


def rfc3339_seconds(moment: datetime) -> str:
    """RFC 3339 in UTC with ``Z``, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_day(moment: datetime) -> str:
    """The UTC date, so a table agrees with --json whatever offset the server used."""
    return f"{moment.astimezone(UTC):%Y-%m-%d}"
