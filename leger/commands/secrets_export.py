"""``leger secrets export [--format dotenv|shell|json|env-file] [--only NAME,...]``."""

from __future__ import annotations

from leger.context import Context
from leger.envnames import Entry, env_entries
from leger.export_formats import formatter
from leger.selection import fetch_selected


def export_secrets(ctx: Context, format_name: str, only: str | None) -> None:
    """Write the chosen secrets to stdout in one format, and nothing else there."""
    write = formatter(format_name)  # a wrong --format costs no request
    pairs = [(secret.name, secret.value) for secret in fetch_selected(ctx, only)]
    if format_name == "json":  # JSON keeps the secret names as they are
        entries = [Entry(name, name, value) for name, value in pairs]
    else:
        entries = env_entries(pairs)
    ctx.io.write(write(entries).encode("utf-8"))
