"""Contains all the data models used in inputs/outputs"""

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
