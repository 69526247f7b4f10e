"""A stored leger login (``auth.json``), written as leger writes it: one builder for every writer.

The tests and ``scripts/bench.py`` log a user in without ``leger auth login``
by writing this file. ``login_text`` is its content (a login bound to the
server it came from, with the route form that server speaks; without
``api_url``, a login from before logins were bound); ``write_login`` puts it
in place, private, as leger's token store does (directory 0700, file 0600
unless a test asks for another mode).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

FAR_FUTURE = "2099-01-01T00:00:00Z"
USER_UUID = "550e8400-e29b-41d4-a716-446655440000"
USER_EMAIL = "alice@example.com"


def login_text(
    token: str,
    *,
    api_url: str | None = None,
    api_routes: str | None = None,
    expires_at: str = FAR_FUTURE,
    user_uuid: str = USER_UUID,
    user_email: str = USER_EMAIL,
) -> str:
    """The content of an ``auth.json`` holding ``token`` (``None`` fields are left out)."""
    fields = {
        "token": token,
        "token_type": "Bearer",
        "expires_at": expires_at,
        "user_uuid": user_uuid,
        "user_email": user_email,
        "api_url": api_url,
        "api_routes": api_routes,
    }
    present = {name: value for name, value in fields.items() if value is not None}
    return json.dumps(present, indent=2) + "\n"


def write_login(config_dir: Path, text: str, mode: int = 0o600) -> Path:
    """Write ``text`` as ``config_dir/auth.json`` with ``mode``; the file's path.

    ``config_dir`` (leger's directory, e.g. ``$XDG_CONFIG_HOME/leger``) is made
    0700 when missing.
    """
    config_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = config_dir / "auth.json"
    path.write_text(text, encoding="utf-8")
    os.chmod(path, mode)
    return path
