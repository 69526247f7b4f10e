"""``leger secrets list [--json]``: the secrets' metadata, never their values."""

from __future__ import annotations

from json import dumps

from leger.api.results import LIST_LIMIT, SecretInfo, possibly_incomplete
from leger.command import Command, Param
from leger.context import Context
from leger.selection import INCOMPLETE_LIST
from leger.terminal import safe_line
from leger.times import rfc3339, utc_day

# The keys of each --json entry, in order (the help and the README list them).
JSON_KEYS = ("name", "created_at", "updated_at", "version", "label")


def list_secrets(ctx: Context, *, json: bool = False) -> None:
    """Print the secrets' metadata as a table, or as a JSON array.

    A list that may be incomplete is printed as it came, with a warning on stderr.
    """
    with ctx.secrets() as api:
        secrets = api.list_secrets()
    _print(ctx, secrets, json)
    if possibly_incomplete(secrets):
        ctx.warn(f"{INCOMPLETE_LIST}; read one by name with: leger secrets get NAME")


def _print(ctx: Context, secrets: list[SecretInfo], json: bool) -> None:
    io = ctx.io
    if json:
        io.print(dumps([_as_json(s) for s in secrets], indent=2))
        return
    if not secrets:
        io.print("No secrets configured")
        io.print()
        io.print("Add secrets with: leger secrets set <name> <value>")
        return
    io.write(_table(secrets).encode("utf-8"))
    io.print()
    io.print(f"Total: {len(secrets)} secret{'' if len(secrets) == 1 else 's'}")


def _as_json(secret: SecretInfo) -> dict[str, object]:
    values: dict[str, object] = {
        "name": secret.name,
        "created_at": rfc3339(secret.created_at),
        "updated_at": rfc3339(secret.updated_at),
        "version": secret.version,
        "label": secret.label,
    }
    return values


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


COMMAND = Command(
    run=list_secrets,
    summary="List your secrets (names and dates, never values)",
    params={
        "json": Param("Print a JSON array of objects with the keys " + ", ".join(JSON_KEYS) + "."),
    },
    description=f"""\
Shows each secret's name, creation and update day (UTC) and version, with a
Label column when any secret has a label, then the total. leger.run lists at
most {LIST_LIMIT} secrets: a list that long may lack some, and says so on stderr.""",
    examples=("leger secrets list", "leger secrets list --json"),
    see_also=("secrets get", "secrets set"),
)
