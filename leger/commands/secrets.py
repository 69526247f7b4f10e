"""``leger secrets set | list | get | delete``, the same on both route forms."""

from __future__ import annotations

import json

from leger.api.results import SecretInfo
from leger.context import Context
from leger.errors import LegerError, SecretNotFound, UsageError
from leger.secret_input import resolve_value
from leger.terminal import safe_line
from leger.times import rfc3339, utc_day
from leger.validation import check_label, check_name, check_value


def set_secret(ctx: Context, name: str, value: str | None, *, label: str | None = None) -> None:
    """Create or update a secret from an argument, stdin, a file or a prompt."""
    check_name(name)
    if label is not None:
        check_label(label)
    value = check_value(resolve_value(value, ctx.io))
    with ctx.secrets() as api:
        result = api.set_secret(name, value, label)
    io = ctx.io
    io.print(io.success("Secret created" if result.created else "Secret updated"))
    io.print(f"  Name: {safe_line(result.name)}")
    io.print(f"  Version: {result.version}")
    if result.updated_at is not None:
        io.print(f"  Updated: {rfc3339(result.updated_at)}")


def list_secrets(ctx: Context, as_json: bool) -> None:
    """Print the secrets' metadata as a table, or as a JSON array."""
    with ctx.secrets() as api:
        secrets = api.list_secrets()
    io = ctx.io
    if as_json:
        io.print(json.dumps([_as_json(s) for s in secrets], indent=2))
        return
    if not secrets:
        io.print("No secrets configured")
        io.print()
        io.print("Add secrets with: leger secrets set <name> <value>")
        return
    io.write(_table(secrets).encode("utf-8"))
    io.print()
    io.print(f"Total: {len(secrets)} secret{'' if len(secrets) == 1 else 's'}")


def get_secret(ctx: Context, name: str) -> None:
    """Write the value to stdout, byte for byte, with no newline added."""
    check_name(name)
    with ctx.secrets() as api:
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
    with ctx.secrets() as api:
        try:
            result = api.delete_secret(name)
        except SecretNotFound:
            raise _not_found(name) from None
    io.print(io.success(f"Secret {name} deleted"))
    if result.deleted_at is not None:
        io.print(f"  Deleted at: {rfc3339(result.deleted_at)}")


def _as_json(secret: SecretInfo) -> dict[str, object]:
    return {
        "name": secret.name,
        "created_at": rfc3339(secret.created_at),
        "updated_at": rfc3339(secret.updated_at),
        "version": secret.version,
        "label": secret.label,
    }


def _table(secrets: list[SecretInfo]) -> str:
    """Aligned columns; a Label column only when some secret has a label."""
    with_labels = any(s.label for s in secrets)
    header = ["Name", "Created", "Updated", "Version"] + (["Label"] if with_labels else [])
    rows = [header]
    for s in secrets:
        row = [safe_line(s.name), utc_day(s.created_at), utc_day(s.updated_at), str(s.version)]
        rows.append(row + ([safe_line(s.label or "", 60)] if with_labels else []))
    widths = [max(len(row[col]) for row in rows) for col in range(len(header))]
    return "".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        + "\n"
        for row in rows
    )


def _not_found(name: str) -> LegerError:
    return LegerError(
        f'Secret "{name}" not found',
        hint=f"List available secrets:\n  leger secrets list\n\n"
        f"Create secret:\n  leger secrets set {name} <value>",
    )
