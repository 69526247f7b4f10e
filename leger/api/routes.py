"""The route forms a leger.run server speaks: a leaf module (but for safe_line), imported by all.

``rest`` is what leger.run deploys (``GET|POST|DELETE /secrets/{name}``);
``v0.1`` is the v0.1 design (``/secrets/list``, ``/secrets/get/{name}``,
``POST /secrets/set``). Both share ``POST /auth/cli`` and ``DELETE /secrets/{name}``.
"""

from __future__ import annotations

from typing import Literal, TypeGuard

from leger.terminal import safe_line

RouteForm = Literal["rest", "v0.1"]
ROUTE_FORMS: tuple[RouteForm, ...] = ("rest", "v0.1")


def is_route_form(value: object) -> TypeGuard[RouteForm]:
    """Whether ``value`` names a route form ("rest" or "v0.1")."""
    return value in ROUTE_FORMS


def describe(form: RouteForm | None) -> str:
    """How a form is shown to users: "REST routes", "v0.1 routes" or "routes not known yet"."""
    return {"rest": "REST routes", "v0.1": "v0.1 routes"}.get(form or "", "routes not known yet")


def describe_server(url: str, form: RouteForm | None) -> str:
    """``https://api.leger.run (REST routes)``, as login and status show a server."""
    return f"{safe_line(url)} ({describe(form)})"
