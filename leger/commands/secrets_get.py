"""``leger secrets get NAME``: the value on stdout, byte for byte, and nothing else."""

from __future__ import annotations

from leger.command import Command, Param
from leger.context import Context
from leger.errors import SecretNotFound, secret_not_found
from leger.validation import check_name


def get_secret(ctx: Context, name: str) -> None:
    """Write the value to stdout, byte for byte, with no newline added."""
    check_name(name)
    with ctx.secrets() as api:
        try:
            secret = api.get_secret(name)
        except SecretNotFound:
            raise secret_not_found(name) from None
    ctx.io.write(secret.value.encode("utf-8"))


COMMAND = Command(
    run=get_secret,
    summary="Print a secret's value",
    params={"name": Param("The secret's name.")},
    description="""\
Writes the value to stdout exactly, with no newline added; every message goes
to stderr. The value is data, not made safe for a terminal: send it to a
variable, a file or a program.""",
    examples=(
        "export OPENAI_API_KEY=$(leger secrets get openai_api_key)",
        "leger secrets get ssh_key > ~/.ssh/id_ed25519",
    ),
    see_also=("secrets list", "run"),
)
