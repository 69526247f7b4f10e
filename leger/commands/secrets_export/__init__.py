"""``leger secrets export [--format FORMAT] [--only NAMES]``: the secrets, in one request."""

from __future__ import annotations

from leger.command import Command, Param
from leger.commands.secrets_export.formats import FORMATS, formatter
from leger.context import Context
from leger.envnames import Entry, env_entries
from leger.selection import ONLY_PARAM, fetch_selected


def export_secrets(ctx: Context, *, format: str = "dotenv", only: str | None = None) -> None:
    """Write the chosen secrets to stdout in one format, and nothing else there."""
    write = formatter(format)  # a wrong --format costs no request
    pairs = [(secret.name, secret.value) for secret in fetch_selected(ctx, only)]
    if format == "json":  # JSON keeps the secret names as they are
        entries = [Entry(name, name, value) for name, value in pairs]
    else:
        entries = env_entries(pairs)
    ctx.io.write(write(entries).encode("utf-8"))


COMMAND = Command(
    run=export_secrets,
    summary="Write your secrets to stdout, for a file, a shell or a container",
    params={
        "format": Param(
            "dotenv: NAME=\"value\", read back exactly by 'leger secrets import' and "
            "python-dotenv; shell: export NAME='value', for eval; json: one object, secret "
            "name -> value (names kept as they are), read back exactly by 'leger secrets "
            "import --format json'; env-file: NAME=value for podman or "
            "docker --env-file (no multi-line values).",
            metavar="FORMAT",
            choices=tuple(FORMATS),
        ),
        "only": ONLY_PARAM,
    },
    description="""\
Fetches the secrets in one request (on leger.run's REST routes) and writes
them to stdout, sorted by name; messages go to stderr. Variable names are the
secret names upper-cased, every character other than A-Z, 0-9 and _ made _
(github-token -> GITHUB_TOKEN); two secrets with one variable name, or one
that would replace PATH, HOME, SHELL, USER, PWD, IFS, LD_* or PYTHON*, are an
error.""",
    examples=(
        "leger secrets export > .env",
        'eval "$(leger secrets export --format shell)"',
        "podman run --env-file <(leger secrets export --format env-file) IMAGE",
        "leger secrets export --format json --only openai_api_key,github-token",
    ),
    see_also=("secrets import", "run"),
)
