"""Settings from the environment, read once per process and passed down.

Reading them here (not deep in the code) keeps every other module a pure function
of its inputs, so tests pass a ``Settings`` instead of patching ``os.environ``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from leger.api.routes import RouteForm, is_route_form
from leger.api.url import checked_base_url
from leger.errors import UsageError
from leger.record import Record
from leger.terminal import safe_line
from leger.token_format import is_sendable_token
from leger.xdg import leger_cache_dir, xdg_base

DEFAULT_API_URL = "https://api.leger.run"
DEFAULT_TIMEOUT = 10.0
# An hour: far beyond any sane wait for one request or for tailscale, and small
# enough for every timer (Python's thread waits overflow near 2**31 s).
MAX_TIMEOUT = 3600.0


class Settings(Record):
    """Everything leger takes from its environment."""

    __slots__ = (
        "api_url",
        "cache",
        "cache_dir",
        "config_dir",
        "debug",
        "env_token",
        "no_color",
        "routes",
        "state_dir",
        "timeout",
    )

    def __init__(
        self,
        api_url: str,
        timeout: float,
        env_token: str | None,
        debug: bool,
        no_color: bool,
        config_dir: Path,
        cache_dir: Path,
        cache: bool,
        state_dir: Path,
        routes: RouteForm | None = None,
    ) -> None:
        self.api_url: Final = api_url
        self.timeout: Final = timeout
        self.env_token: Final = env_token
        self.debug: Final = debug
        self.no_color: Final = no_color
        self.config_dir: Final = config_dir
        # Where the offline cache of secrets lives (the lookup Podman runs names it),
        # and whether it is used (LEGER_CACHE).
        self.cache_dir: Final = cache_dir
        self.cache: Final = cache
        # Where leger keeps what it learnt (the route form each server speaks): hints, not settings.
        self.state_dir: Final = state_dir
        self.routes: Final = routes

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read the LEGER_* variables, NO_COLOR and the XDG directories (see the README).

        Every value is checked here, before any command runs: a bad one is a
        UsageError (exit 2) naming the variable.
        """
        env = os.environ if env is None else env
        return cls(
            api_url=checked_base_url(env.get("LEGER_API_URL") or DEFAULT_API_URL),
            timeout=_parse_timeout(env.get("LEGER_TIMEOUT")),
            routes=_parse_routes(env.get("LEGER_API_ROUTES")),
            env_token=_parse_token(env.get("LEGER_TOKEN")),
            debug=debug_enabled(env),
            # no-color.org: set and non-empty disables colour.
            no_color=bool(env.get("NO_COLOR")),
            config_dir=_config_dir(env),
            cache_dir=leger_cache_dir(env),
            cache=_parse_cache(env.get("LEGER_CACHE")),
            state_dir=xdg_base(env, "XDG_STATE_HOME", ".local/state") / "leger",
        )


def debug_enabled(env: Mapping[str, str]) -> bool:
    """Whether LEGER_DEBUG asks for the debug log (set, and not 0/false/no)."""
    return env.get("LEGER_DEBUG", "") not in ("", "0", "false", "no")


def _parse_timeout(raw: str | None) -> float:
    if raw is None or raw == "":
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not 0 < value <= MAX_TIMEOUT:
        raise UsageError(
            f"LEGER_TIMEOUT must be a number of seconds above 0 and at most {MAX_TIMEOUT:g}, "
            f"not {safe_line(raw, 40)!r}",
            hint="Unset it to use the default of 10 seconds.",
        )
    return value


def _parse_routes(raw: str | None) -> RouteForm | None:
    if not raw:
        return None
    if not is_route_form(raw):
        raise UsageError(
            f"LEGER_API_ROUTES must be rest or v0.1, not {safe_line(raw, 40)!r}",
            hint="Unset it to let leger detect the API's routes.",
        )
    return raw


def _parse_token(raw: str | None) -> str | None:
    if not raw:
        return None
    if not is_sendable_token(raw):
        raise UsageError(
            "LEGER_TOKEN cannot be sent in an HTTP header "
            "(it has line breaks, control or non-ASCII characters)",
            hint="Set it to the token exactly, or unset it and run: leger auth login",
        )
    return raw


def _parse_cache(raw: str | None) -> bool:
    if raw in (None, "", "1"):
        return True
    if raw == "0":
        return False
    raise UsageError(
        f"LEGER_CACHE must be 0 (no offline cache) or 1, not {safe_line(raw, 40)!r}",
        hint="Unset it to use the offline cache (the default).",
    )


def _config_dir(env: Mapping[str, str]) -> Path:
    return xdg_base(env, "XDG_CONFIG_HOME", ".config") / "leger"
