"""The test-control surface under ``/_control/`` (outside the contract; ``--control`` only).

- ``POST /_control/reset``: forget every token and secret; serve the route form
  the command line chose again; rate limit back to the command line's setting;
  fail-writes off; request count and request log emptied.
- ``POST /_control/routes`` with ``{"routes": "v0.1" | "rest"}``: a redeploy; serve
  that route form from the next request on, over the same store (every user,
  token and secret is kept; a token keeps its expiry; later logins get the new
  form's lifetime). Answers ``{"routes": ...}``.
- ``POST /_control/seed`` with ``{"user_uuid": U, "secrets": {"name": "value", ...}}``:
  store all of them for user U at once (create, or update as a set does), each
  checked as a set of the form served now checks it (that set's 400 for the first
  bad one, and then nothing is stored). Not an API request: no rate limit, no
  fail-writes, not counted or logged. The body is bounded like any other (1 MiB).
  Answers ``{"seeded": N}``.
- ``POST /_control/revoke-all``: forget every token (the server no longer knows them).
- ``POST /_control/expire-all``: make every token expired now.
- ``POST /_control/rate-limit`` with ``{"after": N | null, "retry_after": S, "times": K | null}``:
  serve N more requests, then answer 429 with ``Retry-After: S`` to K requests
  (``null``: every one); ``"after": null`` switches it off.
- ``POST /_control/fail-writes`` with ``{"after": N | null}``: let N more secret
  writes through, then answer 500 ``internal_error`` to every later one; a write
  is an authenticated, valid set or delete (of either route form), refused before
  it touches the store. ``"after": null`` switches it off.
- ``GET /_control/state``: counts of users, tokens, secrets and contract requests,
  and ``routes``, the route form served now.
- ``GET /_control/requests``: ``{"requests": [{"method", "path", "query"}, ...]}``,
  every API request (anything not answered here, unknown paths included) since
  start or reset, oldest first; ``path`` percent-encoded as sent, ``query`` the
  raw query string (``""`` when none). Never a header or a body.
- ``GET /_control/names?user_uuid=U``: ``{"user_uuid": U, "names": [...]}``, the
  names of user U's secrets in storage order (never a value); 400 without ``user_uuid``.
"""

from __future__ import annotations

from .deployment import Deployment, route_form
from .faults import FailWrites
from .ratelimit import DEFAULT_RETRY_AFTER, RateLimit, RateLimitConfig
from .request_log import RequestLog
from .store import Store
from .validation import json_object
from .wire import JSON, Reply, Request, invalid_request, method_not_allowed, success

PREFIX = "/_control/"


class Control:
    """Answers ``/_control/*`` requests for tests and demos."""

    def __init__(
        self,
        store: Store,
        limit: RateLimit,
        initial_limit: RateLimitConfig,
        faults: FailWrites,
        log: RequestLog,
        deployment: Deployment,
    ) -> None:
        self.store = store
        self.limit = limit
        self.initial_limit = initial_limit
        self.faults = faults
        self.log = log
        self.deployment = deployment

    def handle(self, request: Request) -> Reply | None:
        """Answer ``request``, or ``None`` when it is not a control path."""
        action = request.path.removeprefix(PREFIX) if request.path.startswith(PREFIX) else None
        if action is None or action not in ACTIONS:
            return None
        method = "GET" if action in READS else "POST"
        if request.method != method:
            raise method_not_allowed([method])
        return success(getattr(self, ACTIONS[action])(request))

    def reset(self, _: Request) -> JSON:
        """Forget everything, and switch every test switch back to its start."""
        self.store.reset()
        self.deployment.redeploy(self.deployment.start)
        self.limit.reset(self.initial_limit)
        self.faults.configure(None)
        self.log.clear()
        return {}

    def routes(self, request: Request) -> JSON:
        """Redeploy: serve the given route form, over the same store."""
        form = route_form(json_object(request.body or b"{}").get("routes"))
        if form is None:
            raise invalid_request('Expected {"routes": "v0.1" | "rest"}.')
        self.deployment.redeploy(form)
        return {"routes": form}

    def seed(self, request: Request) -> JSON:
        """Store many secrets for one user in one request."""
        body = json_object(request.body or b"{}")
        user, given = body.get("user_uuid"), body.get("secrets")
        if not (isinstance(user, str) and user and isinstance(given, dict)):
            raise invalid_request('Expected {"user_uuid": U, "secrets": {"name": "value", ...}}.')
        form = self.deployment.api
        checked = {name: form.check_secret(name, value) for name, value in given.items()}
        for name, value in checked.items():
            self.store.set(user, name, value)
        return {"seeded": len(checked)}

    def revoke_all(self, _: Request) -> JSON:
        """Forget every token."""
        return {"revoked": self.store.revoke_all()}

    def expire_all(self, _: Request) -> JSON:
        """Make every token expired."""
        return {"expired": self.store.expire_all()}

    def rate_limit(self, request: Request) -> JSON:
        """Configure the 429 switch."""
        body = json_object(request.body or b"{}")
        after = body.get("after")
        retry_after = body.get("retry_after", DEFAULT_RETRY_AFTER)
        times = body.get("times")
        if not (_count_or_none(after) and _count_or_none(times) and _count(retry_after)):
            raise invalid_request('Expected {"after": N|null, "retry_after": S, "times": K|null}.')
        self.limit.configure(RateLimitConfig(after, retry_after, times))
        return {"after": after, "retry_after": retry_after, "times": times}

    def fail_writes(self, request: Request) -> JSON:
        """Configure the write-failure switch."""
        after = json_object(request.body or b"{}").get("after")
        if not _count_or_none(after):
            raise invalid_request('Expected {"after": N|null}.')
        self.faults.configure(after)
        return {"after": after}

    def state(self, _: Request) -> JSON:
        """Counts of users, tokens, secrets and contract requests; the form served now."""
        return {
            **self.store.counts(),
            "requests": self.limit.requests,
            "routes": self.deployment.served,
        }

    def requests(self, _: Request) -> JSON:
        """The request log."""
        return {"requests": self.log.entries()}

    def names(self, request: Request) -> JSON:
        """One user's secret names."""
        user = request.query_param("user_uuid")
        if not user:
            raise invalid_request("Expected ?user_uuid=<the user's UUID>.")
        return {"user_uuid": user, "names": self.store.names(user)}


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _count_or_none(value: object) -> bool:
    return value is None or _count(value)


ACTIONS = {
    "reset": "reset",
    "routes": "routes",
    "seed": "seed",
    "revoke-all": "revoke_all",
    "expire-all": "expire_all",
    "rate-limit": "rate_limit",
    "fail-writes": "fail_writes",
    "state": "state",
    "requests": "requests",
    "names": "names",
}
READS = {"state", "requests", "names"}
