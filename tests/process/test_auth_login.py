"""``leger auth login`` as processes: logins at once leave one valid file.

The rest of login (the real Tailscale reader included) runs in-process in
tests/cli/test_auth_login.py.
"""

from __future__ import annotations

import json
import subprocess

from tests.support import wire


def test_two_logins_at_once_leave_one_valid_file(cli, prism_mock):
    cli.use_api(prism_mock.url)
    procs = [
        subprocess.Popen(
            [str(cli.executable), "auth", "login"], env=cli.env, stdout=subprocess.PIPE
        )
        for _ in range(4)
    ]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0, 0]
    for proc in procs:
        assert proc.stdout is not None
        proc.stdout.close()
    assert json.loads(cli.auth_file.read_text())["token"] == wire.EXAMPLE_TOKEN
    assert sorted(p.name for p in cli.config_dir.iterdir()) == ["auth.json"]
