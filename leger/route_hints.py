"""What a probe found a server to speak, remembered per server URL: a hint, never a fact.

Without a hint every process that authenticates with ``LEGER_TOKEN`` would ask
the server which route form it speaks (a full ``GET /secrets``) before its real
request. A hint lets it go straight to the route; ``leger.api.session`` treats
it as a belief like any other (a REST write or a read on the wrong form fails
harmlessly and is re-probed, and a v0.1 set is always confirmed first).

One small JSON file per URL in ``$XDG_STATE_HOME/leger`` (default
``~/.local/state/leger``), named by a hash of the URL, holding ``url``, ``form``
and ``probed_at``. The directory is 0700 and the files 0600, written atomically
by ``leger.private_files``. Because a hint is only a hint, nothing here ever
fails a command: a missing, unreadable, corrupt, oversized, foreign, loose or
symlinked file is no hint, and a write that cannot be made is skipped; either
is at most one line for the debug log (``report``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Final

from leger.api.routes import RouteForm, is_route_form
from leger.private_files import (
    GROUP_OTHER_ANY,
    NotPrivate,
    check_replaceable,
    open_private_dir,
    open_private_file,
    replace_atomically,
)
from leger.record import Record
from leger.times import rfc3339_seconds

FILE_PREFIX = "routes-"
FILE_SUFFIX = ".json"
# A hint is about a hundred bytes; a longer file is not one leger wrote.
MAX_FILE_SIZE = 4096


class RouteHint(Record):
    """The route form a probe found ``url`` to speak, and when."""

    __slots__ = ("form", "probed_at", "url")

    def __init__(self, url: str, form: RouteForm, probed_at: datetime) -> None:
        self.url: Final = url
        self.form: Final = form
        self.probed_at: Final = probed_at

    def to_json(self) -> str:
        """The file's content."""
        data = {"url": self.url, "form": self.form, "probed_at": rfc3339_seconds(self.probed_at)}
        return json.dumps(data) + "\n"

    @classmethod
    def from_json(cls, text: str, url: str) -> RouteHint | None:
        """The hint in ``text`` if it is a well-formed hint for ``url``, else None."""
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return None
        if not isinstance(data, dict) or data.get("url") != url:
            return None
        form, probed_at = data.get("form"), data.get("probed_at")
        if not is_route_form(form) or not isinstance(probed_at, str):
            return None
        try:
            when = datetime.fromisoformat(probed_at)
        except ValueError:
            return None
        return cls(url, form, when) if when.tzinfo is not None else None


def file_name(url: str) -> str:
    """The hint file's name for ``url``: a hash, so the directory does not list servers."""
    # Imported here: httpx has loaded it already wherever a hint is read or written.
    import hashlib

    return f"{FILE_PREFIX}{hashlib.sha256(url.encode('utf-8')).hexdigest()[:32]}{FILE_SUFFIX}"


class RouteHints:
    """The hints in ``state_dir``; ``report`` receives why one was ignored or not saved."""

    def __init__(self, state_dir: Path, report: Callable[[str], None] | None = None) -> None:
        self.state_dir = state_dir
        self._report = report

    def read(self, url: str) -> RouteHint | None:
        """The hint for ``url``, or None (none, or one that cannot be trusted or parsed)."""
        name = file_name(url)
        path = self.state_dir / name
        try:
            text = self._read_text(name, path)
        except (OSError, NotPrivate, _Unusable, UnicodeDecodeError) as problem:
            self._say(f"route hint {path} ignored: {_why(problem)}")
            return None
        if text is None:
            return None
        hint = RouteHint.from_json(text, url)
        if hint is None:
            self._say(f"route hint {path} ignored: not a hint for {url}")
        return hint

    def remember(self, url: str, form: RouteForm, now: datetime) -> None:
        """Record that a probe found ``url`` to speak ``form`` (a file already saying so stays)."""
        current = self.read(url)
        if current is not None and current.form == form:
            return
        name = file_name(url)
        content = RouteHint(url, form, now).to_json().encode("utf-8")
        try:
            dir_fd = open_private_dir(self.state_dir, create=True, tighten=True)
            if dir_fd is None:  # not when created
                return
            try:
                check_replaceable(dir_fd, name, self.state_dir / name)
                replace_atomically(dir_fd, name, content, temp_prefix=f".{name}.")
            finally:
                os.close(dir_fd)
        except (OSError, NotPrivate) as problem:
            self._say(f"route hint for {url} not saved: {_why(problem)}")

    def _read_text(self, name: str, path: Path) -> str | None:
        dir_fd = open_private_dir(self.state_dir, create=False, tighten=False)
        if dir_fd is None:
            return None
        try:
            opened = open_private_file(dir_fd, name, path)
        finally:
            os.close(dir_fd)
        if opened is None:
            return None
        fd, info = opened
        try:
            if info.st_mode & GROUP_OTHER_ANY:
                raise _Unusable(f"its mode is {info.st_mode & 0o777:o}, not 600")
            data = _read_at_most(fd, MAX_FILE_SIZE + 1)
        finally:
            os.close(fd)
        if len(data) > MAX_FILE_SIZE:
            raise _Unusable(f"it is larger than {MAX_FILE_SIZE} bytes")
        return data.decode("utf-8")

    def _say(self, line: str) -> None:
        if self._report is not None:
            self._report(line)


class _Unusable(Exception):
    """A hint file leger did not write: too large, or readable by others."""


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < limit and (chunk := os.read(fd, limit - size)):
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _why(problem: BaseException) -> str:
    if isinstance(problem, NotPrivate):
        return problem.message
    if isinstance(problem, OSError) and problem.strerror:
        return problem.strerror
    return str(problem) or type(problem).__name__
