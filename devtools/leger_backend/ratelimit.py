"""The 429 switch: count contract requests, and refuse some with ``Retry-After``."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from .wire import rate_limit_exceeded

DEFAULT_RETRY_AFTER = 60


@dataclass(frozen=True)
class RateLimitConfig:
    """Serve ``after`` requests, then refuse ``times`` of them (``None``: forever).

    ``after=None`` switches rate limiting off.
    """

    after: int | None = None
    retry_after: int = DEFAULT_RETRY_AFTER
    times: int | None = None


class RateLimit:
    """Counts every contract request and answers 429 once the configured budget is spent."""

    def __init__(self, config: RateLimitConfig) -> None:
        self._lock = threading.Lock()
        self._config = config
        self._seen = 0  # since the last configure()
        self.requests = 0  # since start or reset()

    @property
    def config(self) -> RateLimitConfig:
        return self._config

    def configure(self, config: RateLimitConfig) -> None:
        """Switch to ``config`` and start counting its budget from zero."""
        with self._lock:
            self._config = config
            self._seen = 0

    def reset(self, config: RateLimitConfig) -> None:
        """Switch to ``config`` and zero the request count too."""
        with self._lock:
            self._config = config
            self._seen = 0
            self.requests = 0

    def check(self) -> None:
        """Count one request; raise 429 ``rate_limit_exceeded`` if it is over budget."""
        with self._lock:
            self.requests += 1
            self._seen += 1
            config = self._config
            if config.after is None or self._seen <= config.after:
                return
            refused = self._seen - config.after
            if config.times is not None and refused > config.times:
                return
        raise rate_limit_exceeded(config.retry_after)
