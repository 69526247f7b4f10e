"""A route: a method and a path pattern that lead to one operation of a route form."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar
from urllib.parse import unquote

from .wire import Reply, Request

Form = TypeVar("Form")


@dataclass(frozen=True)
class Route(Generic[Form]):
    """``method`` on a path matching ``pattern`` calls ``operation(form, request, params)``."""

    method: str
    pattern: re.Pattern[str]
    operation: Callable[[Form, Request, dict[str, str]], Reply]

    def params(self, path: str) -> dict[str, str] | None:
        """The percent-decoded path parameters if ``path`` matches, else ``None``."""
        match = self.pattern.fullmatch(path)
        if match is None:
            return None
        return {key: unquote(value) for key, value in match.groupdict().items()}
