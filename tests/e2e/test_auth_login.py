"""Many ``leger auth login`` processes at once leave one complete, private ``auth.json``."""

from __future__ import annotations

import json
import stat

from tests.fixtures.cli import finish_all

N = 10


def test_ten_logins_at_once_leave_one_valid_private_auth_json(cli, fresh_backend):
    cli.use_api(fresh_backend.url)
    procs = [cli.start("auth", "login") for _ in range(N)]
    results = finish_all(procs)
    assert [code for code, _, _ in results] == [0] * N, [err for _, _, err in results]
    assert all(b"Authenticated as alice@example.com" in out for _, out, _ in results)
    assert sorted(p.name for p in cli.config_dir.iterdir()) == ["auth.json"], "temp files left"
    assert stat.S_IMODE(cli.auth_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(cli.config_dir.stat().st_mode) == 0o700
    stored = json.loads(cli.auth_file.read_text())
    assert set(stored) == {
        "token",
        "token_type",
        "expires_at",
        "user_uuid",
        "user_email",
        "api_url",
        "api_routes",
    }
    assert stored["user_email"] == "alice@example.com"
    # The survivor is a token the backend issued and still accepts.
    assert fresh_backend.state()["tokens"] == N
    status = cli.run("auth", "status", "--json")
    assert json.loads(status.stdout)["authenticated"] is True
    listed = cli.run("secrets", "list")
    assert listed.returncode == 0, listed.stderr
