"""Validating request bodies and secret names/values, as the contract states them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .wire import (
    JSON,
    invalid_request,
    invalid_secret_name,
    secret_value_too_large,
)

NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_VALUE_BYTES = 10240
IDENTITY_FIELDS = ("user_id", "login_name", "device_id", "device_hostname", "tailnet")


@dataclass(frozen=True)
class Identity:
    """The Tailscale identity a CLI claims at login."""

    user_id: str
    login_name: str
    device_id: str
    device_hostname: str
    tailnet: str
    cli_version: str


def json_object(body: bytes) -> JSON:
    """The body parsed as a JSON object, or 400 ``invalid_request``."""
    try:
        parsed = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise invalid_request("Request body must be a JSON object.") from None
    if not isinstance(parsed, dict):
        raise invalid_request("Request body must be a JSON object.")
    return parsed


def _non_empty_string(value: object) -> bool:
    return isinstance(value, str) and value != "" and _encodable(value)


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from "\ud800" escapes
        return False
    return True


def identity(body: bytes) -> Identity:
    """The ``AuthRequest`` in ``body``, or 400 ``invalid_request``."""
    data = json_object(body)
    tailscale = data.get("tailscale")
    fields = [tailscale.get(key) for key in IDENTITY_FIELDS] if isinstance(tailscale, dict) else []
    cli_version = data.get("cli_version")
    if not fields or not all(map(_non_empty_string, [*fields, cli_version])):
        raise invalid_request(
            "Request body must include tailscale.user_id, login_name, device_id, "
            "device_hostname and tailnet, and cli_version, each a non-empty string."
        )
    return Identity(*fields, cli_version=cli_version)


def is_secret_name(name: str) -> bool:
    """Whether ``name`` is 1-64 ASCII letters, digits, ``_`` and ``-``."""
    return NAME.fullmatch(name) is not None


def secret_name(value: object) -> str:
    """A valid secret name, or 400 (``invalid_request`` when absent or not a string)."""
    if not isinstance(value, str):
        raise invalid_request('Request body must include "name" as a string.')
    if not is_secret_name(value):
        raise invalid_secret_name()
    return value


def secret_value(value: object) -> str:
    """A valid secret value (non-empty, at most 10240 bytes of UTF-8), or 400."""
    if not isinstance(value, str):
        raise invalid_request('Request body must include "value" as a string.')
    if value == "":
        raise invalid_request("Secret values must not be empty.")
    if not _encodable(value):
        raise invalid_request("Secret values must be valid Unicode text.")
    if len(value.encode("utf-8")) > MAX_VALUE_BYTES:
        raise secret_value_too_large()
    return value
