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
    "SecretData",
    "SecretMetadata",
    "SetSecretData",
    "SetSecretRequest",
    "SetSecretResponse",
    "TailscaleIdentity",
)
