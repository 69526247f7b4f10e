"""Make text that came from elsewhere safe to show on a terminal.

A server, a proxy, ``tailscale`` or a file can send escape sequences (clipboard
writes, screen clears) or line breaks that forge extra lines ("✓ Done", "fix it
with: curl … | sh"). Everything leger shows that it did not write itself goes
through ``safe_line``. A secret's value (``secrets get``) is data, not text to
show, and is never passed through it.
"""

from __future__ import annotations

_WHITESPACE = frozenset("\t\n\r\v\f\x85\u2028\u2029")


def safe_line(text: str, limit: int = 500) -> str:
    """``text`` as one printable line of at most ``limit`` characters.

    Line breaks and tabs become spaces; every other control, format or
    unassigned character (``isprintable()`` is false) becomes ``?``; anything
    past ``limit`` is cut and marked with ``…``.
    """
    cut = text[:limit]
    shown = "".join(ch if ch.isprintable() else (" " if ch in _WHITESPACE else "?") for ch in cut)
    return shown + ("…" if len(text) > limit else "")
