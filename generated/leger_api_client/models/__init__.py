"""Contains all the data models used in inputs/outputs

Loaded on first use (PEP 562): importing one model imports only the models it
needs, not all of them, which keeps a command's start-up to what it uses.
(A custom template of leger's: openapi/templates/models_init.py.jinja.)
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .auth_data import AuthData
    from .auth_request import AuthRequest
    from .auth_response import AuthResponse
    from .auth_user import AuthUser
    from .delete_secret_data import DeleteSecretData
    from .delete_secret_response import DeleteSecretResponse
    from .error_detail import ErrorDetail
    from .error_response import ErrorResponse
    from .get_secret_response import GetSecretResponse
    from .list_secrets_data import ListSecretsData
    from .list_secrets_response import ListSecretsResponse
    from .rest_get_secret_response import RestGetSecretResponse
    from .rest_list_secrets_response import RestListSecretsResponse
    from .rest_secret import RestSecret
    from .rest_secret_item import RestSecretItem
    from .rest_secret_list import RestSecretList
    from .rest_set_secret_data import RestSetSecretData
    from .rest_set_secret_request import RestSetSecretRequest
    from .rest_set_secret_response import RestSetSecretResponse
    from .secret_data import SecretData
    from .secret_metadata import SecretMetadata
    from .set_secret_data import SetSecretData
    from .set_secret_request import SetSecretRequest
    from .set_secret_response import SetSecretResponse
    from .tailscale_identity import TailscaleIdentity

_MODULE_OF = {
    "AuthData": ".auth_data",
    "AuthRequest": ".auth_request",
    "AuthResponse": ".auth_response",
    "AuthUser": ".auth_user",
    "DeleteSecretData": ".delete_secret_data",
    "DeleteSecretResponse": ".delete_secret_response",
    "ErrorDetail": ".error_detail",
    "ErrorResponse": ".error_response",
    "GetSecretResponse": ".get_secret_response",
    "ListSecretsData": ".list_secrets_data",
    "ListSecretsResponse": ".list_secrets_response",
    "RestGetSecretResponse": ".rest_get_secret_response",
    "RestListSecretsResponse": ".rest_list_secrets_response",
    "RestSecret": ".rest_secret",
    "RestSecretItem": ".rest_secret_item",
    "RestSecretList": ".rest_secret_list",
    "RestSetSecretData": ".rest_set_secret_data",
    "RestSetSecretRequest": ".rest_set_secret_request",
    "RestSetSecretResponse": ".rest_set_secret_response",
    "SecretData": ".secret_data",
    "SecretMetadata": ".secret_metadata",
    "SetSecretData": ".set_secret_data",
    "SetSecretRequest": ".set_secret_request",
    "SetSecretResponse": ".set_secret_response",
    "TailscaleIdentity": ".tailscale_identity",
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(_MODULE_OF)


__all__ = (
    "AuthData",
    "AuthRequest",
    "AuthResponse",
    "AuthUser",
    "DeleteSecretData",
    "DeleteSecretResponse",
    "ErrorDetail",
    "ErrorResponse",
    "GetSecretResponse",
    "ListSecretsData",
    "ListSecretsResponse",
    "RestGetSecretResponse",
    "RestListSecretsResponse",
    "RestSecret",
    "RestSecretItem",
    "RestSecretList",
    "RestSetSecretData",
    "RestSetSecretRequest",
    "RestSetSecretResponse",
    "SecretData",
    "SecretMetadata",
    "SetSecretData",
    "SetSecretRequest",
    "SetSecretResponse",
    "TailscaleIdentity",
)
