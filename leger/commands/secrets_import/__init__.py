"""``leger secrets import FILE|- [--dry-run]``: one secret per entry of a dotenv file.

All or report: every entry is checked before the first request, and a write
that fails midway stops the import with the exact list of what was written,
what failed and what was not attempted (exit 1). Results go to stdout;
progress (many entries, stderr on a terminal) and errors go to stderr.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from leger.command import Command, Param
from leger.context import Context
from leger.errors import InputError, LegerError
from leger.iostreams import IOStreams, read_at_most

if TYPE_CHECKING:
    from leger.api.secrets import SecretsApi
    from leger.commands.secrets_import.dotenv_file import DotenvEntry

# A file of the biggest valid values would be ~10 KiB per entry; this bound
# allows hundreds of them yet stops `leger secrets import /dev/zero`.
_READ_LIMIT = 16 * 1024 * 1024
_PROGRESS_FROM = 10  # entries; fewer finish before progress would be worth reading
_CLEAR_LINE = "\r\x1b[K"


def import_secrets(ctx: Context, file: str, *, dry_run: bool = False) -> None:
    """Create or update one secret per entry of the dotenv file ``file`` (``-``: stdin)."""
    # Imported here: only an import pays for the dotenv parser (help lists this command).
    from leger.commands.secrets_import.dotenv_file import read_entries

    source, data = _read(file, ctx.io)
    entries = read_entries(data, source)  # before login and requests: the file on its own
    if not entries:
        ctx.io.eprint(f"No entries in {source}; nothing to import")
        return
    with ctx.secrets() as api:
        read_entries(data, source, api.check_name)  # names this server's route form refuses
        if dry_run:
            _preview(ctx.io, api, entries)
        else:
            _write_all(ctx.io, api, entries)


def _read(file: str, io: IOStreams) -> tuple[str, bytes]:
    if file == "-":
        if io.stdin_is_tty:
            io.eprint("Reading dotenv entries from the terminal; end with Ctrl-D.")
        return "stdin", _bounded(io.read_stdin(_READ_LIMIT), "stdin")
    path = os.path.expanduser(file)
    try:
        with open(path, "rb") as handle:
            return path, _bounded(read_at_most(handle, _READ_LIMIT), path)
    except OSError as error:
        raise InputError(f"Cannot read {path}: {error.strerror}") from None


def _bounded(data: bytes, source: str) -> bytes:
    if len(data) >= _READ_LIMIT:
        raise InputError(f"{source} is too large for a dotenv file of secrets")
    return data


def _preview(io: IOStreams, api: SecretsApi, entries: Sequence[DotenvEntry]) -> None:
    existing = {secret.name for secret in api.list_secrets()}
    for entry in entries:
        io.print(f"Would {'update' if entry.name in existing else 'create'} {entry.name}")
    updates = sum(entry.name in existing for entry in entries)
    io.print()
    io.print(
        f"Dry run: {len(entries) - updates} to create, {updates} to update; nothing was written."
    )


def _write_all(io: IOStreams, api: SecretsApi, entries: Sequence[DotenvEntry]) -> None:
    progress = len(entries) >= _PROGRESS_FROM and io.stderr.isatty()
    created = 0
    for done, entry in enumerate(entries):
        if progress:
            io.stderr.write(f"{_CLEAR_LINE}Importing {done + 1}/{len(entries)}: {entry.name}")
            io.stderr.flush()
        try:
            outcome = api.set_secret(entry.name, entry.value)
        except (LegerError, KeyboardInterrupt) as error:
            if progress:
                io.stderr.write(_CLEAR_LINE)
            report = _stopped(entries, done, error)
            if isinstance(error, KeyboardInterrupt):
                io.eprint(report.message)
                raise
            raise report from None
        if progress:
            io.stderr.write(_CLEAR_LINE)
        created += outcome.created
        verb = "Created" if outcome.created else "Updated"
        io.print(io.success(f"{verb} {entry.name} (version {outcome.version})"))
    io.print()
    io.print(f"Imported {len(entries)}: {created} created, {len(entries) - created} updated.")


def _stopped(
    entries: Sequence[DotenvEntry], done: int, error: LegerError | KeyboardInterrupt
) -> LegerError:
    """What an import that stopped at ``entries[done]`` did and did not write."""
    failed = entries[done]
    reason = error.message if isinstance(error, LegerError) else "interrupted"
    lines = [
        f"The import stopped at {failed.name} (line {failed.line}): {reason}",
        f"  Written ({done}): {_names(entries[:done])}",
        f"  Failed (1): {failed.name}",
        f"  Not attempted ({len(entries) - done - 1}): {_names(entries[done + 1 :])}",
    ]
    return LegerError(
        "\n".join(lines),
        hint="Written entries are stored; importing the file again updates them to the same "
        "values. (A request that timed out may have been stored: check with leger secrets list.)",
    )


def _names(entries: Sequence[DotenvEntry]) -> str:
    return ", ".join(entry.name for entry in entries) or "none"


COMMAND = Command(
    run=import_secrets,
    summary="Create or update one secret per entry of a dotenv file",
    params={
        "file": Param("A dotenv file, or '-' for stdin.", metavar="FILE", path=True),
        "dry_run": Param("Show which secrets would be created or updated; write nothing."),
    },
    description="""\
Reads NAME=value, NAME="value" (escapes, multi-line), NAME='value',
'export NAME=...', comments, blank lines and CRLF files, with python-dotenv's
parser. Every entry is checked before anything is sent; a write that fails
midway stops with the list of entries written, failed and not attempted
(exit 1).""",
    examples=(
        "leger secrets import .env --dry-run",
        "leger secrets import .env",
        "leger secrets export | ssh other-host leger secrets import -",
    ),
    see_also=("secrets export", "secrets set"),
)
