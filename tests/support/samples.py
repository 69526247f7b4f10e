"""Wire samples shared by tests: the identity of tests/data/tailscale/running.json
and a canned POST /secrets/set answer."""

from __future__ import annotations

from leger.tailscale import Identity

# What leger reads from running.json and sends to POST /auth/cli.
IDENTITY = Identity(
    user_id="6251389104827233",
    login_name="alice@example.com",
    device_id="nQ5bT3kWq811CNTRL",
    device_hostname="alice-laptop",
    tailnet="alice@example.com",
)

SET_CREATED = {
    "success": True,
    "data": {
        "name": "k",
        "version": 1,
        "updated_at": "2025-10-16T15:00:00Z",
        "message": "Secret created successfully",
    },
}
