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
from collections.abc import Collection
from typing import Any, ClassVar, Protocol, Self

from leger.api.client import Answer, E, LegerClient
from leger.api.results import DeleteOutcome, Secret, SecretInfo, SetOutcome
from leger.api.routes import RouteForm
from leger.errors import (
    REDETECT_HINT,
    ApiError,
    LegerError,
    NotFound,
    RoutesMismatch,
    SecretNotFound,
    WrongShape,
)
from leger.validation import check_name

# v0.1 has no call that returns many values: at most this many gets run at once.
PARALLEL_GETS = 8


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

    def list_secrets(self) -> list[SecretInfo]:
        """Metadata of every secret the server lists, never values."""
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
        """The values of ``names`` (None: every secret), in as few requests as the form allows."""
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

    @abstractmethod
    def list_secrets(self) -> list[SecretInfo]:
        """Metadata of every secret, never values."""

    @abstractmethod
    def get_secret(self, name: str) -> Secret:
        """One secret's value; ``SecretNotFound`` when the server says it has none."""

    @abstractmethod
    def set_secret(self, name: str, value: str, label: str | None = None) -> SetOutcome:
        """Create or update a secret (``label``: REST form only)."""

    @abstractmethod
    def check_set(self, name: str, label: str | None) -> None:
        """Refuse (``InputError``, ``UsageError``) a set this form cannot send, before sending."""

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

    @abstractmethod
    def _all_values(self, names: Collection[str] | None) -> list[Secret]:
        """The values of ``names`` (None: all) that exist, in the server's order."""

    def fetch_values(self, names: Collection[str] | None = None) -> list[Secret]:
        """The values of ``names`` (None: every secret), in as few requests as the form allows.

        REST: one ``GET /secrets?include_values=true``, filtered here. v0.1: one
        list, then the gets, a few at once. A requested name the server does not
        have is an error naming it, before any value is returned.
        """
        wanted = None if names is None else {self.check_name(name) for name in names}
        found = self._all_values(wanted)
        if wanted is not None:
            missing = sorted(wanted - {secret.name for secret in found})
            if missing:
                raise LegerError(
                    f"No such secret{'s' if len(missing) > 1 else ''}: {', '.join(missing)}",
                    hint="List available secrets:\n  leger secrets list",
                )
        return found

    def _gets_in_parallel(self, names: list[str]) -> list[Secret]:
        if len(names) <= 1:
            return [self.get_secret(name) for name in names]
        # Imported here: only v0.1's many-value fetch pays for the thread pool.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=min(PARALLEL_GETS, len(names))) as pool:
            try:
                return list(pool.map(self.get_secret, names))
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise

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
