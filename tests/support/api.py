"""The API layer as tests drive it directly: a route form's operations over a client."""

from __future__ import annotations

from typing import Any

from leger.api.client import LegerClient
from leger.api.secrets_rest import RestSecrets
from leger.api.secrets_v01 import V01Secrets


def v01(base_url: str, **kwargs: Any) -> V01Secrets:
    """The v0.1 routes' operations over a ``LegerClient(base_url, **kwargs)``."""
    return V01Secrets(LegerClient(base_url, **kwargs))


def rest(base_url: str, **kwargs: Any) -> RestSecrets:
    """The REST routes' operations over a ``LegerClient(base_url, **kwargs)``."""
    return RestSecrets(LegerClient(base_url, **kwargs))
