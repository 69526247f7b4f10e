"""The operations of ``openapi/leger-api.yaml``, and which path and method reach each."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from . import validation
from .ratelimit import RateLimit
from .store import Store
from .wire import JSON, Reply, Request, method_not_allowed, secret_not_found, success

Operation = Callable[["Api", Request, dict[str, str]], Reply]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    operation: Operation


class Api:
    """The contract's five operations over a store, behind a rate limit."""

    def __init__(self, store: Store, limit: RateLimit) -> None:
        self.store = store
        self.limit = limit

    def handle(self, request: Request) -> Reply | None:
        """Answer ``request``, or ``None`` when its path is not in the contract."""
        routes = [
            (route, match)
            for route in ROUTES
            if (match := route.pattern.fullmatch(request.path)) is not None
        ]
        if not routes:
            return None
        for route, match in routes:
            if route.method == request.method:
                self.limit.check()
                params = {key: unquote(value) for key, value in match.groupdict().items()}
                return route.operation(self, request, params)
        # Allow names the methods of the path OpenAPI would match: a concrete path
        # (/secrets/list) before a templated one (/secrets/{name}). DELETE /secrets/list
        # still deletes a secret named "list" above, as Prism routes it too.
        concrete = [route for route, _ in routes if not route.pattern.groups]
        resource = concrete or [route for route, _ in routes]
        raise method_not_allowed(sorted({route.method for route in resource}))

    # --- operations -----------------------------------------------------------

    def authenticate_cli(self, request: Request, _: dict[str, str]) -> Reply:
        login = self.store.login(validation.identity(request.body))
        return success(
            {
                "token": login.token,
                "token_type": "Bearer",
                "expires_in": login.expires_in,
                "user_uuid": login.user_uuid,
                "user": {"tailscale_email": login.email, "display_name": None},
            }
        )

    def list_secrets(self, request: Request, _: dict[str, str]) -> Reply:
        user = self.store.user_for(request.bearer_token())
        secrets: list[JSON] = [
            {
                "name": name,
                "created_at": secret.created_at,
                "updated_at": secret.updated_at,
                "version": secret.version,
            }
            for name, secret in self.store.list(user)
        ]
        return success({"secrets": secrets, "total_count": len(secrets)})

    def set_secret(self, request: Request, _: dict[str, str]) -> Reply:
        user = self.store.user_for(request.bearer_token())
        body = validation.json_object(request.body)
        name = validation.secret_name(body.get("name"))
        value = validation.secret_value(body.get("value"))
        created, secret = self.store.set(user, name, value)
        message = "Secret created successfully" if created else "Secret updated successfully"
        data = {
            "name": name,
            "version": secret.version,
            "updated_at": secret.updated_at,
            "message": message,
        }
        return success(data, 201 if created else 200)

    def get_secret(self, request: Request, params: dict[str, str]) -> Reply:
        user = self.store.user_for(request.bearer_token())
        name = _existing_name(params["name"])
        secret = self.store.get(user, name)
        return success({"name": name, "value": secret.value, "version": secret.version})

    def delete_secret(self, request: Request, params: dict[str, str]) -> Reply:
        user = self.store.user_for(request.bearer_token())
        name = _existing_name(params["name"])
        deleted_at = self.store.delete(user, name)
        return success({"name": name, "deleted_at": deleted_at})


def _existing_name(name: str) -> str:
    # get and delete have no 400 in the contract: a name that cannot exist is not found.
    if not validation.is_secret_name(name):
        raise secret_not_found(name)
    return name


ROUTES = (
    Route("POST", re.compile(r"/auth/cli"), Api.authenticate_cli),
    Route("GET", re.compile(r"/secrets/list"), Api.list_secrets),
    Route("POST", re.compile(r"/secrets/set"), Api.set_secret),
    Route("GET", re.compile(r"/secrets/get/(?P<name>[^/]+)"), Api.get_secret),
    Route("DELETE", re.compile(r"/secrets/(?P<name>[^/]+)"), Api.delete_secret),
)
