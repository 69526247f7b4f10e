"""The token file as an ordinary user sees it: their own login is used, root's is refused.

Only a process can be another user: the installed ``leger``, staged where that
user can read it (tests/fixtures/other_user.py), runs as uid 65534. Everything
else about the token file runs in-process in tests/cli/test_token_store.py.
"""

from __future__ import annotations

import os

from devtools.login_file import login_text, write_login
from tests.fixtures.cli import Cli
from tests.fixtures.other_user import OtherUser


def test_as_an_ordinary_user_their_own_login_is_used_and_roots_is_refused(
    cli: Cli, nobody: OtherUser
) -> None:
    home = nobody.home()
    env = {**cli.env, "HOME": str(home), "XDG_CONFIG_HOME": str(home)}
    auth_file = write_login(home / "leger", login_text("t0ken-H4RDEN-3e1f8a"))
    os.chown(auth_file.parent, nobody.uid, nobody.uid)
    os.chown(auth_file, nobody.uid, nobody.uid)

    own = nobody.run("auth", "status", env=env, timeout=60)
    assert own.returncode == 0, own.stderr
    assert b"alice@example.com" in own.stdout
    os.chown(auth_file, 0, 0)
    os.chmod(auth_file, 0o644)
    planted = nobody.run("auth", "status", env=env, timeout=60)
    assert planted.returncode == 1
    refused = f"Refusing to use {auth_file}: it belongs to another user (uid 0)"
    assert refused in planted.stderr.decode()
