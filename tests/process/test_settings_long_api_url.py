"""A 70,000-character LEGER_API_URL, as the installed ``leger`` reports it: exit 2, one message."""

from __future__ import annotations

from leger.api.url import MAX_URL_LENGTH


def test_a_huge_api_url_is_a_usage_error_not_a_crash(cli):
    url = "https://" + "a" * 70_000 + ".example"
    result = cli.run("secrets", "list", env={"LEGER_API_URL": url, "LEGER_TOKEN": "t0ken"})
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.startswith(
        f"Error: LEGER_API_URL is {len(url)} characters long (at most {MAX_URL_LENGTH})\n"
    )
    assert "unexpected" not in result.stderr
    assert len(result.stderr) < 500
