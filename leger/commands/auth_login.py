"""``leger auth login``: exchange the Tailscale identity for a token and store it."""

from __future__ import annotations

from datetime import timedelta

from leger.api.routes import RouteForm, describe_server
from leger.command import Command
from leger.context import Context
from leger.errors import Forbidden, LegerError, UnexpectedResponse
from leger.terminal import safe_line
from leger.times import rfc3339_seconds
from leger.token_store import StoredAuth

# leger.run's tokens live a year; one beyond ten years (or not positive) is a server bug.
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
    io.print(f"  Server: {describe_server(stored.api_url, stored.api_routes)}")
    if ctx.settings.env_token:
        ctx.warn("LEGER_TOKEN is set: commands use it instead of this login until you unset it")


def _detect_routes(ctx: Context, token: str) -> RouteForm:
    """Which route form the server speaks, asked once at login with the new token."""
    from leger.api.detect import detect_routes

    with ctx.api(token) as api:
        form = detect_routes(api)
    ctx.remember_routes(form)
    return form


def _login_refused(exc: Forbidden) -> LegerError:
    if exc.code == "account_not_linked":
        return LegerError("Tailscale account not linked to leger.run", hint=_NOT_LINKED)
    if exc.code == "tailscale_verification_failed":
        return LegerError(
            "leger.run could not verify this device in your tailnet",
            hint="Check that this device is logged in and authorized:\n  tailscale status",
        )
    return LegerError(f"authentication failed: {exc.message}", hint=exc.hint)


COMMAND = Command(
    run=login,
    summary="Log in to leger.run with your Tailscale identity",
    description="""\
Reads your Tailscale identity on this machine (tailscale status --json), sends
it to leger.run, and stores the token leger.run gives back in
$XDG_CONFIG_HOME/leger/auth.json (mode 0600), with the server it belongs to.
The token lasts as long as leger.run says; login prints when it expires.
Requires a running, logged-in Tailscale.""",
    examples=("leger auth login", "LEGER_API_URL=https://app.leger.run/api leger auth login"),
    see_also=("auth status", "auth logout"),
)
