"""``leger secrets import FILE|- [--format dotenv|json] [--dry-run]``: one secret per entry.

All or report: every entry is checked before the first write, first on its own
(the file's syntax, names, values, repeats, two names with one variable name),
then against the server (its route form's rules, names it reserves, secrets of
another name with the same variable name); a file with any problem writes
nothing. A write that fails midway stops the import with the exact list of
what was written, failed and not attempted (exit 1). Results go to stdout
(``writes``), progress and errors to stderr.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from leger.command import Command, Param
from leger.context import Context
from leger.errors import InputError, UsageError
from leger.iostreams import IOStreams, read_at_most

if TYPE_CHECKING:
    from leger.api.results import SecretInfo
    from leger.api.secrets import SecretsApi
    from leger.commands.secrets_import.checks import ImportEntry

    Reader = Callable[[bytes, str], Sequence[ImportEntry]]

FORMATS = ("dotenv", "json")
# A file of the biggest valid values would be ~10 KiB per entry; this bound
# allows hundreds of them yet stops `leger secrets import /dev/zero`.
_READ_LIMIT = 16 * 1024 * 1024


def import_secrets(
    ctx: Context, file: str, *, format: str = "dotenv", dry_run: bool = False
) -> None:
    """Create or update one secret per entry of ``file`` (``-``: stdin) in ``format``."""
    from leger.commands.secrets_import import checks

    read, form = _reader(format)  # a wrong --format costs no read and no request
    source, data = _read(file, ctx.io, format)
    entries = read(data, source)  # before login and requests: the file on its own
    if not entries:
        ctx.io.eprint(f"No entries in {source}; nothing to import")
        return
    with ctx.secrets() as api:
        listed = api.list_secrets()
        problems = checks.entry_problems(entries, api.check_set)
        problems += checks.clash_problems(entries, (info.name for info in listed))
        if problems:
            raise checks.refused(source, problems, form)
        _warn_if_incomplete(ctx, listed)
        if dry_run:
            _preview(ctx.io, api, entries, listed)
        else:
            from leger.commands.secrets_import.writes import write_all

            write_all(ctx.io, api, entries)


def _reader(format: str) -> tuple[Reader, str]:
    # Imported here: only an import pays for its parser (help lists this command).
    if format == "dotenv":
        from leger.commands.secrets_import import dotenv_file

        return dotenv_file.read_entries, dotenv_file.FORM
    if format == "json":
        from leger.commands.secrets_import import json_file

        return json_file.read_entries, json_file.FORM
    raise UsageError("Unknown --format", hint=f"Formats: {', '.join(FORMATS)} (default: dotenv).")


def _read(file: str, io: IOStreams, format: str) -> tuple[str, bytes]:
    if file == "-":
        if io.stdin_is_tty:
            io.eprint(f"Reading {format} entries from the terminal; end with Ctrl-D.")
        return "stdin", _bounded(io.read_stdin(_READ_LIMIT), "stdin", format)
    path = os.path.expanduser(file)
    try:
        with open(path, "rb") as handle:
            return path, _bounded(read_at_most(handle, _READ_LIMIT), path, format)
    except OSError as error:
        raise InputError(f"Cannot read {path}: {error.strerror}") from None


def _bounded(data: bytes, source: str, format: str) -> bytes:
    if len(data) >= _READ_LIMIT:
        raise InputError(f"{source} is too large for a {format} file of secrets")
    return data


def _warn_if_incomplete(ctx: Context, listed: Sequence[SecretInfo]) -> None:
    from leger.api.results import possibly_incomplete
    from leger.selection import INCOMPLETE_LIST

    if possibly_incomplete(listed):
        ctx.warn(
            f"{INCOMPLETE_LIST}; an entry's variable name was checked against the listed ones only"
        )


def _preview(
    io: IOStreams, api: SecretsApi, entries: Sequence[ImportEntry], listed: Sequence[SecretInfo]
) -> None:
    """``Would create``/``Would update`` each entry; a name the list lacks is asked by name."""
    from leger.api.results import possibly_incomplete

    existing = {info.name for info in listed}
    if possibly_incomplete(listed):
        unlisted = [entry.name for entry in entries if entry.name not in existing]
        existing |= {secret.name for secret in api.fetch_by_name(unlisted)} if unlisted else set()
    for entry in entries:
        io.print(f"Would {'update' if entry.name in existing else 'create'} {entry.name}")
    updates = sum(entry.name in existing for entry in entries)
    io.print()
    io.print(
        f"Dry run: {len(entries) - updates} to create, {updates} to update; nothing was written."
    )


COMMAND = Command(
    run=import_secrets,
    summary="Create or update one secret per entry of a dotenv or JSON file",
    params={
        "file": Param("A dotenv or JSON file, or '-' for stdin.", metavar="FILE", path=True),
        "format": Param(
            "dotenv: NAME=value entries, whose names are taken as secret names; json: "
            "one object, secret name -> value, as 'leger secrets export --format json' "
            "writes it (names kept exactly: use it to copy secrets).",
            metavar="FORMAT",
            choices=FORMATS,
        ),
        "dry_run": Param(
            "Show which secrets would be created or updated, or every problem (exit 1); "
            "write nothing."
        ),
    },
    description="""\
dotenv reads NAME=value, NAME="value" (escapes, multi-line), NAME='value',
'export NAME=...', comments, blank lines and CRLF files, with python-dotenv's
parser. Every entry is checked before anything is written, as 'secrets set'
checks it, and so is each entry's variable name: two secrets whose names
become one variable (K_FILE and k_file) are refused, in the file or with a
secret already on leger.run, as run and export could not hold both. A file with
any problem writes nothing. A write that fails midway stops with the list of
entries written, failed and not attempted (exit 1).""",
    examples=(
        "leger secrets import .env --dry-run",
        "leger secrets import .env",
        "leger secrets export --format json | ssh host leger secrets import --format json -",
    ),
    see_also=("secrets export", "secrets set"),
)
