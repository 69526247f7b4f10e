"""The writes of an import, one secret per entry, and the exact account of them.

Results go to stdout, one line per secret. stdout may fail (a full disk, a
closed descriptor, a reader that went away) while the writes succeed: from then on the results, the
ones already shown included, go to stderr, the writes go on, and the import
ends with the output error (exit 1), so what was written is always said. A
write that fails stops the import with the lists of entries written, failed
and not attempted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from leger.errors import LegerError, OutputError
from leger.iostreams import IOStreams

if TYPE_CHECKING:
    from leger.api.secrets import SecretsApi
    from leger.commands.secrets_import.checks import ImportEntry

_PROGRESS_FROM = 10  # entries; fewer finish before progress would be worth reading
_CLEAR_LINE = "\r\x1b[K"


class Results:
    """The result lines: to stdout while it takes them, then (all of them) to stderr."""

    def __init__(self, io: IOStreams) -> None:
        self.io = io
        self.lines: list[str] = []
        self.failure: OutputError | None = None

    def say(self, line: str = "", *, marked: bool = False) -> None:
        """One result line; ``marked`` lines get the success mark on a colour terminal."""
        self.lines.append(line)
        if self.failure is None:
            try:
                self.io.print(self.io.success(line) if marked else line)
                return
            except (OutputError, BrokenPipeError) as error:
                # A reader that went away (EPIPE) is no reason to leave writes unsaid either.
                failure = error if isinstance(error, OutputError) else OutputError(error)
                self.failure = failure
                self.io.eprint(f"{failure.message}; the results go to stderr instead:")
                for shown in self.lines[:-1]:
                    self.io.eprint(shown)
        self.io.eprint(line)

    def finish(self) -> None:
        """End with the output error, once everything was written and said."""
        if self.failure is not None:
            raise self.failure


def write_all(io: IOStreams, api: SecretsApi, entries: Sequence[ImportEntry]) -> None:
    """Set each entry in order; stop at the first failed write with what was done."""
    results = Results(io)
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
        results.say(f"{verb} {entry.name} (version {outcome.version})", marked=True)
    results.say()
    results.say(f"Imported {len(entries)}: {created} created, {len(entries) - created} updated.")
    results.finish()


def _stopped(
    entries: Sequence[ImportEntry], done: int, error: LegerError | KeyboardInterrupt
) -> LegerError:
    """What an import that stopped at ``entries[done]`` did and did not write."""
    failed = entries[done]
    reason = error.message if isinstance(error, LegerError) else "interrupted"
    lines = [
        f"The import stopped at {failed.name} ({failed.where}): {reason}",
        f"  Written ({done}): {_names(entries[:done])}",
        f"  Failed (1): {failed.name}",
        f"  Not attempted ({len(entries) - done - 1}): {_names(entries[done + 1 :])}",
    ]
    return LegerError(
        "\n".join(lines),
        hint="Written entries are stored; importing the file again updates them to the same "
        "values. (A request that timed out may have been stored: check with leger secrets list.)",
    )


def _names(entries: Sequence[ImportEntry]) -> str:
    return ", ".join(entry.name for entry in entries) or "none"
