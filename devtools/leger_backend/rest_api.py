"""The REST form the deployed leger.run serves, and which path and method reach each operation.

Routes are tried in order, the first match wins, and an unmatched request is
the app's 404 ``not_found`` (this form has no 405). The order reproduces the
deployed server's: ``GET /secrets/selections`` and ``POST /secrets/select-provider``
reach other features before ``/secrets/{name}`` can, and everything else under
``/secrets/`` is a secret's name, so v0.1's ``POST /secrets/set`` sets a secret
named ``set`` and ``GET /secrets/list`` looks for one named ``list``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from . import validation
from .api import login_data
from .faults import FailWrites
from .ratelimit import RateLimit
from .routing import Route
from .store import KEEP_LABEL, Secret, Store
from .wire import (
    JSON,
    Reply,
    Request,
    authentication_failed,
    milliseconds,
    not_found,
    success,
    unauthorized,
    validation_error,
)

APP_VERSION = "0.1.0"
TOKEN_TTL = 365 * 24 * 60 * 60  # 31536000 seconds: the deployed form's tokens live a year
# The deployed Worker answers a list from one storage page (a KV list() whose cursor it
# drops): at most this many secrets, the first by name, with nothing saying more exist.
LIST_PAGE = 1000


class RestApi:
    """The REST form's operations over a store, behind a rate limit.

    ``token_ttl`` is the lifetime of the tokens its login issues.
    """

    def __init__(self, store: Store, limit: RateLimit, faults: FailWrites, token_ttl: int) -> None:
        self.store = store
        self.limit = limit
        self.faults = faults
        self.token_ttl = token_ttl

    def handle(self, request: Request) -> Reply | None:
        """Answer ``request``, or ``None`` when no route takes it."""
        if (request.method, request.path) == ("GET", "/health"):
            return health()
        for route in ROUTES:
            params = route.params(request.path) if route.method == request.method else None
            if params is not None:
                self.limit.check()
                return route.operation(self, request, params)
        return None

    def _user(self, request: Request) -> str:
        header = request.headers.get("authorization")
        if header is None:
            raise unauthorized("Missing Authorization header")
        token = request.bearer_token()
        if token is None:
            raise unauthorized("Invalid Authorization header format. Expected: Bearer <token>")
        user = self.store.user_for(token)
        if user is None:
            raise authentication_failed()
        return user

    # --- operations -----------------------------------------------------------

    def authenticate_cli(self, request: Request, _: dict[str, str]) -> Reply:
        """``POST /auth/cli``: v0.1's login, with REST's rules and token lifetime."""
        login = self.store.login(validation.rest_identity(request.body), self.token_ttl)
        return success(login_data(login))

    @staticmethod
    def check_secret(name: str, value: object) -> str:
        """``value`` if a set may store it under ``name``; else the 400 that set answers."""
        validation.rest_secret_name(name)
        return validation.rest_secret_value(value)

    def list_secrets(self, request: Request, _: dict[str, str]) -> Reply:
        """``GET /secrets[?include_values=true]``: metadata, or values without ``updated_at``;
        one storage page of them (``LIST_PAGE``)."""
        user = self._user(request)
        with_values = request.query_param("include_values") == "true"
        shown = _with_value if with_values else _metadata
        page = self.store.list(user)[:LIST_PAGE]
        return success({"secrets": [shown(name, s) for name, s in page]})

    def get_secret(self, request: Request, params: dict[str, str]) -> Reply:
        """``GET /secrets/{name}``: the value, version, label and creation time."""
        user = self._user(request)
        name = params["name"]
        secret = self.store.get(user, name)
        if secret is None:
            raise not_found(name)
        return success(_with_value(name, secret))

    def set_secret(self, request: Request, params: dict[str, str]) -> Reply:
        """``POST /secrets/{name}``: create or update, 200 either way; the label rules."""
        user = self._user(request)
        body = validation.rest_body(request.body)
        value = validation.rest_secret_value(body.get("value"))
        name = validation.rest_secret_name(params["name"])
        label = body.get("label")
        new_label = validation.rest_label(label) if isinstance(label, str) else KEEP_LABEL
        self.faults.check()
        _, secret = self.store.set(user, name, value, new_label)
        return success(_metadata(name, secret))

    def delete_secret(self, request: Request, params: dict[str, str]) -> Reply:
        """``DELETE /secrets/{name}``: ``{"deleted": true}`` or 404."""
        user = self._user(request)
        name = params["name"]
        self.faults.check()
        if not self.store.delete(user, name):
            raise not_found(name)
        return success({"deleted": True})

    # --- the other features that shadow two secret names ---------------------

    def provider_selections(self, request: Request, _: dict[str, str]) -> Reply:
        """``GET /secrets/selections``: another feature, never a secret."""
        self._user(request)
        return success({"selections": []})

    def select_provider(self, request: Request, _: dict[str, str]) -> Reply:
        """``POST /secrets/select-provider``: another feature; stores no secret."""
        self._user(request)
        body = validation.rest_body(request.body)
        provider, secret_name = body.get("provider_id"), body.get("secret_name")
        if not (isinstance(provider, str) and provider and isinstance(secret_name, str)):
            raise validation_error("Missing required fields: provider_id, secret_name")
        return success({"provider": provider, "secret_name": secret_name})


def health() -> Reply:
    """``GET /health``: public, and not wrapped in the success envelope."""
    body = {
        "status": "healthy",
        "service": "leger-app",
        "version": APP_VERSION,
        "timestamp": milliseconds(datetime.now(UTC)),
        "environment": "development",
    }
    return Reply(200, body)


def _label(secret: Secret) -> JSON:
    return {"label": secret.label} if secret.label is not None else {}


def _metadata(name: str, secret: Secret) -> JSON:
    return {
        "name": name,
        **_label(secret),
        "created_at": milliseconds(secret.created_at),
        "updated_at": milliseconds(secret.updated_at),
        "version": secret.version,
    }


def _with_value(name: str, secret: Secret) -> JSON:
    return {
        "name": name,
        **_label(secret),
        "value": secret.value,
        "version": secret.version,
        "created_at": milliseconds(secret.created_at),
    }


ROUTES: tuple[Route[RestApi], ...] = (
    Route("POST", re.compile(r"/auth/cli"), RestApi.authenticate_cli),
    Route("GET", re.compile(r"/secrets"), RestApi.list_secrets),
    Route("GET", re.compile(r"/secrets/selections"), RestApi.provider_selections),
    Route("POST", re.compile(r"/secrets/select-provider"), RestApi.select_provider),
    Route("GET", re.compile(r"/secrets/(?P<name>.+)"), RestApi.get_secret),
    Route("POST", re.compile(r"/secrets/(?P<name>.+)"), RestApi.set_secret),
    Route("DELETE", re.compile(r"/secrets/(?P<name>.+)"), RestApi.delete_secret),
)
