"""The secret operations, the same whichever route form a leger.run server speaks.

``SecretsApi`` is what commands use (and what tests fake). ``FormSecrets`` is
the part both forms share; ``leger.api.secrets_v01`` and
``leger.api.secrets_rest`` each add their own routes, and ``leger.api.forms``
picks one. Nothing here ever sends v0.1's ``POST /secrets/set`` unless the
caller says the server is v0.1: on a REST server that request overwrites a
secret named ``set``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Collection
from typing import Any, ClassVar, Protocol, Self, TypeVar

from leger.api.client import Answer, E, LegerClient
from leger.api.error_mapping import UNREADABLE_HINT
from leger.api.results import DeleteOutcome, Secret, SecretInfo, SetOutcome
from leger.api.routes import RouteForm
from leger.errors import (
    REDETECT_HINT,
    ApiError,
    InputError,
    NotFound,
    RoutesMismatch,
    SecretNotFound,
    UnexpectedResponse,
    WrongShape,
)
from leger.terminal import safe_line
from leger.validation import check_label, check_name, check_value

# v0.1 has no call that returns many values: at most this many gets run at once.
PARALLEL_GETS = 8

T = TypeVar("T")


class SecretsApi(Protocol):
    """The secret operations commands use, on one server, as form-neutral results."""

    @property
    def routes(self) -> RouteForm:
        """The route form the operations are sent in."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...

    def check_name(self, name: str) -> str:
        """``name`` if this route form can carry it, else an ``InputError`` saying why."""
        ...

    def check_set(self, name: str, value: str, label: str | None = None) -> None:
        """Everything ``set_secret`` checks before it sends anything; a ``LegerError`` if not."""
        ...

    def list_secrets(self) -> list[SecretInfo]:
        """Metadata of the secrets the server lists, never values.

        A list may be one page of them: see ``leger.api.results.possibly_incomplete``.
        """
        ...

    def get_secret(self, name: str) -> Secret:
        """One secret's value; ``SecretNotFound`` when the server says it has none."""
        ...

    def set_secret(self, name: str, value: str, label: str | None = None) -> SetOutcome:
        """Create or update a secret (``label``: REST form only)."""
        ...

    def delete_secret(self, name: str) -> DeleteOutcome:
        """Delete a secret; ``SecretNotFound`` when the server says it has none."""
        ...

    def fetch_values(self, names: Collection[str] | None = None) -> list[Secret]:
        """The values of ``names`` the server has (None: of every secret it lists).

        A name is left out only when the server says, asked for it by name, that
        it has no such secret: never because a list lacks it.
        """
        ...

    def fetch_by_name(self, names: Collection[str]) -> list[Secret]:
        """The values of ``names`` the server has, each asked for by name, a few at once."""
        ...


