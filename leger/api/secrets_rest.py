"""The secret operations on the REST routes leger.run deploys.

``GET /secrets[?include_values=true]``, ``GET|POST|DELETE /secrets/{name}``:
200 for create and update alike (version 1 means created), optional labels,
``:`` allowed in names. Two names are shadowed by other features of the
server, so leger refuses them instead of reaching those features.

Each operation imports its generated module when it runs, so a command loads
only the operation it uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from leger_api_client.types import UNSET, Unset

from leger.api.results import Secret, SecretInfo, SetOutcome
from leger.api.secrets import FormSecrets, routes_mismatch
from leger.errors import InputError, NotFound

if TYPE_CHECKING:
    from leger_api_client.models.rest_secret_item import RestSecretItem

# (method, name) -> the feature that answers instead of the secret of that name.
SHADOWED = {
    ("GET", "selections"): "GET /secrets/selections",
    ("POST", "select-provider"): "POST /secrets/select-provider",
}


class RestSecrets(FormSecrets):
    """A server of the REST form (what leger.run deploys)."""

    routes = "rest"
    missing_codes = frozenset({"not_found"})

    def list_secrets(self) -> list[SecretInfo]:
        """GET /secrets."""
        infos = []
        for item in self._list(include_values=False):
            if isinstance(item.updated_at, Unset):
                raise routes_mismatch(self.client.base_url, "its list has no updated_at")
            name = self._listed_name(item.name)
            infos.append(
                SecretInfo(name, item.version, item.created_at, item.updated_at, _label(item.label))
            )
        return infos

    def get_secret(self, name: str) -> Secret:
        """GET /secrets/{name}."""
        from leger_api_client.api.secrets_rest import get_secret_rest
        from leger_api_client.models.rest_get_secret_response import RestGetSecretResponse

        self._check_reachable("GET", name)
        try:
            answer = self._call(get_secret_rest._get_kwargs(name), RestGetSecretResponse)
        except NotFound as error:
            raise self._not_found(error, self.missing_codes) from None
        data = answer.envelope.data
        self._answered_for(name, data.name)
        return Secret(name, data.value, data.version, _label(data.label))

    def set_secret(self, name: str, value: str, label: str | None = None) -> SetOutcome:
        """POST /secrets/{name}: version 1 means created."""
        from leger_api_client.api.secrets_rest import set_secret_rest
        from leger_api_client.models.rest_set_secret_request import RestSetSecretRequest
        from leger_api_client.models.rest_set_secret_response import RestSetSecretResponse

        self.check_set(name, value, label)
        body = RestSetSecretRequest(value=value, label=UNSET if label is None else label)
        try:
            answer = self._call(set_secret_rest._get_kwargs(name, body=body), RestSetSecretResponse)
        except NotFound as error:
            raise self._not_found(error, frozenset()) from None
        data = answer.envelope.data
        self._same_name(name, data.name)
        return SetOutcome(data.version == 1, data.name, data.version, data.updated_at)

    def _all_values(self) -> list[Secret]:
        found = []
        for item in self._list(include_values=True):
            if isinstance(item.value, Unset):
                raise routes_mismatch(self.client.base_url, "its list has no values")
            name = self._listed_name(item.name)
            found.append(Secret(name, item.value, item.version, _label(item.label)))
        return found

    def _values_of(self, names: list[str]) -> list[Secret]:
        # One request for all values; a name the list lacks may be beyond its page.
        wanted = set(names)
        found = [secret for secret in self._all_values() if secret.name in wanted]
        listed = {secret.name for secret in found}
        return found + self.fetch_by_name([name for name in names if name not in listed])

    def _list(self, *, include_values: bool) -> list[RestSecretItem]:
        from leger_api_client.api.secrets_rest import list_secrets_rest
        from leger_api_client.models.rest_list_secrets_response import RestListSecretsResponse

        request = list_secrets_rest._get_kwargs(include_values=include_values or UNSET)
        try:
            answer = self._call(request, RestListSecretsResponse)
        except NotFound as error:
            raise self._not_found(error, frozenset()) from None
        return answer.envelope.data.secrets

    def _check_reachable(self, method: str, name: str) -> None:
        self.check_name(name)
        feature = SHADOWED.get((method, name))
        if feature is not None:
            raise InputError(
                f'The secret name "{name}" cannot be used for this on leger.run: '
                f"{feature} reaches another feature of the server, not a secret",
                hint="Choose another name for the secret.",
            )


def _label(label: str | Unset) -> str | None:
    return None if isinstance(label, Unset) else label
