"""Which base URLs leger will send a token to."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from leger.errors import UsageError
from leger.terminal import safe_line

# Far beyond any API base URL, far below what HTTP clients refuse (httpx: 65,536).
MAX_URL_LENGTH = 2048


def checked_base_url(url: str) -> str:
    """Return ``url`` without a trailing slash, or refuse it before any connection.

    HTTPS is required for every host but loopback, where plain HTTP is allowed for
    local backends and tests. A path prefix (``https://app.leger.run/api``) is kept.
    User info (``user:password@``) is refused: leger authenticates with its own
    token, and a password there would be sent instead of it and shown in errors;
    so a URL with an ``@`` is never quoted back. A URL longer than
    ``MAX_URL_LENGTH`` characters is refused before it is parsed.
    """
    if len(url) > MAX_URL_LENGTH:
        raise UsageError(
            f"LEGER_API_URL is {len(url)} characters long (at most {MAX_URL_LENGTH})",
            hint="Set it to the API's base URL, such as https://api.leger.run",
        )
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        raise UsageError(
            "LEGER_API_URL has whitespace or control characters in it",
            hint="Set it to the URL alone, such as https://api.leger.run",
        )
    shown = "(not shown: it has an @)" if "@" in url else repr(safe_line(url, 200))
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 -- raises ValueError on a malformed port
    except ValueError:
        parts, host = None, None
    if parts is not None and "@" in parts.netloc:
        raise UsageError(
            "LEGER_API_URL must not contain a user name or password (user:password@host)",
            hint="Remove them: leger sends its own token (leger auth login or LEGER_TOKEN).",
        )
    if parts is None or parts.scheme not in ("http", "https") or not host:
        raise UsageError(
            f"LEGER_API_URL is not a usable URL: {shown}",
            hint="Use a URL such as https://api.leger.run",
        )
    if parts.query or parts.fragment:
        raise UsageError(f"LEGER_API_URL must not have a query or fragment: {shown}")
    if parts.scheme == "http" and not is_loopback(host):
        raise UsageError(
            f"HTTPS is required for {host}: refusing to send credentials over plain HTTP",
            hint=f"Use https://{parts.netloc}{parts.path} (http:// is for loopback only).",
        )
    return url.rstrip("/")


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
