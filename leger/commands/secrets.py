"""``leger secrets set | list | get | delete``."""

from __future__ import annotations

import json

from leger.context import Context
from leger.errors import LegerError, SecretNotFound, UsageError
from leger.secret_input import resolve_value
from leger.terminal import safe_line
from leger.times import rfc3339, utc_day
from leger.validation import check_name, check_value


def set_secret(ctx: Context, name: str, value: str | None) -> None:
    """Create or update a secret from an argument, stdin, a file or a prompt."""
    check_name(name)
    value = check_value(resolve_value(value, ctx.io))
    with ctx.authed_api() as api:
        result = api.set_secret(name, value)
    io = ctx.io
    io.print(io.success("Secret created" if result.created else "Secret updated"))
    io.print(f"  Name: {safe_line(result.data.name)}")
    io.print(f"  Version: {result.data.version}")
    io.print(f"  Updated: {rfc3339(result.data.updated_at)}")


def list_secrets(ctx: Context, as_json: bool) -> None:
    """Print the secrets' metadata as a table, or as a JSON array."""
    with ctx.authed_api() as api:
        secrets = api.list_secrets()
    io = ctx.io
    if as_json:
        rows = [
            {
                "name": s.name,
                "created_at": rfc3339(s.created_at),
                "updated_at": rfc3339(s.updated_at),
                "version": s.version,
            }
            for s in secrets
        ]
        io.print(json.dumps(rows, indent=2))
        return
    if not secrets:
        io.print("No secrets configured")
        io.print()
        io.print("Add secrets with: leger secrets set <name> <value>")
        return
    table = [("Name", "Created", "Updated", "Version")]
    table += [
        (safe_line(s.name), utc_day(s.created_at), utc_day(s.updated_at), str(s.version))
        for s in secrets
    ]
    widths = [max(len(row[col]) for row in table) for col in range(4)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in table
    ]
    io.write("\n".join(lines).encode("utf-8") + b"\n")
    io.print()
    io.print(f"Total: {len(secrets)} secret{'' if len(secrets) == 1 else 's'}")


def get_secret(ctx: Context, name: str) -> None:
    """Write the value to stdout, byte for byte, with no newline added."""
    check_name(name)
    with ctx.authed_api() as api:
        try:
            secret = api.get_secret(name)
        except SecretNotFound:
            raise _not_found(name) from None
    ctx.io.write(secret.value.encode("utf-8"))


def delete_secret(ctx: Context, name: str, force: bool) -> None:
    """Delete after a confirmation on a terminal; scripts must pass --force."""
    check_name(name)
    io = ctx.io
    if not force:
        if not io.stdin_is_tty:
            raise UsageError(
                f'Refusing to delete "{name}" without confirmation: stdin is not a terminal',
                hint=f"To delete without a prompt, run: leger secrets delete {name} --force",
            )
        ctx.require_credentials()  # say "not authenticated" before asking, not after
        if not io.confirm(f'Delete secret "{name}"?'):
            io.eprint("Cancelled")
            return
    with ctx.authed_api() as api:
        try:
            result = api.delete_secret(name)
        except SecretNotFound:
            raise _not_found(name) from None
    io.print(io.success(f"Secret {name} deleted"))
    io.print(f"  Deleted at: {rfc3339(result.deleted_at)}")


def _not_found(name: str) -> LegerError:
    return LegerError(
        f'Secret "{name}" not found',
        hint=f"List available secrets:\n  leger secrets list\n\n"
        f"Create secret:\n  leger secrets set {name} <value>",
    )
