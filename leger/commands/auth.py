"""``leger auth login | status | logout``."""

from __future__ import annotations

import json
from datetime import timedelta

from leger.context import Context
from leger.errors import (
    EXPIRED_HINT_TEXT,
    LOGIN_HINT,
    Exit,
    ExitCode,
    Forbidden,
    LegerError,
    UnexpectedResponse,
)
from leger.terminal import safe_line
from leger.times import rfc3339_seconds
from leger.token_store import StoredAuth

# Tokens live 30 days; a lifetime beyond ten years (or not positive) is a server bug.
_MAX_LIFETIME = 10 * 366 * 24 * 3600

_NOT_LINKED = """Visit https://app.leger.run to link your account
(Web UI will be available in v0.2.0 with device code authentication)

For now, leger.run backend will accept any authenticated Tailscale user."""


def login(ctx: Context) -> None:
    """Read the Tailscale identity, exchange it for a token, store the token."""
    store = ctx.token_store()
    # A login file leger would refuse is refused before anything is sent.
    store.check_writable()
    identity = ctx.read_identity()
    with ctx.api() as api:
        try:
            data = api.authenticate(identity)
        except Forbidden as exc:
            raise _login_refused(exc) from None
    if not 0 < data.expires_in <= _MAX_LIFETIME:
        raise UnexpectedResponse(
            f"leger.run sent an unusable token lifetime ({data.expires_in} s); nothing was saved"
        )
    stored = StoredAuth(
        token=data.token,
        token_type=data.token_type,
        expires_at=ctx.now() + timedelta(seconds=data.expires_in),
        user_uuid=str(data.user_uuid),
        user_email=data.user.tailscale_email,
        api_url=ctx.api_url,
        api_routes=ctx.settings.routes or _detect_routes(ctx, data.token),
    )
    store.save(stored)
    io = ctx.io
    io.print(io.success(f"Authenticated as {safe_line(stored.user_email)}"))
    io.print(f"  User UUID: {stored.user_uuid}")
    io.print(f"  Tailnet: {safe_line(identity.tailnet)}")
    io.print(f"  Token expires: {rfc3339_seconds(stored.expires_at)}")
    io.print(f"  Server: {_server(stored.api_url, stored.api_routes)}")
    if ctx.settings.env_token:
        ctx.warn("LEGER_TOKEN is set: commands use it instead of this login until you unset it")


def status(ctx: Context, as_json: bool) -> None:
    """Report whether commands can authenticate to this server; exit 4 unless they can."""
    creds = ctx.credentials()
    stored = creds.stored if creds else None
    elsewhere = stored is not None and stored.api_url != ctx.api_url
    expired = stored is not None and not elsewhere and not stored.is_valid(ctx.now())
    authenticated = creds is not None and not expired and not elsewhere
    routes = ctx.settings.routes or (stored.api_routes if stored and not elsewhere else None)
    if as_json:
        ctx.io.print(
            json.dumps(
                {
                    "authenticated": authenticated,
                    "expired": expired,
                    "source": creds.source if creds else None,
                    "user_email": stored.user_email if stored else None,
                    "user_uuid": stored.user_uuid if stored else None,
                    "expires_at": rfc3339_seconds(stored.expires_at) if stored else None,
                    "api_url": ctx.api_url,
                    "api_routes": routes,
                    "login_api_url": stored.api_url if stored else None,
                }
            )
        )
    elif elsewhere and stored is not None:
        ctx.io.print(f"Not logged in to {safe_line(ctx.api_url)}")
        ctx.io.print(f"  Your login is for {safe_line(stored.api_url)}")
        ctx.io.print()
        ctx.io.print(LOGIN_HINT)
    else:
        _print_status(ctx, creds.source if creds else None, stored, expired)
        if authenticated:
            ctx.io.print(f"  Server: {_server(ctx.api_url, routes)}")
    if not authenticated:
        raise Exit(ExitCode.AUTH_REQUIRED)


def logout(ctx: Context) -> None:
    """Delete the stored login; logging out twice is fine."""
    removed = ctx.token_store().clear()
    io = ctx.io
    io.print(io.success("Logged out") if removed else "Not logged in: nothing to remove")
    if ctx.settings.env_token:
        ctx.warn("LEGER_TOKEN is still set: unset it to stop authenticating with it")


def _print_status(
    ctx: Context, source: str | None, stored: StoredAuth | None, expired: bool
) -> None:
    io = ctx.io
    if source is None:
        io.print("Not authenticated")
        io.print()
        io.print(LOGIN_HINT)
    elif expired:
        io.print(io.warning("Token expired"))
        io.print()
        io.print(EXPIRED_HINT_TEXT)
    elif stored is None:
        io.print(io.success("Authenticated"))
        io.print("  Source: LEGER_TOKEN environment variable")
    else:
        io.print(io.success("Authenticated"))
        io.print(f"  User: {safe_line(stored.user_email)}")
        io.print(f"  UUID: {stored.user_uuid}")
        io.print(f"  Expires: {rfc3339_seconds(stored.expires_at)}")
        io.print(f"  Source: {ctx.token_store().path}")


def _detect_routes(ctx: Context, token: str) -> str:
    """Which route form the server speaks, asked once at login with the new token."""
    from leger.api.secrets import detect_routes

    with ctx.api(token) as api:
        return detect_routes(api)


def _server(url: str, routes: str | None) -> str:
    form = {"rest": "REST routes", "v0.1": "v0.1 routes"}.get(routes or "", "routes not known yet")
    return f"{safe_line(url)} ({form})"


def _login_refused(exc: Forbidden) -> LegerError:
    if exc.code == "account_not_linked":
        return LegerError("Tailscale account not linked to leger.run", hint=_NOT_LINKED)
    if exc.code == "tailscale_verification_failed":
        return LegerError(
            "leger.run could not verify this device in your tailnet",
            hint="Check that this device is logged in and authorized:\n  tailscale status",
        )
    return LegerError(f"authentication failed: {exc.message}", hint=exc.hint)