class FormSecrets(ABC):
    """What both route forms share: delete, many values at once, answer checks, one client."""

    routes: ClassVar[RouteForm]
    # The 404 error codes by which this form says "no such secret".
    missing_codes: ClassVar[frozenset[str]]

    def __init__(self, client: LegerClient) -> None:
        self.client = client

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    def check_name(self, name: str) -> str:
        """``name`` if this route form can carry it, else an ``InputError`` saying why."""
        return check_name(name, self.routes)

    def check_set(self, name: str, value: str, label: str | None = None) -> None:
        """Everything ``set_secret`` checks before it sends anything; a ``LegerError`` if not."""
        self._check_reachable("POST", name)
        check_value(value)
        if label is not None:
            self._check_label(label)

    @abstractmethod
    def list_secrets(self) -> list[SecretInfo]:
        """Metadata of the secrets the server lists, never values."""

    @abstractmethod
    def get_secret(self, name: str) -> Secret:
        """One secret's value; ``SecretNotFound`` when the server says it has none."""

    @abstractmethod
    def set_secret(self, name: str, value: str, label: str | None = None) -> SetOutcome:
        """Create or update a secret (``label``: REST form only)."""

    def delete_secret(self, name: str) -> DeleteOutcome:
        """DELETE /secrets/{name}, the one route both forms share; ``SecretNotFound`` if none.

        v0.1 answers ``deleted_at``, REST ``{deleted: true}``; either is a delete.
        """
        from leger_api_client.api.secrets import delete_secret
        from leger_api_client.models.delete_secret_response import DeleteSecretResponse
        from leger_api_client.types import Unset

        self.check_name(name)
        try:
            answer = self._call(delete_secret._get_kwargs(name), DeleteSecretResponse)
        except NotFound as error:
            if error.after_lost_answer and error.code in self.missing_codes:
                return DeleteOutcome(name, deleted_at=None)  # the lost first try deleted it
            raise self._not_found(error, self.missing_codes) from None
        deleted_at = answer.envelope.data.deleted_at
        return DeleteOutcome(name, None if isinstance(deleted_at, Unset) else deleted_at)

    def fetch_values(self, names: Collection[str] | None = None) -> list[Secret]:
        """The values of ``names`` the server has (None: of every secret it lists).

        REST: one ``GET /secrets?include_values=true``, then a get of each
        requested name it lacks. v0.1: one list and the gets of all, or the
        gets of just ``names``. A name is left out only when its own get says
        the server has no such secret; a secret that vanishes between a list
        and its get is an error.
        """
        if names is None:
            return self._all_values()
        return self._values_of(list(dict.fromkeys(self.check_name(name) for name in names)))

    def fetch_by_name(self, names: Collection[str]) -> list[Secret]:
        """The values of ``names`` the server has, each asked for by name, a few at once."""
        found = self._gets_in_parallel([self.check_name(name) for name in names], self._if_any)
        return [secret for secret in found if secret is not None]

    @abstractmethod
    def _all_values(self) -> list[Secret]:
        """The values of every secret the server lists, in its order."""

    @abstractmethod
    def _values_of(self, names: list[str]) -> list[Secret]:
        """The values of ``names`` (valid, no repeats) that the server has."""

    def _if_any(self, name: str) -> Secret | None:
        try:
            return self.get_secret(name)
        except SecretNotFound:
            return None

    def _gets_in_parallel(self, names: list[str], get: Callable[[str], T]) -> list[T]:
        if len(names) <= 1:
            return [get(name) for name in names]
        # Imported here: only many gets pay for the thread pool.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=min(PARALLEL_GETS, len(names))) as pool:
            try:
                return list(pool.map(get, names))
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise

    def _check_reachable(self, method: str, name: str) -> None:
        """Refuse ``name`` when ``method`` on it cannot reach the secret of that name."""
        self.check_name(name)

    def _check_label(self, label: str) -> None:
        check_label(label)

    def _listed_name(self, name: str) -> str:
        """A name the server listed, if it is one this form allows; else a loud error.

        An empty or invalid name would become an empty or wrong variable name
        (``export ='...'``), so nothing is done with a list that holds one.
        """
        try:
            return self.check_name(name)
        except InputError as error:
            reason = error.message.removeprefix("Invalid secret name: ")
            raise UnexpectedResponse(
                f"The list from {self.client.base_url} holds a secret name that is not "
                f"valid ({reason}); leger used none of it",
                hint=UNREADABLE_HINT,
            ) from None

    def _answered_for(self, asked: str, answered: str) -> None:
        """Refuse an answer about a secret other than the one asked for (never use its value)."""
        if answered != asked:
            raise UnexpectedResponse(
                f'{self.client.base_url} answered the request for secret "{asked}" with '
                f'secret "{safe_line(answered, 64)}"; leger does not use that answer',
                hint=UNREADABLE_HINT,
            )

    def _call(
        self, request: dict[str, Any], envelope: type[E], ok: tuple[int, ...] = (200,)
    ) -> Answer[E]:
        """``client.call``, where a success of the wrong shape means the other route form."""
        try:
            return self.client.call(request, envelope, ok)
        except WrongShape as error:
            raise routes_mismatch(
                self.client.base_url,
                f"its answer (HTTP {error.status}) is not what a server of the "
                f"{self.routes} routes answers",
                status=error.status,
            ) from None
        except ApiError as error:
            # 405: a path of the other form (v0.1 knows /secrets/{name} for DELETE only).
            if error.status != 405:
                raise
            raise self._no_such_route(error) from None

    def _same_name(self, sent: str, answered: str) -> None:
        # What a REST server answers to v0.1's POST /secrets/set: a secret named "set".
        if answered != sent:
            raise routes_mismatch(self.client.base_url, "it answered for a different secret")

    def _not_found(self, error: NotFound, secret_codes: frozenset[str]) -> ApiError:
        """The 404's meaning: a missing secret if the server says so, else a route mismatch."""
        message = error.server_message or ""
        if error.code in secret_codes and not message.startswith("API endpoint not found"):
            return SecretNotFound(error.message, status=404, code=error.code)
        return self._no_such_route(error)

    def _no_such_route(self, error: ApiError) -> RoutesMismatch:
        """A 404 or 405 for the route itself: the server did nothing, and says why."""
        message = error.server_message or ""
        return routes_mismatch(
            self.client.base_url,
            f"it has no such route (HTTP {error.status}{': ' if message else ''}{message})",
            status=error.status,
        )


def routes_mismatch(base_url: str, why: str, *, status: int | None = None) -> RoutesMismatch:
    """The loud error for an answer of the other route form (or of no leger.run at all).

    ``status`` is the HTTP status of the answer: 404 or 405 means the server
    refused the route, so it did nothing; any other answer may have been acted on.
    """
    return RoutesMismatch(
        f"The server's routes do not match the ones leger uses: {base_url}: {why}",
        status=status,
        hint=f"Check LEGER_API_URL ({base_url}).\n{REDETECT_HINT}",
    )
