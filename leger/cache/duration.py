"""Durations as people write them for ``--max-age`` (``90s``, ``15m``, ``12h``, ``7d``), and ages.

One whole number and one unit, nothing else: ``1.5h``, ``1h30m``, ``10`` (which
unit?), ``1w`` or ``0s`` are refused rather than guessed at, since a cache
older than the user meant would be used silently.
"""

from __future__ import annotations

import math
import re

from leger.errors import UsageError
from leger.terminal import safe_line

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Ten years: a bound that keeps every date computation in range; an older cache
# is not what anyone means by a maximum age.
MAX_SECONDS = 3650 * UNITS["d"]
_LARGEST_FIRST = sorted(UNITS.items(), key=lambda item: item[1], reverse=True)
_DURATION = r"([0-9]{1,20})([smhd])"  # compiled on first use, by re


def parse_duration(text: str, *, what: str = "--max-age") -> int:
    """The number of seconds ``text`` says (``90s``, ``15m``, ``12h``, ``7d``).

    Anything else is a UsageError naming ``what``: no unit, another unit, a
    fraction, a sign, spaces, zero, or more than ten years.
    """
    match = re.fullmatch(_DURATION, text, re.ASCII)
    seconds = int(match[1]) * UNITS[match[2]] if match else None
    if seconds is None:
        problem = "is not a duration"
    elif seconds == 0:
        problem = "must be more than 0"
    elif seconds > MAX_SECONDS:
        problem = "must be at most ten years (3650d)"
    else:
        return seconds
    raise UsageError(
        f"{what} {problem}: {safe_line(text, 40)!r}",
        hint=(
            f"Give {what} a whole number above 0 and one unit: s, m, h or d "
            "(for example 90s, 15m, 12h or 7d)."
        ),
    )


def format_duration(seconds: float) -> str:
    """``seconds`` for people, in at most two units (``45s``, ``4m 5s``, ``3h 12m``, ``2d 4h``).

    Rounded up, never down: an age shown must not be younger than the truth.
    A negative number reads as ``0s``.
    """
    total = max(0, math.ceil(seconds))
    while True:
        index = next(i for i, (_, size) in enumerate(_LARGEST_FIRST) if total >= size or size == 1)
        name, size = _LARGEST_FIRST[index]
        if size == 1:
            return f"{total}s"
        smaller_name, smaller = _LARGEST_FIRST[index + 1]
        # Rounding up to the smaller unit may carry into a larger one: look again.
        rounded = math.ceil(total / smaller) * smaller
        if rounded == total:
            count, rest = divmod(total, size)
            return f"{count}{name}" + (f" {rest // smaller}{smaller_name}" if rest else "")
        total = rounded
