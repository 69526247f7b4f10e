"""The test-control surface under ``/_control/`` (outside the contract; ``--control`` only).

- ``POST /_control/reset``: forget every token and secret; rate limit back to the
  command line's setting; request count to zero.
- ``POST /_control/revoke-all``: forget every token (the server no longer knows them).
- ``POST /_control/expire-all``: make every token expired now.
- ``POST /_control/rate-limit`` with ``{"after": N | null, "retry_after": S, "times": K | null}``:
  serve N more requests, then answer 429 with ``Retry-After: S`` to K requests
  (``null``: every one); ``"after": null`` switches it off.
- ``GET /_control/state``: counts of users, tokens, secrets and contract requests.
"""

from __future__ import annotations

from .ratelimit import DEFAULT_RETRY_AFTER, RateLimit, RateLimitConfig
from .store import Store
from .validation import json_object
from .wire import JSON, Reply, Request, invalid_request, method_not_allowed, success

PREFIX = "/_control/"


class Control:
    """Answers ``/_control/*`` requests for tests and demos."""

    def __init__(self, store: Store, limit: RateLimit, initial_limit: RateLimitConfig) -> None:
        self.store = store
        self.limit = limit
        self.initial_limit = initial_limit

    def handle(self, request: Request) -> Reply | None:
        """Answer ``request``, or ``None`` when it is not a control path."""
        action = request.path.removeprefix(PREFIX) if request.path.startswith(PREFIX) else None
        if action is None or action not in ACTIONS:
            return None
        method = "GET" if action == "state" else "POST"
        if request.method != method:
            raise method_not_allowed([method])
        return success(getattr(self, ACTIONS[action])(request))

    def reset(self, _: Request) -> JSON:
        self.store.reset()
        self.limit.reset(self.initial_limit)
        return {}

    def revoke_all(self, _: Request) -> JSON:
        return {"revoked": self.store.revoke_all()}

    def expire_all(self, _: Request) -> JSON:
        return {"expired": self.store.expire_all()}

    def rate_limit(self, request: Request) -> JSON:
        body = json_object(request.body or b"{}")
        after = body.get("after")
        retry_after = body.get("retry_after", DEFAULT_RETRY_AFTER)
        times = body.get("times")
        if not (_count_or_none(after) and _count_or_none(times) and _count(retry_after)):
            raise invalid_request('Expected {"after": N|null, "retry_after": S, "times": K|null}.')
        self.limit.configure(RateLimitConfig(after, retry_after, times))
        return {"after": after, "retry_after": retry_after, "times": times}

    def state(self, _: Request) -> JSON:
        return {**self.store.counts(), "requests": self.limit.requests}


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _count_or_none(value: object) -> bool:
    return value is None or _count(value)


ACTIONS = {
    "reset": "reset",
    "revoke-all": "revoke_all",
    "expire-all": "expire_all",
    "rate-limit": "rate_limit",
    "state": "state",
}
