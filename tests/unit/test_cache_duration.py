"""``--max-age`` values, ages as shown, and which cache times are within a maximum age."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from leger.cache import age_seconds, format_duration, parse_duration, within_max_age
from leger.errors import ExitCode, UsageError

NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1s", 1),
        ("90s", 90),
        ("15m", 900),
        ("12h", 43_200),
        ("7d", 604_800),
        ("1d", 86_400),
        ("0007d", 604_800),
        ("3650d", 315_360_000),
        ("87600h", 315_360_000),
    ],
)
def test_a_whole_number_and_one_unit_is_seconds(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("0s", "must be more than 0"),
        ("0d", "must be more than 0"),
        ("3651d", "must be at most ten years (3650d)"),
        ("315360001s", "must be at most ten years (3650d)"),
        ("99999999999999999999d", "must be at most ten years (3650d)"),
        ("999999999999999999999d", "is not a duration"),
        ("", "is not a duration"),
        ("10", "is not a duration"),
        ("d", "is not a duration"),
        ("-5m", "is not a duration"),
        ("+5m", "is not a duration"),
        ("1.5h", "is not a duration"),
        ("1h30m", "is not a duration"),
        ("1w", "is not a duration"),
        ("1y", "is not a duration"),
        ("7D", "is not a duration"),
        ("7 d", "is not a duration"),
        (" 7d", "is not a duration"),
        ("7d ", "is not a duration"),
        ("7d\n", "is not a duration"),
        ("\u0667d", "is not a duration"),  # an Arabic-Indic seven: not an ASCII digit
        ("\uff17d", "is not a duration"),  # a full-width seven
        ("inf", "is not a duration"),
        ("1e3s", "is not a duration"),
        ("0x10s", "is not a duration"),
    ],
)
def test_anything_else_is_a_usage_error_that_says_what_is_wrong(text, problem):
    with pytest.raises(UsageError) as caught:
        parse_duration(text)
    error = caught.value
    assert error.exit_code == ExitCode.USAGE
    assert error.message.startswith(f"--max-age {problem}: ")
    assert "\n" not in error.message
    assert "90s, 15m, 12h or 7d" in (error.hint or "")


def test_the_message_names_the_setting_it_is_for():
    with pytest.raises(UsageError, match=r"^LEGER_CACHE_MAX_AGE is not a duration: '1w'$"):
        parse_duration("1w", what="LEGER_CACHE_MAX_AGE")


def test_a_hostile_value_is_shown_as_one_short_safe_line():
    with pytest.raises(UsageError) as caught:
        parse_duration("\x1b]52;c;ZXZpbA==\x07\n" + "x" * 500)
    assert "\x1b" not in caught.value.message
    assert "\n" not in caught.value.message
    assert len(caught.value.message) < 100


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, "0s"),
        (-30, "0s"),
        (0.2, "1s"),
        (45, "45s"),
        (59.5, "1m"),
        (60, "1m"),
        (245, "4m 5s"),
        (3599, "59m 59s"),
        (3600, "1h"),
        (3601, "1h 1m"),  # rounded up: never shown younger than it is
        (11_520, "3h 12m"),
        (86_340.5, "1d"),
        (86_400, "1d"),
        (187_200, "2d 4h"),
        (187_201, "2d 5h"),
        (315_360_000, "3650d"),
    ],
)
def test_an_age_is_shown_in_two_units_rounded_up(seconds, shown):
    assert format_duration(seconds) == shown


@pytest.mark.parametrize("seconds", [1, 59, 61, 3599, 3601, 86_399, 90_061, 10**7 + 1])
def test_a_shown_age_is_never_younger_than_the_real_one(seconds):
    text = format_duration(seconds)
    parts = [parse_duration(part) for part in text.split()]
    assert sum(parts) >= seconds


def test_age_is_the_time_since_and_never_negative():
    assert age_seconds(NOW - timedelta(hours=2), NOW) == 7200
    assert age_seconds(NOW + timedelta(hours=2), NOW) == 0


@pytest.mark.parametrize(
    ("cached_ago", "max_age", "within"),
    [
        (timedelta(0), 60, True),
        (timedelta(seconds=60), 60, True),
        (timedelta(seconds=61), 60, False),
        (timedelta(days=7), 7 * 86_400, True),
        (timedelta(days=7, microseconds=1), 7 * 86_400, False),
        # A little ahead of the clock (an adjustment) is "just now"...
        (timedelta(seconds=-30), 60, True),
        # ...further ahead, the clock was set back: the real age cannot be known.
        (timedelta(minutes=-5), 3650 * 86_400, False),
    ],
)
def test_within_max_age(cached_ago, max_age, within):
    assert within_max_age(NOW - cached_ago, max_age, NOW) is within
