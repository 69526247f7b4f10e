"""``leger secrets delete NAME [--force]``: delete a secret, after asking on a terminal."""

from __future__ import annotations

from leger.command import Command, Param
from leger.context import Context
from leger.errors import SecretNotFound, UsageError, secret_not_found
from leger.times import rfc3339
from leger.validation import check_name


def delete_secret(ctx: Context, name: str, *, force: bool = False) -> None:
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
            raise secret_not_found(name) from None
    io.print(io.success(f"Secret {name} deleted"))
    if result.deleted_at is not None:
        io.print(f"  Deleted at: {rfc3339(result.deleted_at)}")


COMMAND = Command(
    run=delete_secret,
    summary="Delete a secret (permanently)",
    params={
        "name": Param("The secret's name."),
        "force": Param("Do not ask for confirmation (required when stdin is not a terminal)."),
    },
    description="""\
On a terminal, asks 'Delete secret "NAME"? [y/N]'; only y or yes deletes.
Without a terminal it refuses to run unless --force is given, so a script
never hangs on, nor silently skips, a question.""",
    examples=("leger secrets delete openai_api_key", "leger secrets delete openai_api_key --force"),
    see_also=("secrets list",),
)
