"""What every command receives: streams, settings, a clock, and factories.

Like gh's ``cmdutil.Factory``: commands get their dependencies from here, so
tests can run a command with fake streams or a fixed clock. Building the API
client imports httpx and the generated client, so it happens only in commands
that talk to the server (``auth status`` and ``--version`` never pay for it).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from leger.credentials import Credentials, LoginState, check, state_of
from leger.iostreams import IOStreams
from leger.settings import Settings
from leger.terminal import safe_line
from leger.token_format import unverified_expiry

if TYPE_CHECKING:
    import httpx

    from leger.api.client import LegerClient
    from leger.api.routes import RouteForm
    from leger.api.secrets import SecretsApi
    from leger.api.session import Belief
    from leger.route_hints import RouteHints
    from leger.tailscale import Identity
    from leger.token_store import TokenStore


def utc_now() -> datetime:
    """The time now, in UTC: what ``Context.now`` is outside tests."""
    return datetime.now(UTC)


class Context:
    """A command's dependencies."""

    # A plain class (a dataclass costs every command's start-up: see leger.record).
    def __init__(
        self,
        io: IOStreams,
        settings: Settings,
        now: Callable[[], datetime] = utc_now,
        transport: httpx.BaseTransport | None = None,
        tailscale: Callable[[float], Identity] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.io = io
        self.settings = settings
        self.now = now
        # Tests inject an httpx transport (e.g. httpx.MockTransport) and a Tailscale
        # reader; None means the real network and the real ``tailscale`` command.
        self.transport = transport
        self.tailscale = tailscale
        # The environment ``leger run`` hands on: the process's own, as its parent
        # gave it (leger.environ), for the real process.
        self.environ: Mapping[str, str] = dict(os.environ) if environ is None else environ

    def with_settings(self, settings: Settings) -> Context:
        """The same dependencies with other ``settings`` (a command line may override some)."""
        return Context(
            self.io, settings, self.now, self.transport, self.tailscale, environ=self.environ
        )

    def read_identity(self) -> Identity:
        """The Tailscale identity, from the injected reader or ``tailscale status --json``."""
        if self.tailscale is not None:
            return self.tailscale(self.settings.timeout)
        # Only login runs tailscale; other commands skip importing subprocess & co.
        from leger.tailscale import read_identity

        return read_identity(timeout=self.settings.timeout)

    def token_store(self) -> TokenStore:
        """The token file in the configured directory; warnings go to stderr."""
        # Imported here: with LEGER_TOKEN, a command never reads the login file.
        from leger.token_store import TokenStore

        return TokenStore(self.settings.config_dir, warn=self.warn)

    def warn(self, text: str) -> None:
        """Print a warning on stderr."""
        self.io.eprint(self.io.warning(f"Warning: {text}"))

    def credentials(self) -> Credentials | None:
        """LEGER_TOKEN if set, else the stored login (possibly expired), else None."""
        token = self.settings.env_token
        if token:
            return Credentials(token, "env", None, unverified_expiry(token))
        stored = self.token_store().load()
        if stored is None:
            return None
        return Credentials(stored.token, "file", stored, stored.expires_at)

    def login_state(self) -> tuple[Credentials | None, LoginState]:
        """The credentials and whether they may be sent to LEGER_API_URL now."""
        creds = self.credentials()
        return creds, state_of(creds, self.api_url, self.now())

    @property
    def api_url(self) -> str:
        """LEGER_API_URL (or the default) as a login records it (Settings normalises it)."""
        return self.settings.api_url

    def require_credentials(self) -> Credentials:
        """The credentials to send, or AuthRequired (exit 4) before any request.

        A stored login is sent only to the server it came from: with another
        LEGER_API_URL (a repository's .envrc, say) it does not count.
        """
        return check(self.credentials(), self.api_url, self.now())

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

        The form is believed (LEGER_API_ROUTES, else the form a probe last found
        for this server, else the login's) or, without a belief, found by one
        probe; ``leger.api.session`` confirms a belief before it could cost data.
        """
        from leger.api.session import RouteSession

        creds = self.require_credentials()
        belief = self._route_belief(creds)
        return RouteSession(
            self.api(creds.token), belief, remember=self.remember_routes, warn=self.warn
        )

    def route_hints(self) -> RouteHints:
        """The route forms probes found, per server, in the state directory."""
        from leger.route_hints import RouteHints

        return RouteHints(self.settings.state_dir, report=self._debug_line)

    def remember_routes(self, form: RouteForm) -> None:
        """Keep what a probe found LEGER_API_URL to speak, for the next commands."""
        self.route_hints().remember(self.api_url, form, self.now())

    def _route_belief(self, creds: Credentials) -> Belief | None:
        """LEGER_API_ROUTES, else the last probe's answer, else the form stored with the login.

        A probe's answer comes before the login's form: every probe since the
        login (which probes too) has updated it.
        """
        from leger.api.session import Belief, Source

        if self.settings.routes is not None:
            return Belief(self.settings.routes, Source.ENV)
        hint = self.route_hints().read(self.api_url)
        if hint is not None:
            return Belief(hint.form, Source.HINT)
        if creds.stored is not None and creds.stored.api_routes is not None:
            return Belief(creds.stored.api_routes, Source.LOGIN)
        return None

    def _debug_line(self, text: str) -> None:
        """One line for the LEGER_DEBUG log (nothing without it)."""
        if self.settings.debug:
            self.io.eprint(f"[leger debug] {safe_line(text, 2000)}")
