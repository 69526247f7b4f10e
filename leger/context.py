"""What every command receives: streams, settings, a clock, and factories.

Like gh's ``cmdutil.Factory``: commands get their dependencies from here, so
tests can run a command with fake streams or a fixed clock. Building the API
client imports httpx and the generated client, so it happens only in commands
that talk to the server (``auth status`` and ``--version`` never pay for it).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from leger.errors import EXPIRED_HINT_TEXT, LOGIN_HINT, AuthRequired
from leger.iostreams import IOStreams
from leger.settings import Settings
from leger.terminal import safe_line
from leger.token_store import StoredAuth, TokenStore

if TYPE_CHECKING:
    import httpx

    from leger.api.client import LegerClient
    from leger.api.secrets import SecretsApi
    from leger.tailscale import Identity


@dataclass(frozen=True)
class Credentials:
    """The token a command will use and where it came from ("env" or "file")."""

    token: str
    source: str
    stored: StoredAuth | None


@dataclass
class Context:
    """A command's dependencies."""

    io: IOStreams
    settings: Settings
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    # Tests inject an httpx transport (e.g. httpx.MockTransport) and a Tailscale
    # reader; None means the real network and the real ``tailscale`` command.
    transport: httpx.BaseTransport | None = None
    tailscale: Callable[[float], Identity] | None = None
    # The environment leger was started with (``leger run`` hands it on), taken
    # before leger changes anything in its own (LESS for help paging).
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))

    def read_identity(self) -> Identity:
        """The Tailscale identity, from the injected reader or ``tailscale status --json``."""
        if self.tailscale is not None:
            return self.tailscale(self.settings.timeout)
        # Only login runs tailscale; other commands skip importing subprocess & co.
        from leger.tailscale import read_identity

        return read_identity(timeout=self.settings.timeout)

    def token_store(self) -> TokenStore:
        """The token file in the configured directory; warnings go to stderr."""
        return TokenStore(self.settings.config_dir, warn=self.warn)

    def warn(self, text: str) -> None:
        """Print a warning on stderr."""
        self.io.eprint(self.io.warning(f"Warning: {text}"))

    def credentials(self) -> Credentials | None:
        """LEGER_TOKEN if set, else the stored login (possibly expired), else None."""
        if self.settings.env_token:
            return Credentials(self.settings.env_token, "env", None)
        stored = self.token_store().load()
        return None if stored is None else Credentials(stored.token, "file", stored)

    @property
    def api_url(self) -> str:
        """LEGER_API_URL (or the default) as a login records it (Settings normalises it)."""
        return self.settings.api_url

    def require_credentials(self) -> Credentials:
        """The credentials to send, or AuthRequired (exit 4) before any request.

        A stored login is sent only to the server it came from: with another
        LEGER_API_URL (a repository's .envrc, say) it does not count.
        """
        creds = self.credentials()
        if creds is None:
            raise AuthRequired("Not authenticated", hint=LOGIN_HINT)
        if creds.stored is not None:
            if creds.stored.api_url != self.api_url:
                raise AuthRequired(
                    f"Not logged in to {safe_line(self.api_url)}",
                    hint=f"Your login is for {safe_line(creds.stored.api_url)}.\n"
                    f"To log in to this server: {LOGIN_HINT.split(': ', 1)[1]}",
                )
            if not creds.stored.is_valid(self.now()):
                raise AuthRequired("Token expired", hint=EXPIRED_HINT_TEXT)
        return creds

    def api(self, token: str | None = None) -> LegerClient:
        """A client for LEGER_API_URL, authenticated with ``token`` when given."""
        # Imported here: httpx and the generated client cost tens of milliseconds.
        from leger.api.client import LegerClient

        return LegerClient(
            self.settings.api_url,
            timeout=self.settings.timeout,
            token=token,
            debug=self.io.stderr if self.settings.debug else None,
            transport=self.transport,
        )

    def secrets(self) -> SecretsApi:
        """The secret operations on this server, authenticated, in its route form.

        The form comes from LEGER_API_ROUTES, else from the login, else (with
        LEGER_TOKEN, or a login saved before forms were recorded) from one probe.
        """
        from leger.api.secrets import detect_routes, open_secrets

        creds = self.require_credentials()
        client = self.api(creds.token)
        try:
            routes = self.settings.routes or (creds.stored and creds.stored.api_routes)
            return open_secrets(client, routes or detect_routes(client))  # type: ignore[arg-type]
        except BaseException:
            client.close()
            raise
