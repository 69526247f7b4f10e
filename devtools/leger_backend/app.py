"""One backend: route a request to the control surface, the contract, or a 404."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace

from .api import Api
from .control import Control
from .ratelimit import RateLimit, RateLimitConfig
from .store import DEFAULT_TOKEN_TTL, Store
from .wire import ApiError, Reply, Request, internal_error, route_not_found


@dataclass(frozen=True)
class Options:
    """How the backend behaves; the command line fills these in."""

    token_ttl: int = DEFAULT_TOKEN_TTL
    rate_limit: RateLimitConfig = field(default_factory=RateLimitConfig)
    base_path: str = ""  # e.g. "/api", like https://app.leger.run/api
    control: bool = False


class Backend:
    """Turns a ``Request`` into a ``Reply``; knows nothing about sockets."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.store = Store(options.token_ttl)
        self.limit = RateLimit(options.rate_limit)
        self.api = Api(self.store, self.limit)
        self.control = (
            Control(self.store, self.limit, options.rate_limit) if options.control else None
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
        base = self.options.base_path
        if base:
            if not request.path.startswith(f"{base}/"):
                raise route_not_found(request.method, request.path)
            request = replace(request, path=request.path[len(base) :])
        reply = self.api.handle(request)
        if reply is None:
            raise route_not_found(request.method, request.path)
        return reply
