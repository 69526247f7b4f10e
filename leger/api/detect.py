"""Which route form a server speaks, asked with the one request that is safe on both.

``GET /secrets`` with the token: a REST server lists the secrets (200 with a
``secrets`` array); a v0.1 server has no such route (404 or 405). Anything else
is an error, never a guess: guessing v0.1 wrongly would send ``POST /secrets/set``
to a REST server, which stores it as a secret named ``set``.
"""

from __future__ import annotations

from leger.api.client import LegerClient
from leger.api.routes import RouteForm
from leger.errors import REDETECT_HINT, ApiError, NotFound, RoutesMismatch, UnexpectedResponse


def detect_routes(client: LegerClient) -> RouteForm:
    """The route form of ``client``'s server; a 401 is the usual "not authenticated" (exit 4)."""
    from leger_api_client.api.secrets_rest import list_secrets_rest
    from leger_api_client.models.rest_list_secrets_response import RestListSecretsResponse
    from leger_api_client.types import UNSET

    try:
        client.call(list_secrets_rest._get_kwargs(include_values=UNSET), RestListSecretsResponse)
    except NotFound:
        return "v0.1"
    except UnexpectedResponse as error:
        raise RoutesMismatch(
            f"Cannot tell which routes {client.base_url} speaks: its answer to GET /secrets "
            f"is neither leger.run form ({error.message})",
            hint=f"Check LEGER_API_URL.\n{REDETECT_HINT}",
        ) from error
    except ApiError as error:
        if error.status == 405:
            return "v0.1"
        raise
    return "rest"
