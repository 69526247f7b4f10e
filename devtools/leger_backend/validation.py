"""Validating request bodies and secret names/values, as each route form states them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TypeGuard

from .wire import (
    JSON,
    ApiError,
    invalid_request,
    invalid_secret_name,
    secret_value_too_large,
    tailscale_verification_failed,
    validation_error,
)

NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
REST_NAME = re.compile(r"[A-Za-z0-9:_-]{1,64}")  # the REST form allows a colon too
MAX_VALUE_BYTES = 10240
IDENTITY_FIELDS = ("user_id", "login_name", "device_id", "device_hostname", "tailnet")
REST_REQUIRED_FIELDS = ("user_id", "login_name", "tailnet")


@dataclass(frozen=True)
class Identity:
    """The Tailscale identity a CLI claims at login (the REST form needs no device)."""

    user_id: str
    login_name: str
    device_id: str | None
    device_hostname: str | None
    tailnet: str
    cli_version: str | None


def json_object(body: bytes) -> JSON:
    """The body parsed as a JSON object, or 400 ``invalid_request``."""
    try:
        parsed = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise invalid_request("Request body must be a JSON object.") from None
    if not isinstance(parsed, dict):
        raise invalid_request("Request body must be a JSON object.")
    return parsed


def _non_empty_string(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and value != "" and _encodable(value)


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from "\ud800" escapes
        return False
    return True


def _fits(value: str) -> bool:
    return len(value.encode("utf-8")) <= MAX_VALUE_BYTES


def _claimed(body: bytes) -> tuple[JSON, JSON | None]:
    data = json_object(body)
    tailscale = data.get("tailscale")
    return data, tailscale if isinstance(tailscale, dict) else None


# --- the v0.1 form -------------------------------------------------------------------


def identity(body: bytes) -> Identity:
    """The v0.1 ``AuthRequest`` in ``body`` (every field required), or 400 ``invalid_request``."""
    data, tailscale = _claimed(body)
    fields = [tailscale.get(key) for key in IDENTITY_FIELDS] if tailscale is not None else []
    cli_version = data.get("cli_version")
    if not fields or not all(map(_non_empty_string, [*fields, cli_version])):
        raise invalid_request(
            "Request body must include tailscale.user_id, login_name, device_id, "
            "device_hostname and tailnet, and cli_version, each a non-empty string."
        )
    user_id, login_name, device_id, device_hostname, tailnet = map(str, fields)
    return Identity(
        user_id, login_name, device_id, device_hostname, tailnet, cli_version=str(cli_version)
    )


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
    if not _fits(value):
        raise secret_value_too_large()
    return value


# --- the REST form ---------------------------------------------------------------------


def rest_identity(body: bytes) -> Identity:
    """The login body as the REST form reads it: ``user_id``, ``login_name`` and ``tailnet``
    required (400 ``tailscale_verification_failed``), the device and version optional."""
    data, tailscale = _claimed(body)
    claimed = tailscale or {}
    if not all(_non_empty_string(claimed.get(key)) for key in REST_REQUIRED_FIELDS):
        raise tailscale_verification_failed(
            "Missing required Tailscale identity fields: user_id, login_name, tailnet"
        )

    def optional(value: object) -> str | None:
        return value if _non_empty_string(value) else None

    return Identity(
        user_id=claimed["user_id"],
        login_name=claimed["login_name"],
        device_id=optional(claimed.get("device_id")),
        device_hostname=optional(claimed.get("device_hostname")),
        tailnet=claimed["tailnet"],
        cli_version=optional(data.get("cli_version")),
    )


def rest_body(body: bytes) -> JSON:
    """A secret operation's JSON object, or 400 ``validation_error``."""
    try:
        return json_object(body)
    except ApiError:
        raise validation_error("Request body must be a JSON object.") from None


def rest_secret_name(name: str) -> str:
    """A valid REST secret name (a colon allowed), or 400 ``validation_error``."""
    if REST_NAME.fullmatch(name) is None:
        raise validation_error(
            'Invalid secret name. Must be 1-64 characters of letters, digits, "_", "-" and ":".'
        )
    return name


def rest_secret_value(value: object) -> str:
    """A valid REST secret value (1..10240 bytes of UTF-8), or 400 ``validation_error``."""
    if value is None or value == "":
        raise validation_error("Missing required field: value")
    if not (isinstance(value, str) and _encodable(value) and _fits(value)):
        raise validation_error("Invalid secret value. Must be text of 1 to 10240 bytes of UTF-8.")
    return value


def rest_label(label: str) -> str | None:
    """A label as stored: trimmed, and ``None`` (cleared) when that leaves nothing."""
    if not _encodable(label):
        raise validation_error("Invalid label. Must be valid Unicode text.")
    return label.strip() or None
