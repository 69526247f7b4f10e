"""The token file is never read from, or written through, somewhere unsafe.

Through the installed ``leger``: a login of the user's own that is readable
by group or others is tightened to 0600 (with a warning) before it is used; a
login file or directory that belongs to another user, or that others can write
to, is refused (exit 1, nothing sent, nothing changed); a symbolic link, a
directory or a FIFO where ``auth.json`` belongs is refused with a message and
exit 1, without following it, changing it, or blocking on it.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.support import faulty as f

TOKEN = "t0ken-H4RDEN-3e1f8a"
LOGIN = json.dumps(
    {
        "token": TOKEN,
        "token_type": "Bearer",
        "expires_at": "2099-01-01T00:00:00Z",
        "user_uuid": "550e8400-e29b-41d4-a716-446655440000",
        "user_email": "alice@example.com",
    }
).encode()
AUTH_OK = {
    "success": True,
    "data": {
        "token": "fresh-H4RDEN-token",
        "token_type": "Bearer",
        "expires_in": 2592000,
        "user_uuid": "550e8400-e29b-41d4-a716-446655440000",
        "user": {"tailscale_email": "alice@example.com", "display_name": None},
    },
}
LIST_OK = {"success": True, "data": {"secrets": [], "total_count": 0}}
BOUND = 20  # seconds: refusing must never wait on the file


def mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def write_login(cli, file_mode: int, api_url: str | None = None) -> bytes:
    """Store LOGIN (for ``api_url`` when given: a login is bound to its server); return it."""
    bound = {**json.loads(LOGIN), "api_url": api_url}
    content = LOGIN if api_url is None else json.dumps(bound).encode()
    cli.config_dir.mkdir(parents=True, exist_ok=True)
    cli.auth_file.write_bytes(content)
    os.chmod(cli.auth_file, file_mode)
    return content


# --- permissions ---------------------------------------------------------------------------


@pytest.mark.parametrize("loose", [0o644, 0o640, 0o604, 0o654, 0o650, 0o605])
def test_a_login_readable_by_others_is_tightened_with_a_warning(cli, loose):
    write_login(cli, loose)
    result = cli.run("auth", "status")
    assert result.returncode == 0, result.stderr
    assert mode(cli.auth_file) == 0o600
    assert "was readable by other users; its permissions are now 0600" in result.stderr
    assert str(cli.auth_file) in result.stderr
    assert cli.auth_file.read_bytes() == LOGIN
    assert TOKEN not in result.stderr + result.out


def test_a_tightened_login_is_then_used_and_warned_about_once(cli):
    with f.faulty_server(f.json_response(200, LIST_OK)) as server:
        write_login(cli, 0o644, api_url=server.url)
        first = cli.use_api(server.url).run("secrets", "list")
        second = cli.run("secrets", "list")
    assert (first.returncode, second.returncode) == (0, 0), first.stderr
    assert "now 0600" in first.stderr
    assert "0600" not in second.stderr, "the warning repeats although the file is private"
    assert [r.headers["authorization"] for r in server.requests] == [f"Bearer {TOKEN}"] * 2
    assert mode(cli.auth_file) == 0o600


def test_a_private_login_gives_no_warning(cli):
    write_login(cli, 0o600)
    result = cli.run("auth", "status")
    assert result.returncode == 0
    assert result.stderr == ""
    assert mode(cli.auth_file) == 0o600


def test_login_writes_a_private_file_in_a_private_directory_even_under_umask_0(cli):
    cli.config_dir.mkdir(parents=True, mode=0o777)
    os.chmod(cli.config_dir, 0o777)
    previous = os.umask(0)  # inherited by leger: nothing masks its modes
    try:
        with f.faulty_server(f.json_response(200, AUTH_OK)) as server:
            result = cli.use_api(server.url).run("auth", "login")
    finally:
        os.umask(previous)
    assert result.returncode == 0, result.stderr
    assert mode(cli.auth_file) == 0o600
    assert mode(cli.config_dir) == 0o700


# --- someone else's login, or one others can change ----------------------------------------

NOBODY = 65534  # another user's uid (tests run as root, so they can chown to it)
GUARDED_COMMANDS = [("auth", "status"), ("secrets", "list"), ("secrets", "get", "k")]


def assert_refused_untouched(cli, result, server, says: str, file_mode: int) -> None:
    assert result.returncode == 1, result.stderr
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    assert TOKEN not in result.stderr + result.out
    assert server.requests == [], "a login leger should not trust was used"
    assert cli.auth_file.read_bytes() == LOGIN
    assert mode(cli.auth_file) == file_mode, "a login leger should not trust was changed"


@pytest.mark.parametrize("argv", GUARDED_COMMANDS, ids=" ".join)
def test_a_login_file_planted_by_another_user_is_refused(cli, argv):
    write_login(cli, 0o644)
    os.chown(cli.auth_file, NOBODY, NOBODY)
    with f.faulty_server(f.json_response(200, LIST_OK)) as server:
        result = cli.use_api(server.url).run(*argv)
    assert_refused_untouched(
        cli, result, server, f"Refusing to use {cli.auth_file}: it belongs to another user", 0o644
    )


@pytest.mark.parametrize("argv", GUARDED_COMMANDS, ids=" ".join)
def test_a_config_directory_of_another_user_in_a_world_writable_place_is_refused(
    cli, tmp_path, argv
):
    # The report: root with XDG_CONFIG_HOME under a world-writable directory, in
    # which another user had made leger/auth.json (private-looking, but theirs).
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o1777)
    os.chmod(shared, 0o1777)
    cli.config_dir = shared / "leger"
    cli.auth_file = cli.config_dir / "auth.json"
    cli.env["XDG_CONFIG_HOME"] = str(shared)
    write_login(cli, 0o600)
    os.chown(cli.config_dir, NOBODY, NOBODY)
    os.chown(cli.auth_file, NOBODY, NOBODY)
    with f.faulty_server(f.json_response(200, LIST_OK)) as server:
        result = cli.use_api(server.url).run(*argv)
    assert_refused_untouched(
        cli, result, server, f"Refusing to use {cli.config_dir}: it belongs to another user", 0o600
    )


@pytest.mark.parametrize("loose", [0o666, 0o660, 0o620, 0o602, 0o777])
def test_a_login_others_can_write_to_is_refused(cli, loose):
    write_login(cli, loose)
    with f.faulty_server(f.json_response(200, LIST_OK)) as server:
        result = cli.use_api(server.url).run("secrets", "list")
    assert_refused_untouched(
        cli, result, server, f"Refusing to use {cli.auth_file}: other users can write to it", loose
    )
    assert f"rm {cli.auth_file}" in result.stderr


@pytest.mark.parametrize("loose", [0o777, 0o770, 0o702])
def test_a_config_directory_others_can_write_to_is_refused_for_reading(cli, loose):
    write_login(cli, 0o600)
    os.chmod(cli.config_dir, loose)
    with f.faulty_server(f.json_response(200, LIST_OK)) as server:
        result = cli.use_api(server.url).run("secrets", "list")
    assert_refused_untouched(
        cli, result, server, f"Refusing to use {cli.config_dir}: other users can write to it", 0o600
    )
    assert f"chmod 700 {cli.config_dir}" in result.stderr


def test_login_into_another_users_directory_is_refused_before_anything_is_sent(cli):
    cli.config_dir.mkdir(parents=True)
    os.chmod(cli.config_dir, 0o755)
    os.chown(cli.config_dir, NOBODY, NOBODY)
    with f.faulty_server(f.json_response(200, AUTH_OK)) as server:
        result = cli.use_api(server.url).run("auth", "login")
    assert result.returncode == 1, result.stderr
    assert "belongs to another user" in result.stderr
    assert server.requests == []
    assert not cli.tailscale_calls.exists(), "tailscale was asked before the store was checked"
    assert list(cli.config_dir.iterdir()) == []
    assert mode(cli.config_dir) == 0o755, "someone else's directory was chmod-ed"


def run_as_nobody(cli, *argv: str):
    """Run leger as uid/gid 65534 (setpriv), with the cli fixture's environment."""
    return subprocess.run(
        [
            "setpriv",
            f"--reuid={NOBODY}",
            f"--regid={NOBODY}",
            "--clear-groups",
            str(cli.executable),
            *argv,
        ],
        env=cli.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def nobody_cli(cli):
    """The cli fixture with HOME and XDG_CONFIG_HOME in a directory uid 65534 owns."""
    home = Path(tempfile.mkdtemp(prefix="leger-nobody-"))
    os.chmod(home, 0o755)
    os.chown(home, NOBODY, NOBODY)
    cli.env["HOME"] = str(home)
    cli.env["XDG_CONFIG_HOME"] = str(home)
    cli.config_dir = home / "leger"
    cli.auth_file = cli.config_dir / "auth.json"
    try:
        yield cli
    finally:
        shutil.rmtree(home)


def test_as_an_ordinary_user_their_own_login_is_used_and_roots_is_refused(nobody_cli):
    cli = nobody_cli
    write_login(cli, 0o600)
    os.chown(cli.config_dir, NOBODY, NOBODY)
    os.chown(cli.auth_file, NOBODY, NOBODY)
    own = run_as_nobody(cli, "auth", "status")
    assert own.returncode == 0, own.stderr
    assert "alice@example.com" in own.stdout
    os.chown(cli.auth_file, 0, 0)
    os.chmod(cli.auth_file, 0o644)
    planted = run_as_nobody(cli, "auth", "status")
    assert planted.returncode == 1
    assert f"Refusing to use {cli.auth_file}: it belongs to another user (uid 0)" in planted.stderr


# --- not a regular file ---------------------------------------------------------------------


def make_symlink(cli, tmp_path, dangling: bool = False):
    target = tmp_path / "elsewhere" / "target.json"
    target.parent.mkdir()
    if not dangling:
        target.write_bytes(LOGIN)
        os.chmod(target, 0o644)
    cli.config_dir.mkdir(parents=True)
    cli.auth_file.symlink_to(target)
    return target


SYMLINK_COMMANDS = [
    ("auth", "status"),
    ("auth", "login"),
    ("secrets", "list"),
    ("secrets", "get", "k"),
    ("secrets", "set", "k", "v4lue"),
]


@pytest.mark.parametrize("argv", SYMLINK_COMMANDS, ids=" ".join)
def test_a_symlinked_login_is_refused_and_its_target_untouched(cli, tmp_path, argv):
    target = make_symlink(cli, tmp_path)
    with f.faulty_server(f.json_response(200, AUTH_OK)) as server:
        started = time.monotonic()
        result = cli.use_api(server.url).run(*argv, timeout=BOUND + 10)
    assert time.monotonic() - started < BOUND
    assert result.returncode == 1, result.stderr
    assert f"Refusing to use {cli.auth_file}: it is a symbolic link" in result.stderr
    assert f"rm {cli.auth_file}" in result.stderr
    assert "Traceback" not in result.stderr
    assert TOKEN not in result.stderr + result.out
    assert target.read_bytes() == LOGIN, "the symlink's target was written"
    assert mode(target) == 0o644, "the symlink's target was chmod-ed"
    assert cli.auth_file.is_symlink()
    assert sorted(p.name for p in cli.config_dir.iterdir()) == ["auth.json"]
    if argv[0] == "secrets":
        assert server.requests == [], "a token read through a symlink was sent"


def test_a_dangling_symlink_is_refused_and_never_created_through(cli, tmp_path):
    target = make_symlink(cli, tmp_path, dangling=True)
    with f.faulty_server(f.json_response(200, AUTH_OK)) as server:
        result = cli.use_api(server.url).run("auth", "login")
    assert result.returncode == 1
    assert "symbolic link" in result.stderr
    assert not target.exists(), "login wrote through a dangling symlink"


def test_logout_removes_a_symlink_but_not_its_target(cli, tmp_path):
    target = make_symlink(cli, tmp_path)
    result = cli.run("auth", "logout")
    assert result.returncode == 0, result.stderr
    assert not cli.auth_file.is_symlink()
    assert target.read_bytes() == LOGIN


def make_directory(cli) -> None:
    cli.auth_file.mkdir(parents=True)
    (cli.auth_file / "inside").write_text("keep me")


def make_fifo(cli) -> None:
    cli.config_dir.mkdir(parents=True)
    os.mkfifo(cli.auth_file)


@pytest.mark.parametrize("make", [make_directory, make_fifo], ids=["directory", "fifo"])
@pytest.mark.parametrize("argv", SYMLINK_COMMANDS, ids=" ".join)
def test_a_non_regular_file_is_refused_without_blocking(cli, make, argv):
    make(cli)
    with f.faulty_server(f.json_response(200, AUTH_OK)) as server:
        started = time.monotonic()
        result = cli.use_api(server.url).run(*argv, timeout=BOUND + 10)
    assert time.monotonic() - started < BOUND, "leger blocked on the file"
    assert result.returncode == 1, result.stderr
    assert f"Refusing to use {cli.auth_file}: it is not a regular file" in result.stderr
    assert "Traceback" not in result.stderr
    if make is make_directory:
        assert (cli.auth_file / "inside").read_text() == "keep me"
    else:
        assert stat.S_ISFIFO(os.lstat(cli.auth_file).st_mode)
    if argv[0] == "secrets":
        assert server.requests == []


def test_an_oversized_token_file_is_ignored_quickly(cli):
    cli.config_dir.mkdir(parents=True)
    with open(cli.auth_file, "wb") as handle:
        handle.truncate(64 * 1024 * 1024)  # sparse: 64 MiB of NULs
    os.chmod(cli.auth_file, 0o600)
    started = time.monotonic()
    result = cli.run("auth", "status")
    assert time.monotonic() - started < BOUND
    assert result.returncode == 4
    assert "not a complete leger login" in result.stderr
    assert "Traceback" not in result.stderr


# --- tokens that cannot be sent as they are ------------------------------------------------

UNSENDABLE = [
    "tok\r\nX-Evil: injected",
    "tok\nX-Evil: injected",
    "tok\ttab",
    " leading-space",
    "tok\u00e9-non-ascii",
    "tok\u2028separator",
    "tok\x7fdelete",
    "",
]
UNSENDABLE_IDS = ["crlf", "lf", "tab", "leading-space", "non-ascii", "line-sep", "del", "empty"]


def test_a_token_with_inner_spaces_is_stored_and_sent_unchanged(cli):
    # The contract's token is any string; one with spaces can still be sent as it is.
    issued = {**AUTH_OK, "data": {**AUTH_OK["data"], "token": "dolor in ea"}}
    with f.faulty_server(f.json_response(200, issued), f.json_response(200, LIST_OK)) as server:
        login = cli.use_api(server.url).run("auth", "login")
        listed = cli.run("secrets", "list")
    assert (login.returncode, listed.returncode) == (0, 0), login.stderr + listed.stderr
    assert server.requests[1].headers["authorization"] == "Bearer dolor in ea"


@pytest.mark.parametrize("token", UNSENDABLE, ids=UNSENDABLE_IDS)
def test_login_refuses_to_store_a_token_that_cannot_be_sent_back(cli, token):
    issued = {**AUTH_OK, "data": {**AUTH_OK["data"], "token": token}}
    with f.faulty_server(f.json_response(200, issued)) as server:
        result = cli.use_api(server.url).run("auth", "login")
    assert result.returncode == 1, result.stderr
    assert "issued a token that cannot be sent back" in result.stderr
    assert "nothing was saved" in result.stderr
    assert not cli.auth_file.exists()
    if token:
        assert token not in result.stderr + result.out


@pytest.mark.parametrize("token", UNSENDABLE[:-1], ids=UNSENDABLE_IDS[:-1])
def test_a_stored_token_that_cannot_be_sent_is_not_used(cli, token):
    cli.config_dir.mkdir(parents=True)
    cli.auth_file.write_text(json.dumps({**json.loads(LOGIN), "token": token}))
    os.chmod(cli.auth_file, 0o600)
    with f.faulty_server(f.json_response(200, LIST_OK)) as server:
        result = cli.use_api(server.url).run("secrets", "list")
    assert result.returncode == 4, result.stderr
    assert "not a complete leger login" in result.stderr
    assert "Not authenticated" in result.stderr
    assert server.requests == []
    assert token not in result.stderr + result.out


@pytest.mark.parametrize("token", UNSENDABLE[:-1], ids=UNSENDABLE_IDS[:-1])
def test_an_unsendable_leger_token_fails_without_showing_it_or_injecting_headers(cli, token):
    with f.faulty_server(f.json_response(200, LIST_OK)) as server:
        result = cli.use_api(server.url).run(
            "secrets", "list", env={"LEGER_TOKEN": token, "LEGER_DEBUG": "1"}
        )
    if result.returncode == 0:
        # Sent as it is (a space or DEL is legal in a header value): never split into two.
        assert [r.headers["authorization"] for r in server.requests] == [f"Bearer {token}"]
    else:
        # An unusable LEGER_* setting is a usage error (exit 2), caught before any request.
        assert result.returncode == 2
        assert "LEGER_TOKEN cannot be sent" in result.stderr
        assert server.requests == []
    assert all("x-evil" not in r.headers for r in server.requests)
    assert "Traceback (most recent call last)" not in result.stderr
    assert token not in result.stderr + result.out


# --- a granted login must read back ---------------------------------------------------------


def test_a_login_the_store_cannot_keep_fails_and_claims_nothing(cli):
    huge = {
        **AUTH_OK,
        "data": {
            **AUTH_OK["data"],
            "user": {"tailscale_email": "a" * 2_000_000, "display_name": None},
        },
    }
    with f.faulty_server(f.json_response(200, huge)) as server:
        before = write_login(cli, 0o600, api_url=server.url)
        result = cli.use_api(server.url).run("auth", "login")
        status = cli.run("auth", "status")
    assert result.returncode == 1, result.stderr
    assert "login answer cannot be stored" in result.stderr
    assert "nothing was saved" in result.stderr
    assert result.stdout == b"", "login claimed success"
    assert cli.auth_file.read_bytes() == before, "the previous login was replaced"
    assert status.returncode == 0, status.stderr


def test_login_records_the_api_it_came_from(cli):
    with f.faulty_server(f.json_response(200, AUTH_OK)) as server:
        result = cli.use_api(server.url).run(
            "auth", "login", env={"LEGER_API_URL": server.url + "/api/", "LEGER_API_ROUTES": "v0.1"}
        )
    assert result.returncode == 0, result.stderr
    stored = json.loads(cli.auth_file.read_text())
    assert (stored["api_url"], stored["api_routes"]) == (server.url + "/api", "v0.1")
