"""``leger auth status [--json]``: can commands authenticate to this server, and as whom."""

from __future__ import annotations

from json import dumps

from leger.api.routes import describe_server
from leger.command import Command, Param
from leger.context import Context
from leger.credentials import Credentials, LoginState, expired_hint
from leger.errors import LOGIN_HINT, Exit, ExitCode
from leger.terminal import safe_line
from leger.times import rfc3339_seconds

# The keys of --json, in order (the README and the help list them; a test checks all three).
JSON_KEYS = (
    "authenticated",
    "expired",
    "source",
    "user_email",
    "user_uuid",
    "expires_at",
    "api_url",
    "api_routes",
    "login_api_url",
)


def status(ctx: Context, *, json: bool = False) -> None:
    """Report whether commands can authenticate to this server; exit 4 unless they can."""
    creds, state = ctx.login_state()
    stored = creds.stored if creds else None
    routes = ctx.settings.routes or (
        stored.api_routes if stored and state is not LoginState.ELSEWHERE else None
    )
    if json:
        ctx.io.print(dumps(_as_json(ctx, creds, state, routes)))
    elif state is LoginState.ELSEWHERE and stored is not None:
        ctx.io.print(f"Not logged in to {safe_line(ctx.api_url)}")
        ctx.io.print(f"  Your login is for {safe_line(stored.api_url)}")
        ctx.io.print()
        ctx.io.print(LOGIN_HINT)
    else:
        _print_status(ctx, creds, state)
        if state is LoginState.USABLE:
            ctx.io.print(f"  Server: {describe_server(ctx.api_url, routes)}")
    if state is not LoginState.USABLE:
        raise Exit(ExitCode.AUTH_REQUIRED)


def _as_json(
    ctx: Context, creds: Credentials | None, state: LoginState, routes: str | None
) -> dict[str, object]:
    stored = creds.stored if creds else None
    values: dict[str, object] = {
        "authenticated": state is LoginState.USABLE,
        "expired": state is LoginState.EXPIRED,
        "source": creds.source if creds else None,
        "user_email": stored.user_email if stored else None,
        "user_uuid": stored.user_uuid if stored else None,
        "expires_at": rfc3339_seconds(creds.expires_at) if creds and creds.expires_at else None,
        "api_url": ctx.api_url,
        "api_routes": routes,
        "login_api_url": stored.api_url if stored else None,
    }
    return values


def _print_status(ctx: Context, creds: Credentials | None, state: LoginState) -> None:
    io = ctx.io
    if creds is None:
        io.print("Not authenticated")
        io.print()
        io.print(LOGIN_HINT)
        return
    if state is LoginState.EXPIRED:
        assert creds.expires_at is not None
        io.print(io.warning("Token expired"))
        io.print()
        if creds.source == "env":
            io.print(f"The token in LEGER_TOKEN expired at {rfc3339_seconds(creds.expires_at)}.")
            io.print("Set LEGER_TOKEN to a current token, or unset it and run: leger auth login")
        else:
            io.print(expired_hint(creds.expires_at))
        return
    io.print(io.success("Authenticated"))
    if creds.stored is None:
        io.print("  Source: LEGER_TOKEN environment variable")
        if creds.expires_at is not None:
            io.print(f"  Expires: {rfc3339_seconds(creds.expires_at)} (read from the token)")
        return
    io.print(f"  User: {safe_line(creds.stored.user_email)}")
    io.print(f"  UUID: {creds.stored.user_uuid}")
    io.print(f"  Expires: {rfc3339_seconds(creds.stored.expires_at)}")
    io.print(f"  Source: {ctx.token_store().path}")


COMMAND = Command(
    run=status,
    summary="Show whether commands can authenticate, as whom and to which server",
    params={
        "json": Param(
            "Print one JSON object with the keys " + ", ".join(JSON_KEYS) + " (see the README)."
        ),
    },
    description="""\
Exits 0 only when commands can authenticate to the server in LEGER_API_URL:
with LEGER_TOKEN, or with a stored login made with that server that has not
expired. Otherwise it says why (not logged in, expired, logged in to another
server) and exits 4.""",
    examples=("leger auth status", "leger auth status --json"),
    see_also=("auth login",),
)
