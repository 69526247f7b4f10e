"""Where the XDG Base Directory spec puts a user's files (config, cache)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def xdg_base(env: Mapping[str, str], variable: str, default: str) -> Path:
    """``$variable`` if it is an absolute path, else ``$HOME/<default>``.

    The spec says a relative path in an XDG variable is invalid and must be ignored.
    """
    value = env.get(variable, "")
    return Path(value) if os.path.isabs(value) else Path(env.get("HOME") or Path.home()) / default


def leger_cache_dir(env: Mapping[str, str]) -> Path:
    """``$XDG_CACHE_HOME/leger`` when that is absolute, else ``~/.cache/leger``."""
    return xdg_base(env, "XDG_CACHE_HOME", ".cache") / "leger"
