"""Which route form the backend serves now, and switching it (a redeploy).

Both forms are built over one store, rate limit and write-failure switch, so a
redeploy keeps every user, token and secret: only the routes change, as when
leger.run is redeployed from one form to the other between two commands. Each
form keeps its own token lifetime (``--token-ttl`` overrides both); a token keeps
the expiry it was issued with.
"""

from __future__ import annotations

from typing import Literal

from . import api, rest_api
from .api import Api
from .faults import FailWrites
from .ratelimit import RateLimit
from .rest_api import RestApi
from .store import Store

RouteForm = Literal["v0.1", "rest"]
ROUTE_FORMS: tuple[RouteForm, ...] = ("v0.1", "rest")


def route_form(value: object) -> RouteForm | None:
    """``value`` if it names a route form, else ``None``."""
    return next((form for form in ROUTE_FORMS if form == value), None)


class Deployment:
    """Serves ``start`` until told to ``redeploy``; ``served`` is the form served now."""

    def __init__(
        self,
        start: RouteForm,
        store: Store,
        limit: RateLimit,
        faults: FailWrites,
        token_ttl: int | None = None,
    ) -> None:
        def lifetime(own: int) -> int:
            return own if token_ttl is None else token_ttl

        self.start = start
        self.served = start
        self._forms: dict[RouteForm, Api | RestApi] = {
            "v0.1": Api(store, limit, faults, lifetime(api.TOKEN_TTL)),
            "rest": RestApi(store, limit, faults, lifetime(rest_api.TOKEN_TTL)),
        }

    @property
    def api(self) -> Api | RestApi:
        """The operations of the form served now."""
        return self._forms[self.served]

    def redeploy(self, form: RouteForm) -> None:
        """Serve ``form`` from the next request on."""
        self.served = form
