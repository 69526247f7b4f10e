"""Everything the tests know about the wire, in one place: routes, answers, requests.

leger.run speaks one of two route forms (both call themselves v0.1.0):

- ``V01``: ``GET /secrets/list``, ``GET /secrets/get/{name}``, ``POST /secrets/set``
  with ``{name, value}`` (201 created, 200 updated), ``DELETE /secrets/{name}``;
- ``REST``: ``GET /secrets``, ``GET /secrets/{name}``, ``POST /secrets/{name}``
  with ``{value, label?}`` (always 200), ``DELETE /secrets/{name}``.

Login (``POST /auth/cli``) is the same in both. A test says what the server
holds or answers ("secret k is v", "k is not found") through ``Server`` in
tests/support/httpmock.py, which asks this module for the route and the body;
only a test that is about a route names a path.
"""

from __future__ import annotations

import builtins
import json
from dataclasses import dataclass
from typing import Any

from leger.tailscale import Identity

TOKEN = "test-token"
USER_UUID = "550e8400-e29b-41d4-a716-446655440000"
EMAIL = "alice@example.com"

# What leger reads from tests/data/tailscale/running.json and sends to POST /auth/cli.
IDENTITY = Identity(
    user_id="6251389104827233",
    login_name=EMAIL,
    device_id="nQ5bT3kWq811CNTRL",
    device_hostname="alice-laptop",
    tailnet=EMAIL,
)

Route = tuple[str, str]  # (method, path)

REST_TIME = "2025-10-15T10:00:00.000Z"  # how the REST form writes a time: milliseconds, Z

# The deployed server lists at most this many secrets, the first ones by name,
# with nothing saying more exist ("Limits and behaviour seen" in the API notes).
LIST_PAGE = 1000


@dataclass(frozen=True)
class Form:
    """One route form: where each operation lives and what its answers look like."""

    name: str  # the LEGER_API_ROUTES value: "v0.1" or "rest"

    # --- routes -------------------------------------------------------------------------

    @property
    def login(self) -> Route:
        return ("POST", "/auth/cli")

    @property
    def probe(self) -> Route:
        """What leger sends to find out which form a server speaks."""
        return ("GET", "/secrets")

    @property
    def list(self) -> Route:
        return ("GET", "/secrets/list" if self.name == "v0.1" else "/secrets")

    def get(self, name: str) -> Route:
        return ("GET", f"/secrets/get/{name}" if self.name == "v0.1" else f"/secrets/{name}")

    def set(self, name: str) -> Route:
        return ("POST", "/secrets/set" if self.name == "v0.1" else f"/secrets/{name}")

    def delete(self, name: str) -> Route:
        return ("DELETE", f"/secrets/{name}")

    # --- requests -----------------------------------------------------------------------

    def set_body(self, name: str, value: str, label: str | None = None) -> dict[str, Any]:
        """The JSON body ``secrets set`` sends."""
        if self.name == "v0.1":
            return {"name": name, "value": value}
        return {"value": value} if label is None else {"value": value, "label": label}

    # --- answers: (status, JSON body) ---------------------------------------------------

    def set_answer(
        self,
        name: str,
        *,
        created: bool,
        version: int = 1,
        updated_at: str = "2025-10-16T15:00:00Z",
    ) -> tuple[int, Any]:
        if self.name == "v0.1":
            message = f"Secret {'created' if created else 'updated'} successfully"
            data = {"name": name, "version": version, "updated_at": updated_at, "message": message}
            return (201 if created else 200), ok(data)
        data = {
            "name": name,
            "created_at": updated_at,
            "updated_at": updated_at,
            "version": version,
        }
        return 200, ok(data)

    def get_answer(self, name: str, value: str, version: int = 1) -> tuple[int, Any]:
        data: dict[str, Any] = {"name": name, "value": value, "version": version}
        if self.name == "rest":
            data["created_at"] = REST_TIME
        return 200, ok(data)

    def value_row(self, name: str, value: str, version: int = 1) -> dict[str, Any]:
        """One entry of REST's ``GET /secrets?include_values=true``: a value, no updated_at."""
        assert self.name == "rest", "only the REST form lists values"
        return {"name": name, "value": value, "version": version, "created_at": REST_TIME}

    def list_answer(self, rows: builtins.list[dict[str, Any]]) -> tuple[int, Any]:
        if self.name == "v0.1":
            return 200, ok({"secrets": rows, "total_count": len(rows)})
        return 200, ok({"secrets": rows})

    def values_answer(self, values: dict[str, str]) -> tuple[int, Any]:
        """REST's whole answer to ``GET /secrets?include_values=true`` with ``values``."""
        return self.list_answer([self.value_row(name, value) for name, value in values.items()])

    def delete_answer(self, name: str, deleted_at: str = "2025-10-16T15:30:00Z") -> tuple[int, Any]:
        if self.name == "v0.1":
            return 200, ok({"name": name, "deleted_at": deleted_at})
        return 200, ok({"deleted": True})

    def not_found(self, name: str) -> tuple[int, Any]:
        if self.name == "v0.1":
            return 404, error("secret_not_found", f'Secret "{name}" not found.')
        return 404, error("not_found", f"Secret '{name}' not found")

    def probe_answer(self) -> tuple[int, Any]:
        """How this form answers the probe: REST lists, v0.1 does not know the route."""
        if self.name == "rest":
            return self.list_answer([])
        return 404, error("not_found", "API endpoint not found: GET /secrets")

    def invalid_token(self) -> tuple[int, Any]:
        code = "invalid_token" if self.name == "v0.1" else "authentication_failed"
        return 401, error(code, "Invalid token.")


