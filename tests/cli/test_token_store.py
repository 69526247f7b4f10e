"""The token file (leger/token_store.py) is never read from, or written through, somewhere unsafe.

Whole command lines in-process: a login of the user's own that is readable
by group or others is tightened to 0600 (with a warning) before it is used; a
login file or directory that belongs to another user, or that others can write
to, is refused (exit 1, nothing sent, nothing changed); a symbolic link, a
directory or a FIFO where ``auth.json`` belongs is refused with a message and
exit 1, without following it, changing it, or blocking on it (a watchdog
opens a FIFO's other end after the time bound, so a leger that waited on it
fails the test instead of hanging it). Tokens that cannot be sent as they are
are neither stored nor used. As another user, see tests/process/test_token_store.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devtools.login_file import login_text, write_login
from tests.fixtures.other_user import NOBODY
from tests.support import faulty as f
from tests.support.inprocess import Leger

TOKEN = "t0ken-H4RDEN-3e1f8a"
LOGIN = login_text(TOKEN).encode()  # a login from before logins were bound to their server
AUTH_OK: dict[str, Any] = {
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


def store(leger: Leger, file_mode: int, api_url: str | None = None) -> bytes:
    """Store LOGIN (for ``api_url`` when given: a login is bound to its server); return it."""
    content = LOGIN if api_url is None else login_text(TOKEN, api_url=api_url).encode()
    write_login(leger.config_dir, content.decode(), file_mode)
    return content


@pytest.fixture
def app(leger: Leger) -> Leger:
    """``leger`` at the default server (LEGER_API_URL unset) until a test names one."""
    leger.env["LEGER_API_URL"] = None
    return leger


@contextlib.contextmanager
def unblocked_after(fifo: Path, seconds: float) -> Iterator[None]:
    """Within the block, a FIFO at ``fifo`` is opened from the other end after ``seconds``.

    leger runs in this process here: if it ever waited on the FIFO, the test would
    hang instead of failing. Opening the other end releases such a wait (a reader
    then sees end of file, a writer a reader), so the test fails on its time bound.
    """
    done = threading.Event()

    def release() -> None:
        if done.wait(seconds):
            return
        for flags in (os.O_RDONLY | os.O_NONBLOCK, os.O_WRONLY | os.O_NONBLOCK):
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, flags))

    watchdog = threading.Thread(target=release, daemon=True)
    watchdog.start()
    try:
        yield
    finally:
        done.set()
        watchdog.join()


# --- permissions ---------------------------------------------------------------------------


@pytest.mark.parametrize("loose", [0o644, 0o640, 0o604, 0o654, 0o650, 0o605])
def test_a_login_readable_by_others_is_tightened_with_a_warning(app, loose):
    store(app, loose)
    result = app.run("auth", "status")
    assert result.returncode == 0, result.stderr
    assert mode(app.auth_file) == 0o600
    assert "was readable by other users; its permissions are now 0600" in result.stderr
    assert str(app.auth_file) in result.stderr
    assert app.auth_file.read_bytes() == LOGIN
    assert TOKEN not in result.stderr + result.out


def test_a_tightened_login_is_then_used_and_warned_about_once(app):
    with f.faulty_server(f.json_response(200, LIST_OK)) as server:
        store(app, 0o644, api_url=server.url)
        first = app.use_api(server.url).run("secrets", "list")
        second = app.run("secrets", "list")
    assert (first.returncode, second.returncode) == (0, 0), first.stderr
    assert "now 0600" in first.stderr
    assert "0600" not in second.stderr, "the warning repeats although the file is private"
    assert [r.headers["authorization"] for r in server.requests] == [f"Bearer {TOKEN}"] * 2
    assert mode(app.auth_file) == 0o600


def test_a_private_login_gives_no_warning(app):
    store(app, 0o600)
    result = app.run("auth", "status")
    assert result.returncode == 0
    assert result.stderr == ""
    assert mode(app.auth_file) == 0o600


def test_login_writes_a_private_file_in_a_private_directory_even_under_umask_0(app):
    app.config_dir.mkdir(parents=True, mode=0o777)
    os.chmod(app.config_dir, 0o777)
    previous = os.umask(0)  # inherited by leger: nothing masks its modes
    try:
        with f.faulty_server(f.json_response(200, AUTH_OK)) as server:
            result = app.use_api(server.url).run("auth", "login")
    finally:
        os.umask(previous)
    assert result.returncode == 0, result.stderr
    assert mode(app.auth_file) == 0o600
    assert mode(app.config_dir) == 0o700


# --- someone else's login, or one others can change ----------------------------------------


GUARDED_COMMANDS = [("auth", "status"), ("secrets", "list"), ("secrets", "get", "k")]


def assert_refused_untouched(app, result, server, says: str, file_mode: int) -> None:
    assert result.returncode == 1, result.stderr
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    assert TOKEN not in result.stderr + result.out
    assert server.requests == [], "a login leger should not trust was used"
    assert app.auth_file.read_bytes() == LOGIN
    assert mode(app.auth_file) == file_mode, "a login leger should not trust was changed"


@pytest.mark.parametrize("argv", GUARDED_COMMANDS, ids=" ".join)
def test_a_login_file_planted_by_another_user_is_refused(app, argv):
    store(app, 0o644)
    os.chown(app.auth_file, NOBODY, NOBODY)
    with f.faulty_server(f.json_response(200, LIST_OK)) as server:
        result = app.use_api(server.url).run(*argv)
    assert_refused_untouched(
        app, result, server, f"Refusing to use {app.auth_file}: it belongs to another user", 0o644
    )


@pytest.mark.parametrize("argv", GUARDED_COMMANDS, ids=" ".join)
def test_a_config_directory_of_another_user_in_a_world_writable_place_is_refused(
    app, tmp_path, argv
):
    # The report: root with XDG_CONFIG_HOME under a world-writable directory, in
    # which another user had made leger/auth.json (private-looking, but theirs).
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o1777)
    os.chmod(shared, 0o1777)
    app.config_dir = shared / "leger"
    app.auth_file = app.config_dir / "auth.json"
    app.env["XDG_CONFIG_HOME"] = str(shared)
    store(app, 0o600)
    os.chown(app.config_dir, NOBODY, NOBODY)
    os.chown(app.auth_file, NOBODY, NOBODY)
    with f.faulty_server(f.json_response(200, LIST_OK)) as server:
        result = app.use_api(server.url).run(*argv)
    assert_refused_untouched(
        app, result, server, f"Refusing to use {app.config_dir}: it belongs to another user", 0o600
    )


@pytest.mark.parametrize("loose", [0o666, 0o660, 0o620, 0o602, 0o777])
def test_a_login_others_can_write_to_is_refused(app, loose):
    store(app, loose)
    with f.faulty_server(f.json_response(200, LIST_OK)) as server:
        result = app.use_api(server.url).run("secrets", "list")
    assert_refused_untouched(
        app, result, server, f"Refusing to use {app.auth_file}: other users can write to it", loose
    )
    assert f"rm {app.auth_file}" in result.stderr


@pytest.mark.parametrize("loose", [0o777, 0o770, 0o702])
def test_a_config_directory_others_can_write_to_is_refused_for_reading(app, loose):
    store(app, 0o600)
    os.chmod(app.config_dir, loose)
    with f.faulty_server(f.json_response(200, LIST_OK)) as server:
        result = app.use_api(server.url).run("secrets", "list")
    assert_refused_untouched(
        app, result, server, f"Refusing to use {app.config_dir}: other users can write to it", 0o600
    )
    assert f"chmod 700 {app.config_dir}" in result.stderr


def test_login_into_another_users_directory_is_refused_before_anything_is_sent(app):
    app.config_dir.mkdir(parents=True)
    os.chmod(app.config_dir, 0o755)
    os.chown(app.config_dir, NOBODY, NOBODY)
    with f.faulty_server(f.json_response(200, AUTH_OK)) as server:
        result = app.use_api(server.url).run("auth", "login")
    assert result.returncode == 1, result.stderr
    assert "belongs to another user" in result.stderr
    assert server.requests == []
    assert app.identity_reads == 0, "tailscale was asked before the store was checked"
    assert list(app.config_dir.iterdir()) == []
    assert mode(app.config_dir) == 0o755, "someone else's directory was chmod-ed"


# --- not a regular file ---------------------------------------------------------------------


def make_symlink(app, tmp_path, dangling: bool = False):
    target = tmp_path / "elsewhere" / "target.json"
    target.parent.mkdir()
    if not dangling:
        target.write_bytes(LOGIN)
        os.chmod(target, 0o644)
    app.config_dir.mkdir(parents=True)
    app.auth_file.symlink_to(target)
    return target


SYMLINK_COMMANDS = [
    ("auth", "status"),
    ("auth", "login"),
    ("secrets", "list"),
    ("secrets", "get", "k"),
    ("secrets", "set", "k", "v4lue"),
]


@pytest.mark.parametrize("argv", SYMLINK_COMMANDS, ids=" ".join)
def test_a_symlinked_login_is_refused_and_its_target_untouched(app, tmp_path, argv):
    target = make_symlink(app, tmp_path)
    with f.faulty_server(f.json_response(200, AUTH_OK)) as server:
        started = time.monotonic()
        result = app.use_api(server.url).run(*argv)
    assert time.monotonic() - started < BOUND
    assert result.returncode == 1, result.stderr
    assert f"Refusing to use {app.auth_file}: it is a symbolic link" in result.stderr
    assert f"rm {app.auth_file}" in result.stderr
    assert "Traceback" not in result.stderr
    assert TOKEN not in result.stderr + result.out
    assert target.read_bytes() == LOGIN, "the symlink's target was written"
    assert mode(target) == 0o644, "the symlink's target was chmod-ed"
    assert app.auth_file.is_symlink()
    assert sorted(p.name for p in app.config_dir.iterdir()) == ["auth.json"]
    if argv[0] == "secrets":
        assert server.requests == [], "a token read through a symlink was sent"


def test_a_dangling_symlink_is_refused_and_never_created_through(app, tmp_path):
    target = make_symlink(app, tmp_path, dangling=True)
    with f.faulty_server(f.json_response(200, AUTH_OK)) as server:
        result = app.use_api(server.url).run("auth", "login")
    assert result.returncode == 1
    assert "symbolic link" in result.stderr
    assert not target.exists(), "login wrote through a dangling symlink"


def test_logout_removes_a_symlink_but_not_its_target(app, tmp_path):
    target = make_symlink(app, tmp_path)
    result = app.run("auth", "logout")
    assert result.returncode == 0, result.stderr
    assert not app.auth_file.is_symlink()
    assert target.read_bytes() == LOGIN


def make_directory(app) -> None:
    app.auth_file.mkdir(parents=True)
    (app.auth_file / "inside").write_text("keep me")


def make_fifo(app) -> None:
    app.config_dir.mkdir(parents=True)
    os.mkfifo(app.auth_file)


@pytest.mark.parametrize("make", [make_directory, make_fifo], ids=["directory", "fifo"])
@pytest.mark.parametrize("argv", SYMLINK_COMMANDS, ids=" ".join)
def test_a_non_regular_file_is_refused_without_blocking(app, make, argv):
    make(app)
    with (
        f.faulty_server(f.json_response(200, AUTH_OK)) as server,
        unblocked_after(app.auth_file, BOUND),
    ):
        started = time.monotonic()
        result = app.use_api(server.url).run(*argv)
    assert time.monotonic() - started < BOUND, "leger blocked on the file"
    assert result.returncode == 1, result.stderr
    assert f"Refusing to use {app.auth_file}: it is not a regular file" in result.stderr
    assert "Traceback" not in result.stderr
    if make is make_directory:
        assert (app.auth_file / "inside").read_text() == "keep me"
    else:
        assert stat.S_ISFIFO(os.lstat(app.auth_file).st_mode)
    if argv[0] == "secrets":
        assert server.requests == []


def test_an_oversized_token_file_is_ignored_quickly(app):
    app.config_dir.mkdir(parents=True)
    with open(app.auth_file, "wb") as handle:
        handle.truncate(64 * 1024 * 1024)  # sparse: 64 MiB of NULs
    os.chmod(app.auth_file, 0o600)
    started = time.monotonic()
    result = app.run("auth", "status")
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


def test_a_token_with_inner_spaces_is_stored_and_sent_unchanged(app):
    # The contract's token is any string; one with spaces can still be sent as it is.
    issued = {**AUTH_OK, "data": {**AUTH_OK["data"], "token": "dolor in ea"}}
    with f.faulty_server(f.json_response(200, issued), f.json_response(200, LIST_OK)) as server:
        login = app.use_api(server.url).run("auth", "login")
        listed = app.run("secrets", "list")
    assert (login.returncode, listed.returncode) == (0, 0), login.stderr + listed.stderr
    assert server.requests[1].headers["authorization"] == "Bearer dolor in ea"


@pytest.mark.parametrize("token", UNSENDABLE, ids=UNSENDABLE_IDS)
def test_login_refuses_to_store_a_token_that_cannot_be_sent_back(app, token):
    issued = {**AUTH_OK, "data": {**AUTH_OK["data"], "token": token}}
    with f.faulty_server(f.json_response(200, issued)) as server:
        result = app.use_api(server.url).run("auth", "login")
    assert result.returncode == 1, result.stderr
    assert "issued a token that cannot be sent back" in result.stderr
    assert "nothing was saved" in result.stderr
    assert not app.auth_file.exists()
    if token:
        assert token not in result.stderr + result.out


@pytest.mark.parametrize("token", UNSENDABLE[:-1], ids=UNSENDABLE_IDS[:-1])
def test_a_stored_token_that_cannot_be_sent_is_not_used(app, token):
    app.config_dir.mkdir(parents=True)
    app.auth_file.write_text(json.dumps({**json.loads(LOGIN), "token": token}))
    os.chmod(app.auth_file, 0o600)
    with f.faulty_server(f.json_response(200, LIST_OK)) as server:
        result = app.use_api(server.url).run("secrets", "list")
    assert result.returncode == 4, result.stderr
    assert "not a complete leger login" in result.stderr
    assert "Not authenticated" in result.stderr
    assert server.requests == []
    assert token not in result.stderr + result.out


@pytest.mark.parametrize("token", UNSENDABLE[:-1], ids=UNSENDABLE_IDS[:-1])
def test_an_unsendable_leger_token_fails_without_showing_it_or_injecting_headers(app, token):
    with f.faulty_server(f.json_response(200, LIST_OK)) as server:
        result = app.use_api(server.url).run(
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


def test_a_login_the_store_cannot_keep_fails_and_claims_nothing(app):
    huge = {
        **AUTH_OK,
        "data": {
            **AUTH_OK["data"],
            "user": {"tailscale_email": "a" * 2_000_000, "display_name": None},
        },
    }
    with f.faulty_server(f.json_response(200, huge)) as server:
        before = store(app, 0o600, api_url=server.url)
        result = app.use_api(server.url).run("auth", "login")
        status = app.run("auth", "status")
    assert result.returncode == 1, result.stderr
    assert "login answer cannot be stored" in result.stderr
    assert "nothing was saved" in result.stderr
    assert result.stdout == b"", "login claimed success"
    assert app.auth_file.read_bytes() == before, "the previous login was replaced"
    assert status.returncode == 0, status.stderr


def test_login_records_the_api_it_came_from(app):
    with f.faulty_server(f.json_response(200, AUTH_OK)) as server:
        result = app.use_api(server.url).run(
            "auth", "login", env={"LEGER_API_URL": server.url + "/api/", "LEGER_API_ROUTES": "v0.1"}
        )
    assert result.returncode == 0, result.stderr
    stored = json.loads(app.auth_file.read_text())
    assert (stored["api_url"], stored["api_routes"]) == (server.url + "/api", "v0.1")
