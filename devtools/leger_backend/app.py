"""One backend: route a request to the control surface, the chosen route form, or a 404."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field, replace
from typing import Literal

from .api import Api
from .control import Control
from .faults import FailWrites
from .ratelimit import RateLimit, RateLimitConfig
from .request_log import RequestLog
from .rest_api import RestApi
from .store import DEFAULT_TOKEN_TTL, Store
from .wire import ApiError, Reply, Request, internal_error, route_not_found

RouteForm = Literal["v0.1", "rest"]
ROUTE_FORMS: tuple[RouteForm, ...] = ("v0.1", "rest")
REST_TOKEN_TTL = 365 * 24 * 60 * 60  # 31536000 seconds: the deployed REST form's tokens


@dataclass(frozen=True)
class Options:
    """How the backend behaves; the command line fills these in."""

    routes: RouteForm = "v0.1"
    token_ttl: int | None = None  # None: the route form's own lifetime
    rate_limit: RateLimitConfig = field(default_factory=RateLimitConfig)
    base_path: str = ""  # e.g. "/api", like https://app.leger.run/api
    control: bool = False
    latency_ms: int = 0  # added before every API answer

    @property
    def lifetime(self) -> int:
        """The token lifetime in seconds, also sent as ``expires_in``."""
        if self.token_ttl is not None:
            return self.token_ttl
        return REST_TOKEN_TTL if self.routes == "rest" else DEFAULT_TOKEN_TTL


class Backend:
    """Turns a ``Request`` into a ``Reply``; knows nothing about sockets."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.store = Store(options.lifetime)
        self.limit = RateLimit(options.rate_limit)
        self.faults = FailWrites()
        form = RestApi if options.routes == "rest" else Api
        self.api: Api | RestApi = form(self.store, self.limit, self.faults)
        self.log = RequestLog() if options.control else None
        self.control = (
            Control(self.store, self.limit, options.rate_limit, self.faults, self.log)
            if self.log is not None
            else None
        )

    def handle(self, request: Request) -> Reply:
        """Answer one request; every error is a JSON envelope."""
        try:
            return self._route(request)
        except ApiError as error:
            return error.reply()
        except Exception as error:  # a bug here must still answer the envelope
            print(f"leger backend: internal error: {type(error).__name__}", file=sys.stderr)
            return internal_error().reply()

    def _route(self, request: Request) -> Reply:
        if self.control is not None and (reply := self.control.handle(request)) is not None:
            return reply
        if self.log is not None:
            self.log.record(request)
        if self.options.latency_ms:
            time.sleep(self.options.latency_ms / 1000)
        base = self.options.base_path
        inner = request
        if base:
            if not request.path.startswith(f"{base}/"):
                raise route_not_found(request.method, request.path)
            inner = replace(request, path=request.path[len(base) :])
        reply = self.api.handle(inner)
        if reply is None:
            raise route_not_found(request.method, request.path)
        return reply
