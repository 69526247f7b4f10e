"""The secret operations on a server whose route form leger believes, confirms or finds out.

What leger knows of a server's form before asking it (``LEGER_API_ROUTES``, the
form a probe found last time, the form stored with the login) is a belief
about the past: the server may have been redeployed since. ``RouteSession``
uses a belief where being wrong costs nothing, and asks the server where it
would cost data:

- Reads and REST writes go straight to the believed form's routes. On a server
  of the other form they fail harmlessly (a REST write reaching a v0.1 server
  is refused with 404 or 405), and the one probe a process may make settles it.
- v0.1's ``POST /secrets/set`` is sent only after a probe in this process found
  the v0.1 form: on a REST server it would overwrite a secret named ``set``. If
  the probe finds REST, the REST routes are used instead.
- An operation that failed on the wrong routes is retried on the right ones
  only when nothing was written: a read, or a write the server refused as an
  unknown route. A write answered for another secret is never retried.
- Without a belief, the first operation probes (as every process did before
  hints). Every probe's answer is passed to ``remember``; a belief the probe
  proves wrong is reported once through ``warn``, naming where it came from.

A command opens one session, so "once per process" is once per session.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from enum import Enum
from typing import Final, Self, TypeVar

from leger.api.client import LegerClient
from leger.api.detect import detect_routes
from leger.api.forms import open_secrets
from leger.api.results import DeleteOutcome, Secret, SecretInfo, SetOutcome
from leger.api.routes import RouteForm, describe
from leger.api.secrets import FormSecrets
from leger.errors import RoutesMismatch
from leger.record import Record
from leger.terminal import safe_line

T = TypeVar("T")


class Source(Enum):
    """Where a belief about a server's route form came from, as a warning names it."""

    ENV = "LEGER_API_ROUTES"
    HINT = "the route form leger remembered for this server"
    LOGIN = "the route form stored with your login"


class Belief(Record):
    """A route form leger has reason to expect, not yet confirmed by the server."""

    __slots__ = ("form", "source")

    def __init__(self, form: RouteForm, source: Source) -> None:
        self.form: Final = form
        self.source: Final = source


class RouteSession:
    """A ``SecretsApi`` that follows a belief about the route form, and checks it before harm."""

    def __init__(
        self,
        client: LegerClient,
        belief: Belief | None,
        *,
        remember: Callable[[RouteForm], None],
        warn: Callable[[str], None],
        probe: Callable[[LegerClient], RouteForm] = detect_routes,
    ) -> None:
        self.client = client
        self._belief = belief
        self._remember = remember
        self._warn = warn
        self._probe = probe
        self._forms: FormSecrets | None = None
        # Whether the form in use was found by a probe of this process (at most one is made).
        self._probed = False

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    @property
    def routes(self) -> RouteForm:
        """The route form the operations are sent in now."""
        return self._current().routes

    def check_name(self, name: str) -> str:
        """``name`` if the form in use can carry it, else an ``InputError`` saying why."""
        return self._current().check_name(name)

    def check_set(self, name: str, value: str, label: str | None = None) -> None:
        """Everything a set in the form in use checks before it sends anything."""
        self._current().check_set(name, value, label)

    def list_secrets(self) -> list[SecretInfo]:
        """Metadata of every secret the server lists, never values."""
        return self._retrying(lambda forms: forms.list_secrets())

    def get_secret(self, name: str) -> Secret:
        """One secret's value; ``SecretNotFound`` when the server says it has none."""
        return self._retrying(lambda forms: forms.get_secret(name))

    def fetch_values(self, names: Collection[str] | None = None) -> list[Secret]:
        """The values of ``names`` (None: every secret), in as few requests as the form allows."""
        return self._retrying(lambda forms: forms.fetch_values(names))

    def fetch_by_name(self, names: Collection[str]) -> list[Secret]:
        """The values of ``names`` the server has, each asked for by name."""
        return self._retrying(lambda forms: forms.fetch_by_name(names))

    def set_secret(self, name: str, value: str, label: str | None = None) -> SetOutcome:
        """Create or update a secret; v0.1's set only once this process found the v0.1 form.

        What the believed form refuses is refused before the probe, as before any request.
        """
        believed = self._current()
        believed.check_set(name, value, label)
        if believed.routes == "v0.1" and not self._probed:
            self._settle()
        return self._retrying(
            lambda forms: forms.set_secret(name, value, label), written=_maybe_written
        )

    def delete_secret(self, name: str) -> DeleteOutcome:
        """Delete a secret (the same route on both forms); ``SecretNotFound`` if none."""
        return self._retrying(lambda forms: forms.delete_secret(name), written=_maybe_written)

    def _current(self) -> FormSecrets:
        """The operations of the form in use: the belief's, else the one a probe finds."""
        if self._forms is None:
            if self._belief is None:
                self._forms = open_secrets(self.client, self._find_out())
            else:
                self._forms = open_secrets(self.client, self._belief.form)
        return self._forms

    def _retrying(
        self,
        operation: Callable[[FormSecrets], T],
        written: Callable[[RoutesMismatch], bool] = lambda _error: False,
    ) -> T:
        """``operation`` on the form in use; again on the other one if the routes did not
        match, a probe found that the server changed form, and nothing was ``written``."""
        try:
            return operation(self._current())
        except RoutesMismatch as mismatch:
            if written(mismatch) or not self._settle():
                raise
        return operation(self._current())

    def _settle(self) -> bool:
        """Probe, unless this process did already; switch to the form found. Whether it changed."""
        if self._probed:
            return False
        believed = self._current().routes
        found = self._find_out()
        if found == believed:
            return False
        assert self._belief is not None  # without one, the form in use came from a probe
        self._warn(
            f"{self._belief.source.value} ({describe(believed)}) is out of date: "
            f"{safe_line(self.client.base_url)} speaks the {describe(found)}; "
            f"{_what_now(self._belief.source, found)}"
        )
        self._forms = open_secrets(self.client, found)
        return True

    def _find_out(self) -> RouteForm:
        found = self._probe(self.client)
        self._probed = True
        self._remember(found)
        return found


def _what_now(source: Source, found: RouteForm) -> str:
    """The end of the warning: what leger does, and what the user may want to do."""
    if source is Source.ENV:  # leger cannot change the environment: only its user can
        return f"leger uses them now. Set LEGER_API_ROUTES={found}, or unset it."
    return "leger uses them now, and remembers it."


def _maybe_written(mismatch: RoutesMismatch) -> bool:
    """Whether a write that failed on mismatched routes may have been stored anyway.

    Only a refusal of the route (404, 405) proves the server did nothing.
    """
    return mismatch.status not in (404, 405)
