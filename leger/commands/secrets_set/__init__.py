"""``leger secrets set NAME [VALUE] [--label TEXT]``: create or update a secret."""

from __future__ import annotations

from leger.command import Command, Param
from leger.commands.secrets_set.value_input import resolve_value
from leger.context import Context
from leger.terminal import safe_line
from leger.times import rfc3339
from leger.validation import check_label, check_name, check_value


def set_secret(
    ctx: Context, name: str, value: str | None = None, *, label: str | None = None
) -> None:
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


COMMAND = Command(
    run=set_secret,
    summary="Create or update a secret",
    params={
        "name": Param(
            "1-64 letters, digits, '_' and '-' (and ':' on leger.run's REST routes).",
        ),
        "value": Param(
            "'-' reads stdin (one trailing newline is removed); '@PATH' reads a file "
            "exactly; omitted: a prompt without echo on a terminal, else stdin. A value "
            "typed here is visible to other users in the process list and lands in your "
            "shell history: prefer the prompt, stdin or @PATH.",
        ),
        "label": Param(
            "A human label, on leger.run's REST routes only; --label= clears it, "
            "and without --label the label is kept.",
            metavar="TEXT",
        ),
    },
    description="""\
The value is stored exactly: '123', 'True' and '[1,2]' stay text. Names and
values are checked before anything is sent: values are 1 to 10240 bytes of
UTF-8. A value that starts with '-' goes after '--'; one that is exactly '-'
or starts with '@' is given on stdin.""",
    examples=(
        "leger secrets set openai_api_key",
        "printf '%s' \"$OPENAI_API_KEY\" | leger secrets set openai_api_key -",
        "leger secrets set ssh_key @~/.ssh/id_ed25519",
        "leger secrets set db_url --label 'Production DB' -",
    ),
    see_also=("secrets get", "secrets import"),
)
