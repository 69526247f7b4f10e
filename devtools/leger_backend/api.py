"""The v0.1 form's operations (``openapi/leger-api.yaml``), and which path and method reach each."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from . import validation
from .faults import FailWrites
from .ratelimit import RateLimit
from .routing import Route
from .store import Login, Store
from .wire import (
    JSON,
    Reply,
    Request,
    invalid_token,
    method_not_allowed,
    seconds,
    secret_not_found,
    success,
)

TOKEN_TTL = 30 * 24 * 60 * 60  # 2592000 seconds, as v0.1 states


def login_data(login: Login) -> JSON:
    """The ``data`` of a successful ``POST /auth/cli`` (the same in both route forms)."""
    return {
        "token": login.token,
        "token_type": "Bearer",
        "expires_in": login.expires_in,
        "user_uuid": login.user_uuid,
        "user": {"tailscale_email": login.email, "display_name": None},
    }


class Api:
    """The v0.1 form's five operations over a store, behind a rate limit.

    ``token_ttl`` is the lifetime of the tokens its login issues.
    """

    def __init__(self, store: Store, limit: RateLimit, faults: FailWrites, token_ttl: int) -> None:
        self.store = store
        self.limit = limit
        self.faults = faults
        self.token_ttl = token_ttl

    def handle(self, request: Request) -> Reply | None:
        """Answer ``request``, or ``None`` when its path is not in the contract."""
        routes = [
            (route, params)
            for route in ROUTES
            if (params := route.params(request.path)) is not None
        ]
        if not routes:
            return None
        for route, params in routes:
            if route.method == request.method:
                self.limit.check()
                return route.operation(self, request, params)
        # Allow names the methods of the path OpenAPI would match: a concrete path
        # (/secrets/list) before a templated one (/secrets/{name}). DELETE /secrets/list
        # still deletes a secret named "list" above, as Prism routes it too.
        concrete = [route for route, _ in routes if not route.pattern.groups]
        resource = concrete or [route for route, _ in routes]
        raise method_not_allowed(sorted({route.method for route in resource}))

    def _user(self, request: Request) -> str:
        token = request.bearer_token()
        user = self.store.user_for(token) if token is not None else None
        if user is None:
            raise invalid_token()
        return user

    # --- operations -----------------------------------------------------------

    def authenticate_cli(self, request: Request, _: dict[str, str]) -> Reply:
        """``POST /auth/cli``: every identity field required; a token and who it is for."""
        login = self.store.login(validation.identity(request.body), self.token_ttl)
        return success(login_data(login))

    @staticmethod
    def check_secret(name: str, value: object) -> str:
        """``value`` if a set may store it under ``name``; else the 400 that set answers."""
        validation.secret_name(name)
        return validation.secret_value(value)

    def list_secrets(self, request: Request, _: dict[str, str]) -> Reply:
        """``GET /secrets/list``: metadata and ``total_count``, never values; every secret
        (the v0.1 design states no page, and its ``total_count`` counts them all)."""
        user = self._user(request)
        secrets: list[JSON] = [
            {
                "name": name,
                "created_at": seconds(secret.created_at),
                "updated_at": seconds(secret.updated_at),
                "version": secret.version,
            }
            for name, secret in self.store.list(user)
        ]
        return success({"secrets": secrets, "total_count": len(secrets)})

    def set_secret(self, request: Request, _: dict[str, str]) -> Reply:
        """``POST /secrets/set``: 201 when created, 200 when updated."""
        user = self._user(request)
        body = validation.json_object(request.body)
        name = validation.secret_name(body.get("name"))
        value = validation.secret_value(body.get("value"))
        self.faults.check()
        created, secret = self.store.set(user, name, value)
        message = "Secret created successfully" if created else "Secret updated successfully"
        data = {
            "name": name,
            "version": secret.version,
            "updated_at": seconds(secret.updated_at),
            "message": message,
        }
        return success(data, 201 if created else 200)

    def get_secret(self, request: Request, params: dict[str, str]) -> Reply:
        """``GET /secrets/get/{name}``: the value and version, or 404."""
        user = self._user(request)
        name = _existing_name(params["name"])
        secret = self.store.get(user, name)
        if secret is None:
            raise secret_not_found(name)
        return success({"name": name, "value": secret.value, "version": secret.version})

    def delete_secret(self, request: Request, params: dict[str, str]) -> Reply:
        """``DELETE /secrets/{name}``: the name and ``deleted_at``, or 404."""
        user = self._user(request)
        name = _existing_name(params["name"])
        self.faults.check()
        if not self.store.delete(user, name):
            raise secret_not_found(name)
        return success({"name": name, "deleted_at": seconds(datetime.now(UTC))})


def _existing_name(name: str) -> str:
    # get and delete have no 400 in the contract: a name that cannot exist is not found.
    if not validation.is_secret_name(name):
        raise secret_not_found(name)
    return name


ROUTES: tuple[Route[Api], ...] = (
    Route("POST", re.compile(r"/auth/cli"), Api.authenticate_cli),
    Route("GET", re.compile(r"/secrets/list"), Api.list_secrets),
    Route("POST", re.compile(r"/secrets/set"), Api.set_secret),
    Route("GET", re.compile(r"/secrets/get/(?P<name>[^/]+)"), Api.get_secret),
    Route("DELETE", re.compile(r"/secrets/(?P<name>[^/]+)"), Api.delete_secret),
)