V01 = Form("v0.1")
REST = Form("rest")
FORMS = (V01, REST)


# --- envelopes and samples shared by both forms ----------------------------------------


def ok(data: Any) -> dict[str, Any]:
    """The success envelope."""
    return {"success": True, "data": data}


def error(code: str, message: str, **extra: str) -> dict[str, Any]:
    """The error envelope; ``extra`` adds fields such as REST's ``action`` and ``docs``."""
    return {"success": False, "error": {"code": code, "message": message, **extra}}


def login_answer(
    token: str = "server-token-abc", *, expires_in: int = 2592000, display_name: str | None = None
) -> tuple[int, Any]:
    """A successful POST /auth/cli."""
    data = {
        "token": token,
        "token_type": "Bearer",
        "expires_in": expires_in,
        "user_uuid": USER_UUID,
        "user": {"tailscale_email": EMAIL, "display_name": display_name},
    }
    return 200, ok(data)


def login_request(identity: Identity = IDENTITY) -> dict[str, Any]:
    """The body of POST /auth/cli for ``identity`` (cli_version is checked apart)."""
    return {
        "tailscale": {
            "user_id": identity.user_id,
            "login_name": identity.login_name,
            "device_id": identity.device_id,
            "device_hostname": identity.device_hostname,
            "tailnet": identity.tailnet,
        }
    }


RATE_LIMITED = error("rate_limit_exceeded", "Rate limit exceeded.")

# The two secrets of the contract's list example (the Prism mock answers them).
EXAMPLE_ROWS = [
    {
        "name": "openai_api_key",
        "created_at": "2025-10-15T10:00:00Z",
        "updated_at": "2025-10-16T12:00:00Z",
        "version": 2,
    },
    {
        "name": "github-token",
        "created_at": "2025-10-17T08:30:00Z",
        "updated_at": "2025-10-17T08:30:00Z",
        "version": 1,
    },
]
# The token in the contract's login example (what the Prism mock hands out).
EXAMPLE_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI1NTBlODQwMCJ9.c2lnbmF0dXJl"
EXAMPLE_VALUE = "sk-proj-abc123"  # the contract's example value of openai_api_key
EXAMPLE_TABLE = (
    "Name            Created     Updated     Version\n"
    "openai_api_key  2025-10-15  2025-10-16  2\n"
    "github-token    2025-10-17  2025-10-17  1\n"
    "\n"
    "Total: 2 secrets\n"
)

# The v0.1 answer to a set that created "k" (the most common sample).
SET_CREATED = V01.set_answer("k", created=True)[1]
# The v0.1 answer to a list of no secrets.
EMPTY_LIST = V01.list_answer([])[1]


def body_bytes(payload: Any) -> bytes:
    """``payload`` as the JSON bytes a server sends."""
    return json.dumps(payload).encode()


def row(name: str, *, version: int = 1, at: str = "2025-10-15T10:00:00Z") -> dict[str, Any]:
    """One list row (metadata only)."""
    return {"name": name, "created_at": at, "updated_at": at, "version": version}


def page_names(count: int = LIST_PAGE, prefix: str = "s") -> list[str]:
    """``count`` secret names that sort in the order given (``s0000``, ``s0001``...)."""
    return [f"{prefix}{number:04}" for number in range(count)]


def full_page(prefix: str = "s") -> list[dict[str, Any]]:
    """A list answer's rows as the deployed server sends them for 1000 or more secrets."""
    return [row(name) for name in page_names(LIST_PAGE, prefix)]
