"""The ``SecretsApi`` of a route form: the one place that knows both form modules."""

from __future__ import annotations

from leger.api.client import LegerClient
from leger.api.routes import RouteForm
from leger.api.secrets import FormSecrets


def open_secrets(client: LegerClient, routes: RouteForm) -> FormSecrets:
    """The operations of ``routes`` over ``client`` (which they close when done)."""
    # Imported here: a command loads only the form its server speaks.
    if routes == "rest":
        from leger.api.secrets_rest import RestSecrets

        return RestSecrets(client)
    from leger.api.secrets_v01 import V01Secrets

    return V01Secrets(client)
