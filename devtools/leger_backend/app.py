"""One backend: route a request to the control surface, the route form served now, or a 404."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field, replace

from .control import Control
from .deployment import Deployment, RouteForm
from .faults import FailWrites
from .ratelimit import RateLimit, RateLimitConfig
from .request_log import RequestLog
from .store import Store
from .wire import ApiError, Reply, Request, internal_error, route_not_found


@dataclass(frozen=True)
class Options:
    """How the backend behaves; the command line fills these in."""

    routes: RouteForm = "v0.1"  # the form served at start (and again after a reset)
    token_ttl: int | None = None  # None: each route form's own lifetime
    rate_limit: RateLimitConfig = field(default_factory=RateLimitConfig)
    base_path: str = ""  # e.g. "/api", like https://app.leger.run/api
    control: bool = False
    latency_ms: int = 0  # added before every API answer
    rotating_reads: bool = False  # every read of a secret by name rotates it first


class Backend:
    """Turns a ``Request`` into a ``Reply``; knows nothing about sockets."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.store = Store(rotating_reads=options.rotating_reads)
        self.limit = RateLimit(options.rate_limit)
        self.faults = FailWrites()
        self.deployment = Deployment(
            options.routes, self.store, self.limit, self.faults, options.token_ttl
        )
        self.log = RequestLog() if options.control else None
        self.control = (
            Control(
                self.store, self.limit, options.rate_limit, self.faults, self.log, self.deployment
            )
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
        reply = self.deployment.api.handle(inner)
        if reply is None:
            raise route_not_found(request.method, request.path)
        return reply
