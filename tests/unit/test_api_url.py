"""leger/api/url.py: an API URL too long to be one is a usage error (exit 2), before any parsing
or request."""

from __future__ import annotations

import pytest

from leger.api.url import MAX_URL_LENGTH, checked_base_url
from leger.errors import ExitCode, UsageError
from leger.settings import Settings

LONG_HOST = "https://" + "a" * 70_000 + ".example"
LONG_PATH = "https://api.leger.run/" + "p" * 70_000


@pytest.mark.parametrize("url", [LONG_HOST, LONG_PATH], ids=["host", "path"])
def test_a_70000_character_url_is_refused_without_being_quoted(url):
    with pytest.raises(UsageError) as caught:
        Settings.from_env({"LEGER_API_URL": url})
    assert caught.value.exit_code == ExitCode.USAGE
    assert caught.value.message == (
        f"LEGER_API_URL is {len(url)} characters long (at most {MAX_URL_LENGTH})"
    )
    assert "aaaa" not in caught.value.message + (caught.value.hint or "")


def test_the_longest_allowed_url_is_accepted():
    url = "https://api.leger.run/" + "p" * (MAX_URL_LENGTH - len("https://api.leger.run/"))
    assert len(url) == MAX_URL_LENGTH
    assert checked_base_url(url) == url
    with pytest.raises(UsageError, match="characters long"):
        checked_base_url(url + "p")
