"""The secret operations on the v0.1 design's routes.

``GET /secrets/list``, ``POST /secrets/set`` (201 created, 200 updated),
``GET /secrets/get/{name}``, ``DELETE /secrets/{name}``. No labels, no ``:`` in
names, and no call that returns many values.

Each operation imports its generated module when it runs, so a command loads
only the operation it uses.
"""

from __future__ import annotations

from leger.api.results import Secret, SecretInfo, SetOutcome
from leger.api.secrets import FormSecrets
from leger.errors import NotFound, UsageError


class V01Secrets(FormSecrets):
    """A server of the v0.1 design."""

    routes = "v0.1"
    missing_codes = frozenset({"secret_not_found"})

    def list_secrets(self) -> list[SecretInfo]:
        """GET /secrets/list."""
        from leger_api_client.api.secrets import list_secrets
        from leger_api_client.models.list_secrets_response import ListSecretsResponse

        try:
            answer = self._call(list_secrets._get_kwargs(), ListSecretsResponse)
        except NotFound as error:  # no secret is missing here: the route is
            raise self._not_found(error, frozenset()) from None
        data = answer.envelope.data
        return [
            SecretInfo(self._listed_name(s.name), s.version, s.created_at, s.updated_at, label=None)
            for s in data.secrets
        ]

    def get_secret(self, name: str) -> Secret:
        """GET /secrets/get/{name}."""
        from leger_api_client.api.secrets import get_secret
        from leger_api_client.models.get_secret_response import GetSecretResponse

        self.check_name(name)
        try:
            answer = self._call(get_secret._get_kwargs(name), GetSecretResponse)
        except NotFound as error:
            raise self._not_found(error, self.missing_codes) from None
        data = answer.envelope.data
        self._answered_for(name, data.name)
        return Secret(name, data.value, data.version, label=None)

    def set_secret(self, name: str, value: str, label: str | None = None) -> SetOutcome:
        """POST /secrets/set: 201 when created, 200 when updated."""
        from leger_api_client.api.secrets import set_secret
        from leger_api_client.models.set_secret_request import SetSecretRequest
        from leger_api_client.models.set_secret_response import SetSecretResponse

        self.check_set(name, value, label)
        request = set_secret._get_kwargs(body=SetSecretRequest(name=name, value=value))
        try:
            answer = self._call(request, SetSecretResponse, ok=(200, 201))
        except NotFound as error:
            raise self._not_found(error, frozenset()) from None
        data = answer.envelope.data
        self._same_name(name, data.name)
        return SetOutcome(answer.status == 201, data.name, data.version, data.updated_at)

    def _all_values(self) -> list[Secret]:
        return self._gets_in_parallel([info.name for info in self.list_secrets()], self.get_secret)

    def _values_of(self, names: list[str]) -> list[Secret]:
        return self.fetch_by_name(names)  # no list: it could lack some of them

    def _check_label(self, label: str) -> None:
        raise UsageError(
            f"Labels need a server of the REST form; {self.client.base_url} speaks v0.1",
            hint="Set the secret without --label.",
        )
