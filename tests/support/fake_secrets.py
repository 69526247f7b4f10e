"""An in-memory stand-in for ``ctx.secrets()``, to test command logic without HTTP.

It has the ``SecretsApi`` methods these commands use (``check_name``,
``check_set``, ``list_secrets``, ``fetch_values``, ``fetch_by_name``,
``set_secret``) and returns the same result types, records every call, and can
fail the Nth write. ``listed`` (None: all) is how many secrets a list shows,
the first ones by name, as the deployed server's one page does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from leger.api.results import Secret, SecretInfo, SetOutcome
from leger.context import Context
from leger.errors import ServerError
from leger.iostreams import IOStreams
from leger.settings import Settings
from leger.validation import check_name, check_value

WHEN = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


@dataclass
class FakeSecrets:
    """Secrets by name; ``fail_write`` (1-based) makes that write raise ``ServerError``."""

    store: dict[str, str] = field(default_factory=dict)
    routes: str = "rest"
    fail_write: int | None = None
    listed: int | None = None
    calls: list[tuple[Any, ...]] = field(default_factory=list)
    writes: int = 0

    def __enter__(self) -> FakeSecrets:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def check_name(self, name: str) -> str:
        return check_name(name, self.routes)

    def check_set(self, name: str, value: str, label: str | None = None) -> None:
        check_name(name, self.routes)
        check_value(value)

    def _page(self) -> list[str]:
        return sorted(self.store)[: self.listed]

    def list_secrets(self) -> list[SecretInfo]:
        self.calls.append(("list",))
        return [SecretInfo(n, 1, WHEN, WHEN, None) for n in self._page()]

    def fetch_values(self, names: list[str] | None = None) -> list[Secret]:
        self.calls.append(("fetch_values", names))
        chosen = self._page() if names is None else [n for n in names if n in self.store]
        return [Secret(n, self.store[n], 1, None) for n in chosen]

    def fetch_by_name(self, names: list[str]) -> list[Secret]:
        self.calls.append(("fetch_by_name", list(names)))
        return [Secret(n, self.store[n], 1, None) for n in names if n in self.store]

    def set_secret(self, name: str, value: str, label: str | None = None) -> SetOutcome:
        self.writes += 1
        self.calls.append(("set", name))
        if self.writes == self.fail_write:
            raise ServerError("leger.run failed (HTTP 500)", status=500)
        created = name not in self.store
        self.store[name] = value
        return SetOutcome(created, name, 1, WHEN)


def fake_context(
    api: FakeSecrets, stdin: bytes = b"", *, tty: bool = False
) -> tuple[Context, Any, Any]:
    """A Context whose ``secrets()`` is ``api``; returns it with the stdout and stderr buffers."""
    io, _stdin, stdout, stderr = IOStreams.test(stdin, tty=tty)
    # No offline cache: there is no server (nor login) to cache secrets of.
    ctx = Context(io=io, settings=Settings.from_env({"LEGER_CACHE": "0"}))
    ctx.secrets = lambda: api  # type: ignore[method-assign]
    return ctx, stdout, stderr
