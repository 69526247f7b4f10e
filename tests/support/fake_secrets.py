"""leger.run's secrets in memory, behind the ``SecretsApi`` protocol, to test command logic.

``FakeSecrets`` is what ``ctx.secrets()`` returns in these tests (``fake_context``)
and what ``secrets sync``'s engine opens. mypy checks that it is a
``SecretsApi`` (the assignment at the end of this module), so a change to the
protocol breaks the fake at once instead of the tests that use it.

Each secret has a value, a version and an update time. ``put`` changes one
upstream (a new version, a minute later), as another device's ``set`` would;
the operations record every call (``calls``, ``fetched``) and can fail the Nth
write (``fail_write``). ``listed`` (None: all) is how many secrets a list shows,
the first ones by name, as the deployed server's one page does.
"""

from __future__ import annotations

import io
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from leger.api.results import DeleteOutcome, Secret, SecretInfo, SetOutcome
from leger.api.routes import RouteForm
from leger.api.secrets import SecretsApi
from leger.context import Context
from leger.errors import SecretNotFound, ServerError
from leger.iostreams import IOStreams
from leger.settings import Settings
from leger.validation import check_name, check_value

WHEN = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)  # when every secret was created


@dataclass
class FakeSecrets:
    """Secrets by name (``store``); ``fail_write`` (1-based) makes that write raise ``ServerError``.

    A secret in ``store`` from the start is at version 1, updated ``WHEN``.
    """

    store: dict[str, str] = field(default_factory=dict)
    routes: RouteForm = "rest"
    fail_write: int | None = None
    listed: int | None = None
    calls: list[tuple[Any, ...]] = field(default_factory=list)
    writes: int = 0
    opened: int = 0
    versions: dict[str, int] = field(default_factory=dict)
    updated: dict[str, datetime] = field(default_factory=dict)

    def __enter__(self) -> FakeSecrets:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def open(self) -> FakeSecrets:
        """Count an opening, as ``ctx.secrets()`` opens the API (``secrets sync``'s opener)."""
        self.opened += 1
        return self

    def put(self, name: str, value: str) -> None:
        """Change ``name`` upstream: its next version, a minute after its last update."""
        self.versions[name] = self._version(name) + 1 if name in self.store else 1
        self.updated[name] = self.updated.get(name, WHEN) + timedelta(minutes=1)
        self.store[name] = value

    @property
    def fetched(self) -> list[list[str] | None]:
        """The names each ``fetch_values`` call asked for, sorted (None: every secret)."""
        asked = [call[1] for call in self.calls if call[0] == "fetch_values"]
        return [None if names is None else sorted(names) for names in asked]

    def check_name(self, name: str) -> str:
        return check_name(name, self.routes)

    def check_set(self, name: str, value: str, label: str | None = None) -> None:
        check_name(name, self.routes)
        check_value(value)

    def list_secrets(self) -> list[SecretInfo]:
        self.calls.append(("list",))
        return [
            SecretInfo(n, self._version(n), WHEN, self.updated.get(n, WHEN), None)
            for n in self._page()
        ]

    def get_secret(self, name: str) -> Secret:
        self.calls.append(("get", name))
        if name not in self.store:
            raise SecretNotFound(f'Secret "{name}" not found')
        return self._secret(name)

    def fetch_values(self, names: Collection[str] | None = None) -> list[Secret]:
        self.calls.append(("fetch_values", None if names is None else list(names)))
        chosen = self._page() if names is None else [n for n in names if n in self.store]
        return [self._secret(n) for n in chosen]

    def fetch_by_name(self, names: Collection[str]) -> list[Secret]:
        self.calls.append(("fetch_by_name", list(names)))
        return [self._secret(n) for n in names if n in self.store]

    def set_secret(self, name: str, value: str, label: str | None = None) -> SetOutcome:
        self.writes += 1
        self.calls.append(("set", name))
        if self.writes == self.fail_write:
            raise ServerError("leger.run failed (HTTP 500)", status=500)
        created = name not in self.store
        self.put(name, value)
        return SetOutcome(created, name, self._version(name), self.updated[name])

    def delete_secret(self, name: str) -> DeleteOutcome:
        self.calls.append(("delete", name))
        if self.store.pop(name, None) is None:
            raise SecretNotFound(f'Secret "{name}" not found')
        return DeleteOutcome(name, None)

    def _version(self, name: str) -> int:
        return self.versions.get(name, 1)

    def _page(self) -> list[str]:
        return sorted(self.store)[: self.listed]

    def _secret(self, name: str) -> Secret:
        return Secret(name, self.store[name], self._version(name), None)


def fake_context(
    api: FakeSecrets, stdin: bytes = b"", *, tty: bool = False
) -> tuple[Context, io.BytesIO, io.StringIO]:
    """A Context whose ``secrets()`` is ``api``; returns it with the stdout and stderr buffers."""
    streams, _stdin, stdout, stderr = IOStreams.test(stdin, tty=tty)
    # No offline cache: there is no server (nor login) to cache secrets of.
    ctx = Context(io=streams, settings=Settings.from_env({"LEGER_CACHE": "0"}))
    ctx.secrets = lambda: api  # type: ignore[method-assign]
    return ctx, stdout, stderr


# The fake is a SecretsApi: mypy checks this line against the protocol.
_: SecretsApi = FakeSecrets()
