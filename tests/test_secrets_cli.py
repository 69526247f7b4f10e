"""``leger secrets set | list | get | delete`` through the installed ``leger``, as a user runs it.

Three kinds of server, all on loopback:

- the Prism mock (``prism_mock``): the contract's examples, and Prism refuses any
  request the contract does not allow, so a success proves the request's shape;
- a recording loopback server (``canned_server``) for exact requests, statuses
  the mock cannot give (201, 404, 429, 5xx) and servers that misbehave;
- the stateful local backend behind a validating Prism proxy (``fresh_backend``)
  for round trips: what ``set`` stored is what ``get`` returns, byte for byte.

Every run goes through the ``leger`` fixture, which checks after each test that
no secret value reached stderr (or stdout, except from ``get``).
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import socket
import subprocess
import threading
from collections.abc import Iterator

import pytest

from devtools.processes import free_port
from tests.support.canned import canned_server
from tests.support.samples import SET_CREATED

GREEN_CHECK = b"\x1b[32m\xe2\x9c\x93\x1b[0m "
ESC = b"\x1b["
PEM = (
    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
    "QyNTUxOQAAACBk8wQq0a2bX7m1qZb9Qw==\n"
    "-----END OPENSSH PRIVATE KEY-----\n"
)
MOCK_LIST = [
    {
        "name": "openai_api_key",
        "created_at": "2025-10-15T10:00:00Z",
        "updated_at": "2025-10-16T12:00:00Z",
        "version": 2,
    },
    {
        "name": "github-token",
        "created_at": "2025-10-17T08:30:00Z",
        "updated_at": "2025-10-17T08:30:00Z",
        "version": 1,
    },
]
DELETED = {"success": True, "data": {"name": "k", "deleted_at": "2025-10-16T15:30:00Z"}}
NOT_FOUND = {
    "success": False,
    "error": {"code": "secret_not_found", "message": 'Secret "k" not found.'},
}


def not_found_message(name: str) -> str:
    """The seed's message for a missing secret, as leger prints it on stderr."""
    return (
        f'Error: Secret "{name}" not found\n'
        "\n"
        "List available secrets:\n"
        "  leger secrets list\n"
        "\n"
        "Create secret:\n"
        f"  leger secrets set {name} <value>\n"
    )


def closed_port_url() -> str:
    """A loopback URL nothing listens on: a request would fail to connect."""
    return f"http://127.0.0.1:{free_port()}"


# --- every run is checked for leaked values ------------------------------------------------


class Runner:
    """Runs the installed leger through ``cli`` and remembers every stream it wrote."""

    def __init__(self, cli) -> None:
        self.cli = cli
        self.values: list[str] = []
        self.runs: list[tuple[tuple[str, ...], bytes, str]] = []

    def secret(self, value: str) -> str:
        """Register ``value``: it must never appear on stderr, nor on stdout but from get."""
        self.values.append(value)
        return value

    def run(self, *args: str, stdin: bytes = b"", env: dict[str, str] | None = None):
        result = self.cli.run(*args, stdin=stdin, env=env)
        self.runs.append((args, result.stdout, result.stderr))
        return result

    def terminal(self, *args: str, env: dict[str, str] | None = None):
        session = self.cli.terminal(*args, env=env)
        finish = session.finish

        def recording_finish(timeout: float = 30.0):
            code, output, stderr = finish(timeout)
            self.runs.append((args, b"", stderr))
            return code, output, stderr

        session.finish = recording_finish
        return session

    def assert_no_value_leaked(self) -> None:
        for args, stdout, stderr in self.runs:
            for value in self.values:
                assert value not in stderr, f"value on stderr of leger {' '.join(args)!r}"
                if args[:2] != ("secrets", "get"):
                    assert value.encode() not in stdout, f"value on stdout of {args!r}"


@pytest.fixture
def leger(cli) -> Iterator[Runner]:
    runner = Runner(cli)
    yield runner
    runner.assert_no_value_leaked()


@pytest.fixture
def mocked(leger, prism_mock) -> Runner:
    """Logged in (stand-in tailscale) against the Prism mock."""
    leger.cli.use_api(prism_mock.url)
    login = leger.run("auth", "login")
    assert login.returncode == 0, login.stderr
    return leger


@contextlib.contextmanager
def canned(leger: Runner) -> Iterator:
    """A recording loopback server, with leger pointed at it and a token in LEGER_TOKEN."""
    with canned_server() as server:
        leger.cli.use_api(server.url)
        leger.cli.env["LEGER_TOKEN"] = "test-token"
        yield server


@contextlib.contextmanager
def raw_server(reply: bytes) -> Iterator[str]:
    """A loopback server that reads a request, writes ``reply`` verbatim and hangs up."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    stopping = threading.Event()

    def serve() -> None:
        while not stopping.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                with contextlib.suppress(OSError):
                    data = b""
                    while b"\r\n\r\n" not in data:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                    conn.sendall(reply)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stopping.set()
        thread.join(timeout=5)
        listener.close()


# === against the Prism mock: the contract's examples ===========================================


def test_list_prints_an_aligned_table_and_the_total(mocked):
    result = mocked.run("secrets", "list")
    assert result.returncode == 0, result.stderr
    assert result.out == (
        "Name            Created     Updated     Version\n"
        "openai_api_key  2025-10-15  2025-10-16  2\n"
        "github-token    2025-10-17  2025-10-17  1\n"
        "\n"
        "Total: 2 secrets\n"
    )
    assert result.stderr == ""


def test_list_json_is_exactly_the_metadata(mocked):
    result = mocked.run("secrets", "list", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)  # nothing else on stdout, or this fails
    assert rows == MOCK_LIST
    for row in rows:
        assert set(row) == {"name", "created_at", "updated_at", "version"}
    assert result.stderr == ""
    assert ESC not in result.stdout


def test_list_json_on_a_terminal_is_plain_json_too(mocked):
    session = mocked.terminal("secrets", "list", "--json")
    code, output, stderr = session.finish()
    assert code == 0, stderr
    assert json.loads(output.replace(b"\r\n", b"\n")) == MOCK_LIST
    assert ESC not in output


def test_get_prints_the_value_and_nothing_else(mocked):
    result = mocked.run("secrets", "get", "openai_api_key")
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"sk-proj-abc123"
    assert result.stderr == ""


def test_get_on_a_terminal_adds_no_newline_or_colour(mocked):
    session = mocked.terminal("secrets", "get", "openai_api_key")
    code, output, stderr = session.finish()
    assert (code, output, stderr) == (0, b"sk-proj-abc123", "")


def test_set_prints_what_the_server_said(mocked):
    result = mocked.run("secrets", "set", "openai_api_key", mocked.secret("sk-proj-NEW-value"))
    assert result.returncode == 0, result.stderr
    assert result.out == (
        "Secret updated\n  Name: openai_api_key\n  Version: 3\n  Updated: 2025-10-16T15:00:00Z\n"
    )
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("how", "value"),
    [
        ("argument", "sk-proj-abc123"),
        ("argument", "名前 😀 ünïcode"),
        ("argument", "x" * 10240),
        ("argument", "😀" * 2560),  # 10240 bytes of UTF-8
        ("stdin -", PEM),
        ("stdin implicit", PEM),
        ("file", PEM),
    ],
)
def test_every_input_path_sends_a_request_the_contract_accepts(mocked, tmp_path, how, value):
    # Prism answers 400 to a request body the contract does not allow.
    mocked.secret(value)
    if how == "argument":
        result = mocked.run("secrets", "set", "k", value)
    elif how == "stdin -":
        result = mocked.run("secrets", "set", "k", "-", stdin=value.encode())
    elif how == "stdin implicit":
        result = mocked.run("secrets", "set", "k", stdin=value.encode())
    else:
        path = tmp_path / "value"
        path.write_text(value)
        result = mocked.run("secrets", "set", "k", f"@{path}")
    assert result.returncode == 0, result.stderr
    assert result.out.startswith("Secret updated\n")
    assert result.stderr == ""


@pytest.mark.parametrize("flag", ["--force", "-f", "--force=yes"])
def test_delete_with_force(mocked, flag):
    result = mocked.run("secrets", "delete", "openai_api_key", flag)
    assert result.returncode == 0, result.stderr
    assert result.out == ("Secret openai_api_key deleted\n  Deleted at: 2025-10-16T15:30:00Z\n")
    assert result.stderr == ""


def test_delete_force_before_the_name(mocked):
    result = mocked.run("secrets", "delete", "-f", "openai_api_key")
    assert result.returncode == 0, result.stderr
    assert result.out.startswith("Secret openai_api_key deleted\n")


# --- colour and symbols only on a terminal, never with NO_COLOR ------------------------------


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (("secrets", "set", "k", "S3CRET-colour"), b"Secret updated"),
        (("secrets", "delete", "k", "--force"), b"Secret k deleted"),
    ],
)
def test_success_has_a_green_check_on_a_terminal(mocked, argv, line):
    mocked.secret("S3CRET-colour")
    code, output, stderr = mocked.terminal(*argv).finish()
    assert code == 0, stderr
    assert GREEN_CHECK + line in output
    assert stderr == ""


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (("secrets", "set", "k", "S3CRET-colour"), b"Secret updated"),
        (("secrets", "delete", "k", "--force"), b"Secret k deleted"),
    ],
)
def test_no_color_on_a_terminal_means_plain(mocked, argv, line):
    mocked.secret("S3CRET-colour")
    code, output, stderr = mocked.terminal(*argv, env={"NO_COLOR": "1"}).finish()
    assert code == 0, stderr
    assert output.startswith(line + b"\r\n")
    assert ESC not in output
    assert "✓".encode() not in output


@pytest.mark.parametrize(
    "argv",
    [
        ("secrets", "set", "k", "S3CRET-colour"),
        ("secrets", "delete", "k", "--force"),
        ("secrets", "list"),
        ("secrets", "get", "k"),
    ],
)
def test_piped_output_is_plain(mocked, argv):
    mocked.secret("S3CRET-colour")
    result = mocked.run(*argv)
    assert result.returncode == 0, result.stderr
    assert ESC.decode() not in result.out + result.stderr
    assert "✓" not in result.out + result.stderr


def test_list_on_a_terminal_is_the_same_table(mocked):
    code, output, stderr = mocked.terminal("secrets", "list").finish()
    assert code == 0, stderr
    assert output.replace(b"\r\n", b"\n") == (
        b"Name            Created     Updated     Version\n"
        b"openai_api_key  2025-10-15  2025-10-16  2\n"
        b"github-token    2025-10-17  2025-10-17  1\n"
        b"\n"
        b"Total: 2 secrets\n"
    )


# === refusals before any request ===============================================================


@pytest.fixture
def offline(leger) -> Runner:
    """A token, and LEGER_API_URL on a loopback port nothing listens on."""
    leger.cli.use_api(closed_port_url())
    leger.cli.env["LEGER_TOKEN"] = "test-token"
    return leger


def assert_refused(result, message: str) -> None:
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert result.stdout == b""
    assert message in result.stderr
    assert result.stderr.startswith("Error: ")
    assert "Cannot connect" not in result.stderr  # nothing was sent
    assert "Traceback" not in result.stderr


def test_the_offline_fixture_really_cannot_connect(offline):
    # Without this, "nothing sent" below would prove nothing.
    result = offline.run("secrets", "set", "k", offline.secret("S3CRET-ok-value"))
    assert result.returncode == 1
    assert "Cannot connect" in result.stderr


@pytest.mark.parametrize(
    "name",
    ["", "a" * 65, "a.b", "a b", "名前", "é", "a/b", "../x", "k\n"],
)
@pytest.mark.parametrize("command", ["set", "get", "delete"])
def test_bad_name_is_refused_before_any_request(offline, command, name):
    value = offline.secret("S3CRET-name-test")
    argv = {
        "set": ("secrets", "set", "--", name, value),
        "get": ("secrets", "get", "--", name),
        "delete": ("secrets", "delete", "--force", "--", name),
    }[command]
    assert_refused(offline.run(*argv), "Invalid secret name")


def test_name_of_64_characters_is_sent_and_65_is_not(offline):
    sent = offline.run("secrets", "get", "a" * 64)
    assert "Cannot connect" in sent.stderr
    assert_refused(offline.run("secrets", "get", "a" * 65), "65 characters long (at most 64)")


@pytest.mark.parametrize(
    ("how", "stdin"),
    [
        ("argument", b""),
        ("stdin -", b""),
        ("stdin -", b"\n"),
        ("stdin -", b"\r\n"),
        ("implicit", b""),
    ],
)
def test_empty_value_is_refused_before_any_request(offline, how, stdin):
    argv = {
        "argument": ("secrets", "set", "k", ""),
        "stdin -": ("secrets", "set", "k", "-"),
        "implicit": ("secrets", "set", "k"),
    }[how]
    assert_refused(offline.run(*argv, stdin=stdin), "The secret value is empty")


def test_empty_file_is_refused_before_any_request(offline, tmp_path):
    path = tmp_path / "empty"
    path.write_bytes(b"")
    assert_refused(offline.run("secrets", "set", "k", f"@{path}"), "The secret value is empty")


@pytest.mark.parametrize("how", ["argument", "stdin -", "stdin implicit", "file"])
@pytest.mark.parametrize(
    ("value", "size"),
    [("S3CRET" + "x" * 10235, 10241), ("S3CRET" + "é" * 5118, 10242), ("😀" * 2560 + "!", 10241)],
)
def test_value_over_10240_bytes_is_refused_before_any_request(offline, tmp_path, how, value, size):
    offline.secret(value)
    assert len(value.encode()) == size
    if how == "argument":
        result = offline.run("secrets", "set", "k", value)
    elif how == "stdin -":
        result = offline.run("secrets", "set", "k", "-", stdin=value.encode() + b"\n")
    elif how == "stdin implicit":
        result = offline.run("secrets", "set", "k", stdin=value.encode())
    else:
        path = tmp_path / "big"
        path.write_bytes(value.encode())
        result = offline.run("secrets", "set", "k", f"@{path}")
    assert_refused(result, f"too large: {size} bytes of UTF-8 (at most 10240)")


def test_value_of_exactly_10240_bytes_is_sent(offline):
    # The same run as above with one byte less reaches the network.
    value = offline.secret("S3CRET" + "x" * 10234)
    result = offline.run("secrets", "set", "k", "-", stdin=value.encode() + b"\n")
    assert result.returncode == 1
    assert "Cannot connect" in result.stderr


def test_missing_file_is_refused_before_any_request(offline, tmp_path):
    path = tmp_path / "no-such-file"
    result = offline.run("secrets", "set", "k", f"@{path}")
    assert_refused(result, f"Cannot read {path}: No such file or directory")


def test_missing_file_under_home_names_the_expanded_path(offline):
    result = offline.run("secrets", "set", "k", "@~/.ssh/id_missing")
    assert_refused(result, f"Cannot read {offline.cli.home}/.ssh/id_missing")


def test_directory_is_refused_before_any_request(offline, tmp_path):
    assert_refused(offline.run("secrets", "set", "k", f"@{tmp_path}"), "Is a directory")


def test_file_that_is_not_utf8_is_refused_before_any_request(offline, tmp_path):
    path = tmp_path / "binary"
    path.write_bytes(b"S3CRET-bin\xff\xfe\x00")
    offline.secret("S3CRET-bin")
    assert_refused(offline.run("secrets", "set", "k", f"@{path}"), "is not UTF-8 text")


def test_stdin_that_is_not_utf8_is_refused_before_any_request(offline):
    offline.secret("S3CRET-bin")
    result = offline.run("secrets", "set", "k", "-", stdin=b"S3CRET-bin\xff\n")
    assert_refused(result, "stdin is not UTF-8 text")


def test_argument_that_is_not_utf8_is_refused_before_any_request(offline):
    # A raw 0xff byte on the command line arrives as a surrogate escape.
    value = "S3CRET-raw" + os.fsdecode(b"\xff")
    assert_refused(offline.run("secrets", "set", "k", value), "not valid UTF-8 text")


def test_name_that_is_not_utf8_is_refused_before_any_request(offline):
    name = "k" + os.fsdecode(b"\xff")
    assert_refused(offline.run("secrets", "get", name), "Invalid secret name")


def test_at_alone_is_refused_before_any_request(offline):
    assert_refused(offline.run("secrets", "set", "k", "@"), "No file named after '@'")


def _run_with_memory_cap(cli, argv: list[str], stdin) -> subprocess.CompletedProcess:
    cap = 1536 * 1024 * 1024  # a runaway read fails here instead of eating the machine

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    return subprocess.run(
        [str(cli.executable), *argv],
        stdin=stdin,
        capture_output=True,
        env=cli.env,
        timeout=60,
        check=False,
        preexec_fn=limit,
    )


def test_endless_stdin_is_refused_as_too_large_not_read_forever(offline):
    # `yes | leger secrets set k -` must end with the size rule, not exhaust memory.
    with open("/dev/zero", "rb") as endless:
        proc = _run_with_memory_cap(offline.cli, ["secrets", "set", "k", "-"], endless)
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 1, stderr
    assert "The secret value is too large" in stderr, stderr


def test_endless_file_is_refused_as_too_large_not_read_forever(offline):
    # `leger secrets set k @/dev/zero` (or a mistyped @/dev/urandom).
    proc = _run_with_memory_cap(
        offline.cli, ["secrets", "set", "k", "@/dev/zero"], subprocess.DEVNULL
    )
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 1, stderr
    assert "The secret value is too large" in stderr, stderr


# === exact requests and the statuses the mock cannot give ========================================


def test_set_sends_one_post_with_exactly_name_and_value(leger):
    value = leger.secret("S3CRET-wire\nline two\n")
    with canned(leger) as server:
        server.respond_json(201, SET_CREATED)
        result = leger.run("secrets", "set", "k", value)
    assert result.returncode == 0, result.stderr
    [request] = server.requests
    assert (request.method, request.path) == ("POST", "/secrets/set")
    assert request.headers["Authorization"] == "Bearer test-token"
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.body) == {"name": "k", "value": value}


def test_set_201_says_created(leger):
    with canned(leger) as server:
        server.respond_json(201, SET_CREATED)
        result = leger.run("secrets", "set", "k", leger.secret("S3CRET-created"))
    assert result.returncode == 0, result.stderr
    assert result.out == (
        "Secret created\n  Name: k\n  Version: 1\n  Updated: 2025-10-16T15:00:00Z\n"
    )


def test_list_asks_only_for_metadata(leger):
    with canned(leger) as server:
        server.respond_json(200, {"success": True, "data": {"secrets": [], "total_count": 0}})
        result = leger.run("secrets", "list")
    assert result.returncode == 0, result.stderr
    assert [(r.method, r.path) for r in server.requests] == [("GET", "/secrets/list")]
    assert (
        result.out
        == "No secrets configured\n\nAdd secrets with: leger secrets set <name> <value>\n"
    )


def test_list_json_when_empty_is_an_empty_array(leger):
    with canned(leger) as server:
        server.respond_json(200, {"success": True, "data": {"secrets": [], "total_count": 0}})
        result = leger.run("secrets", "list", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_list_with_one_secret_says_1_secret(leger):
    listing = {"success": True, "data": {"secrets": MOCK_LIST[:1], "total_count": 1}}
    with canned(leger) as server:
        server.respond_json(200, listing)
        result = leger.run("secrets", "list")
    assert result.out.endswith("\nTotal: 1 secret\n")


def test_list_table_dates_are_the_utc_dates_json_shows(leger):
    # The contract says UTC; a server that sends an offset must not make the table
    # and --json disagree about the day.
    row = {
        "name": "k",
        "created_at": "2025-10-15T23:30:00-05:00",
        "updated_at": "2025-10-16T01:00:00+05:00",
        "version": 1,
    }
    listing = {"success": True, "data": {"secrets": [row], "total_count": 1}}
    with canned(leger) as server:
        server.respond_json(200, listing)
        table = leger.run("secrets", "list")
        as_json = leger.run("secrets", "list", "--json")
    assert json.loads(as_json.stdout)[0]["created_at"] == "2025-10-16T04:30:00Z"
    assert json.loads(as_json.stdout)[0]["updated_at"] == "2025-10-15T20:00:00Z"
    assert table.out.splitlines()[1].split() == ["k", "2025-10-16", "2025-10-15", "1"]


@pytest.mark.parametrize(
    ("argv", "data"),
    [
        (
            ("secrets", "list"),
            {
                "secrets": [
                    {
                        "name": "evil\u001b]0;owned\u0007\u001b[2J",
                        "created_at": "2025-10-15T10:00:00Z",
                        "updated_at": "2025-10-15T10:00:00Z",
                        "version": 1,
                    }
                ],
                "total_count": 1,
            },
        ),
        (
            ("secrets", "set", "k", "S3CRET-v"),
            {
                "name": "evil\u001b[2J",
                "version": 1,
                "updated_at": "2025-10-15T10:00:00Z",
                "message": "Secret updated successfully",
            },
        ),
    ],
)
def test_names_from_the_server_cannot_send_escape_sequences_to_the_terminal(leger, argv, data):
    # The contract allows only [A-Za-z0-9_-] in a name; a server that breaks it must
    # not get to clear the screen or retitle the terminal through leger's output.
    leger.secret("S3CRET-v")
    with canned(leger) as server:
        server.respond_json(200, {"success": True, "data": data})
        result = leger.run(*argv)
    assert b"\x1b" not in result.stdout
    assert "\x1b" not in result.stderr
    assert b"\x07" not in result.stdout


@pytest.mark.parametrize("command", ["get", "delete"])
def test_not_found_prints_the_seeds_message_with_hints(leger, command):
    argv = ("secrets", command, "k") + (("--force",) if command == "delete" else ())
    with canned(leger) as server:
        server.respond_json(404, NOT_FOUND)
        result = leger.run(*argv)
    assert result.returncode == 1
    assert result.stdout == b""
    assert result.stderr == not_found_message("k")


@pytest.mark.parametrize(
    "argv",
    [
        ("secrets", "list"),
        ("secrets", "get", "k"),
        ("secrets", "set", "k", "S3CRET-rate"),
        ("secrets", "delete", "k", "--force"),
    ],
)
def test_rate_limit_says_when_to_retry(leger, argv):
    leger.secret("S3CRET-rate")
    body = {
        "success": False,
        "error": {"code": "rate_limit_exceeded", "message": "Rate limit exceeded."},
    }
    with canned(leger) as server:
        server.respond_json(429, body, **{"Retry-After": "120"})
        result = leger.run(*argv)
    assert result.returncode == 1
    assert result.stdout == b""
    assert "try again in 120 seconds" in result.stderr
    assert len(server.requests) == 1  # a long wait is not sat out silently


def test_server_rejecting_the_token_is_exit_4(leger):
    body = {"success": False, "error": {"code": "invalid_token", "message": "Invalid token."}}
    with canned(leger) as server:
        server.respond_json(401, body)
        result = leger.run("secrets", "set", "k", leger.secret("S3CRET-401"))
    assert result.returncode == 4
    assert "LEGER_TOKEN" in result.stderr


# --- delete's confirmation ----------------------------------------------------------------


def test_delete_without_a_terminal_or_force_refuses_and_sends_nothing(leger):
    with canned(leger) as server:
        server.respond_json(200, DELETED)
        result = leger.run("secrets", "delete", "k", stdin=b"y\n")
    assert result.returncode != 0
    assert result.stdout == b""
    assert "--force" in result.stderr
    assert "leger secrets delete k --force" in result.stderr
    assert server.requests == []


def test_delete_with_noforce_is_the_same_as_without(leger):
    with canned(leger) as server:
        result = leger.run("secrets", "delete", "k", "--noforce", stdin=b"y\n")
    assert result.returncode != 0
    assert "--force" in result.stderr
    assert server.requests == []


@pytest.mark.parametrize("answer", [b"n\n", b"\n", b"no\n", b"nope\n", b"yes please\n", b"\x04"])
def test_delete_on_a_terminal_cancels_on_anything_but_yes(leger, answer):
    with canned(leger) as server:
        server.respond_json(200, DELETED)
        session = leger.terminal("secrets", "delete", "k")
        session.send(answer)
        code, output, stderr = session.finish()
    assert code == 0, stderr
    assert stderr == 'Delete secret "k"? [y/N] Cancelled\n'
    assert b"deleted" not in output
    assert server.requests == []


@pytest.mark.parametrize("answer", [b"y\n", b"Y\n", b"yes\n", b"YES\n", b" y \n"])
def test_delete_on_a_terminal_deletes_on_yes(leger, answer):
    with canned(leger) as server:
        server.respond_json(200, DELETED)
        session = leger.terminal("secrets", "delete", "k")
        session.send(answer)
        code, output, stderr = session.finish()
    assert code == 0, stderr
    assert stderr == 'Delete secret "k"? [y/N] '
    assert b"Secret k deleted" in output
    assert [(r.method, r.path) for r in server.requests] == [("DELETE", "/secrets/k")]


def test_delete_on_a_terminal_with_force_does_not_ask(leger):
    with canned(leger) as server:
        server.respond_json(200, DELETED)
        code, output, stderr = leger.terminal("secrets", "delete", "k", "-f").finish()
    assert code == 0, stderr
    assert stderr == ""
    assert b"Secret k deleted" in output
    assert len(server.requests) == 1


def test_delete_on_a_terminal_when_not_logged_in_says_so_before_asking(leger):
    leger.cli.use_api(closed_port_url())
    code, _output, stderr = leger.terminal("secrets", "delete", "k").finish()
    assert code == 4
    assert "Delete secret" not in stderr
    assert "leger auth login" in stderr


# --- the value never leaks, whatever the server does ---------------------------------------------


def test_debug_log_never_shows_the_value_or_token(leger):
    value = leger.secret("S3CRET-debug-value")
    with canned(leger) as server:
        server.respond_json(201, SET_CREATED)
        result = leger.run("secrets", "set", "k", value, env={"LEGER_DEBUG": "1"})
        assert result.returncode == 0, result.stderr
        assert "[leger debug] > POST" in result.stderr
        assert "not shown" in result.stderr
        server.respond_json(
            200, {"success": True, "data": {"name": "k", "value": value, "version": 1}}
        )
        got = leger.run("secrets", "get", "k", env={"LEGER_DEBUG": "1"})
    assert got.returncode == 0, got.stderr
    assert got.stdout == value.encode()
    assert "[leger debug] < 200" in got.stderr
    assert "test-token" not in result.stderr + got.stderr


@pytest.mark.parametrize(
    ("status", "code", "message", "says"),
    [
        (500, "internal_error", "could not store value {value!r}", "leger.run failed"),
        (400, "secret_value_too_large", "value {value} is too large", "Rejected by leger.run"),
    ],
)
def test_an_error_that_echoes_the_value_does_not_put_it_on_stderr(
    leger, status, code, message, says
):
    # A failing backend (or a proxy in front of it) may quote the request in its error.
    value = f"S3CRET-echoed-{status}"  # asserted below, not also by the fixture
    body = {"success": False, "error": {"code": code, "message": message.format(value=value)}}
    with canned(leger) as server:
        server.respond_json(status, body)
        result = leger.run("secrets", "set", "k", value)
    assert result.returncode == 1
    assert says in result.stderr
    assert value not in result.stderr


@pytest.mark.parametrize(
    "body",
    [
        b'{"success": true, "data": {"name": "k", "value": "S3CRET-truncated',
        b'{"success": true, "data": {"name": "k", "value": "S3CRET-truncated"}}',
        b'{"success": true, "data": {"name": "k", "value": ["S3CRET-truncated"], "version": 1}}',
        b'{"success": false, "data": {"name": "k", "value": "S3CRET-truncated", "version": 1}}',
    ],
)
def test_get_with_an_unreadable_answer_does_not_print_the_value(leger, body):
    leger.secret("S3CRET-truncated")
    with canned(leger) as server:
        server.status, server.body = 200, body
        server.headers = {"Content-Type": "application/json"}
        result = leger.run("secrets", "get", "k")
    assert result.returncode == 1
    assert result.stdout == b""
    assert "cannot read" in result.stderr


def test_get_when_the_connection_drops_mid_body_does_not_print_the_value(leger):
    value = leger.secret("S3CRET-dropped")
    partial = f'{{"success": true, "data": {{"name": "k", "value": "{value}'.encode()
    reply = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        b"Content-Length: 500\r\n\r\n" + partial
    )
    with raw_server(reply) as url:
        leger.cli.use_api(url)
        result = leger.run("secrets", "get", "k", env={"LEGER_TOKEN": "t"})
    assert result.returncode == 1
    assert result.stdout == b""
    assert "peer closed connection without sending complete message body" in result.stderr


def test_set_when_the_server_hangs_up_does_not_print_the_value(leger):
    value = leger.secret("S3CRET-hangup")
    with raw_server(b"") as url:
        leger.cli.use_api(url)
        result = leger.run(
            "secrets", "set", "k", value, env={"LEGER_TOKEN": "t", "LEGER_DEBUG": "1"}
        )
    assert result.returncode == 1
    assert "Error: The connection to" in result.stderr
    assert "Server disconnected without sending a response" in result.stderr
    assert "[leger debug] > POST" in result.stderr


def test_html_error_page_from_a_proxy(leger):
    value = leger.secret("S3CRET-proxy")
    with canned(leger) as server:
        server.status = 502
        server.body = f"<html><body>Bad Gateway for value={value}</body></html>".encode()
        server.headers = {"Content-Type": "text/html"}
        result = leger.run("secrets", "set", "k", value)
    assert result.returncode == 1
    assert "HTTP 502" in result.stderr
    assert "<html>" not in result.stderr


# --- streams that are not there ----------------------------------------------------------------


def test_list_works_with_stdin_closed(mocked):
    # `leger secrets list <&-` (cron, some CI runners): stdin is not needed to list.
    proc = subprocess.run(
        [str(mocked.cli.executable), "secrets", "list"],
        capture_output=True,
        env=mocked.cli.env,
        timeout=60,
        check=False,
        preexec_fn=lambda: os.close(0),
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode().endswith("Total: 2 secrets\n")


def test_get_works_with_stdin_closed(mocked):
    proc = subprocess.run(
        [str(mocked.cli.executable), "secrets", "get", "openai_api_key"],
        capture_output=True,
        env=mocked.cli.env,
        timeout=60,
        check=False,
        preexec_fn=lambda: os.close(0),
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == b"sk-proj-abc123"


# --- no value on a terminal: a hidden prompt, asked twice ---------------------------------------


def test_prompt_on_a_terminal_reads_the_value_twice_without_echo(leger):
    value = leger.secret("S3CRET typed at the prompt")
    with canned(leger) as server:
        server.respond_json(201, SET_CREATED)
        session = leger.terminal("secrets", "set", "k")
        session.expect(b"Secret value: ")
        session.send(value.encode() + b"\n")
        session.expect(b"Secret value (again): ")
        session.send(value.encode() + b"\n")
        code, output, stderr = session.finish()
    assert code == 0, stderr
    assert value.encode() not in output  # the terminal did not echo it
    assert b"Secret created" in output
    [request] = server.requests
    assert json.loads(request.body) == {"name": "k", "value": value}


def test_prompt_answers_that_differ_store_nothing(leger):
    first, second = leger.secret("S3CRET-first"), leger.secret("S3CRET-second")
    with canned(leger) as server:
        server.respond_json(201, SET_CREATED)
        session = leger.terminal("secrets", "set", "k")
        session.expect(b"Secret value: ")
        session.send(first.encode() + b"\n")
        session.expect(b"Secret value (again): ")
        session.send(second.encode() + b"\n")
        code, output, stderr = session.finish()
    assert code == 1
    assert "did not match" in stderr
    assert first.encode() not in output
    assert second.encode() not in output
    assert server.requests == []


def test_prompt_with_an_empty_answer_is_refused(leger):
    with canned(leger) as server:
        session = leger.terminal("secrets", "set", "k")
        session.expect(b"Secret value: ")
        session.send(b"\n")
        session.expect(b"Secret value (again): ")
        session.send(b"\n")
        code, _output, stderr = session.finish()
    assert code == 1
    assert "The secret value is empty" in stderr
    assert server.requests == []


def test_ctrl_c_at_the_prompt_stores_nothing_and_exits_130(leger):
    with canned(leger) as server:
        session = leger.terminal("secrets", "set", "k")
        session.expect(b"Secret value: ")
        session.send(b"S3CRET-half\x03")
        code, _output, stderr = session.finish()
    assert code == 130
    assert "Traceback" not in stderr
    assert "S3CRET-half" not in stderr
    assert server.requests == []


def test_dash_on_a_terminal_reads_until_ctrl_d(leger):
    with canned(leger) as server:
        server.respond_json(201, SET_CREATED)
        session = leger.terminal("secrets", "set", "k", "-")
        session.send(b"line one\nline two\n")
        session.send(b"\x04")
        code, _output, stderr = session.finish()
    assert code == 0, stderr
    assert "Ctrl-D" in stderr
    [request] = server.requests
    assert json.loads(request.body)["value"] == "line one\nline two"


# === against the stateful backend behind a validating Prism proxy =================================


@pytest.fixture
def live(leger, fresh_proxied_backend) -> Runner:
    """Logged in (stand-in tailscale) to an empty backend; Prism validates every exchange."""
    leger.cli.use_api(fresh_proxied_backend.url)
    login = leger.run("auth", "login")
    assert login.returncode == 0, login.stderr
    leger.backend = fresh_proxied_backend.backend
    return leger


def get_value(runner: Runner, name: str) -> bytes:
    result = runner.run("secrets", "get", name)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def listed(runner: Runner) -> dict[str, int]:
    result = runner.run("secrets", "list", "--json")
    assert result.returncode == 0, result.stderr
    return {row["name"]: row["version"] for row in json.loads(result.stdout)}


def test_empty_state_says_how_to_add_one(live):
    result = live.run("secrets", "list")
    assert result.returncode == 0, result.stderr
    assert result.out == (
        "No secrets configured\n\nAdd secrets with: leger secrets set <name> <value>\n"
    )
    assert json.loads(live.run("secrets", "list", "--json").stdout) == []


def test_created_then_updated(live):
    first = live.run("secrets", "set", "api_key", live.secret("S3CRET-one"))
    assert first.returncode == 0, first.stderr
    lines = first.out.splitlines()
    assert lines[:3] == ["Secret created", "  Name: api_key", "  Version: 1"]
    assert lines[3].startswith("  Updated: 20")
    assert lines[3].endswith("Z")
    second = live.run("secrets", "set", "api_key", live.secret("S3CRET-two"))
    assert second.returncode == 0, second.stderr
    assert second.out.splitlines()[:3] == ["Secret updated", "  Name: api_key", "  Version: 2"]
    assert get_value(live, "api_key") == b"S3CRET-two"
    assert listed(live) == {"api_key": 2}


def test_list_shows_every_secret_in_the_table(live):
    for name in ("alpha", "b", "a-much-longer-name_with_underscores"):
        assert live.run("secrets", "set", name, live.secret(f"S3CRET-{name}")).returncode == 0
    live.run("secrets", "set", "b", live.secret("S3CRET-b2"))
    result = live.run("secrets", "list")
    assert result.returncode == 0, result.stderr
    lines = result.out.splitlines()
    assert lines[0].split() == ["Name", "Created", "Updated", "Version"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:4]}
    assert set(rows) == {"alpha", "b", "a-much-longer-name_with_underscores"}
    assert rows["b"][2] == "2"
    assert rows["alpha"][2] == "1"
    # aligned: every column starts at the same offset in every row
    starts = {line.index(line.split()[1], len(line.split()[0])) for line in lines[:4]}
    assert len(starts) == 1
    assert lines[4:] == ["", "Total: 3 secrets"]


@pytest.mark.parametrize(
    "value",
    [
        "123",
        "1e3",
        "0x10",
        "True",
        "None",
        "[1,2]",
        "{'a':1}",
        "--",
        "-5",
        "-f",
        "--force",
        "--help",
        '"quoted"',
        "it's",
        "a=b",
        "~",
        "$HOME",
        "line one\nline two",
        "trailing newline\n",
        "\ttab",
        " padded ",
        "😀 名前 ünï",
        "\\n",
    ],
)
def test_values_fire_would_mangle_round_trip_as_arguments(live, value):
    argv = (
        ("secrets", "set", "k", "--", value)
        if value.startswith("-")
        else ("secrets", "set", "k", value)
    )
    result = live.run(*argv)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert get_value(live, "k") == value.encode()


@pytest.mark.parametrize("name", ["123", "None", "True", "1e3", "-", "-5", "_", "a" * 64])
def test_names_fire_would_mangle_round_trip(live, name):
    result = live.run("secrets", "set", "--", name, live.secret("S3CRET-named"))
    assert result.returncode == 0, result.stderr
    assert f"  Name: {name}\n" in result.out
    assert listed(live) == {name: 1}
    assert live.run("secrets", "get", "--", name).stdout == b"S3CRET-named"
    deleted = live.run("secrets", "delete", "--force", "--", name)
    assert deleted.returncode == 0, deleted.stderr
    assert listed(live) == {}


def test_argument_round_trip(live):
    value = live.secret("sk-proj-S3CRET-abc123")
    assert live.run("secrets", "set", "k", value).returncode == 0
    assert get_value(live, "k") == value.encode()


@pytest.mark.parametrize(
    ("stdin", "stored"),
    [
        (PEM.encode(), PEM[:-1]),
        (PEM.encode() + b"\n", PEM),
        (b"S3CRET-crlf\r\n", "S3CRET-crlf"),
        (b"S3CRET-none", "S3CRET-none"),
        (b"S3CRET-two\n\n", "S3CRET-two\n"),
        (b"S3CRET-inner\r\nline\r\n", "S3CRET-inner\r\nline"),
        (b"S3CRET-cr\r", "S3CRET-cr\r"),
        (b"S3CRET\x00nul\n", "S3CRET\x00nul"),
        (b"\xef\xbb\xbfS3CRET-bom\n", "\ufeffS3CRET-bom"),
    ],
)
@pytest.mark.parametrize("how", ["-", "implicit"])
def test_stdin_round_trip_strips_exactly_one_newline(live, how, stdin, stored):
    live.secret(stored)
    argv = ("secrets", "set", "k", "-") if how == "-" else ("secrets", "set", "k")
    result = live.run(*argv, stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert get_value(live, "k") == stored.encode()


def test_echo_into_set_stores_what_was_echoed(live, tmp_path):
    # The documented shell idiom, through a real shell.
    value = live.secret("S3CRET multi\nline")
    script = 'printf "%s\\n" "$V" | leger secrets set k -'
    env = {
        **live.cli.env,
        "PATH": f"{live.cli.executable.parent}:{live.cli.env['PATH']}",
        "V": value,
    }
    proc = subprocess.run(
        ["/bin/sh", "-c", script], env=env, capture_output=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert get_value(live, "k") == value.encode()


@pytest.mark.parametrize(
    "content",
    [
        PEM.encode(),
        b"S3CRET-no-newline",
        b"S3CRET-two-newlines\n\n",
        b"S3CRET-crlf\r\n",
        b"\xef\xbb\xbfS3CRET-bom\n",
        b"S3CRET\x00nul",
    ],
)
def test_file_round_trip_is_exact(live, tmp_path, content):
    live.secret(content.decode().strip())
    path = tmp_path / "value"
    path.write_bytes(content)
    assert live.run("secrets", "set", "k", f"@{path}").returncode == 0
    assert get_value(live, "k") == content


def test_file_under_home_round_trip(live):
    ssh = live.cli.home / ".ssh"
    ssh.mkdir()
    (ssh / "id_ed25519").write_text(PEM)
    live.secret(PEM.strip())
    result = live.run("secrets", "set", "ssh_key", "@~/.ssh/id_ed25519")
    assert result.returncode == 0, result.stderr
    assert get_value(live, "ssh_key") == PEM.encode()


def test_prompt_round_trip(live):
    value = live.secret("S3CRET from the prompt")
    session = live.terminal("secrets", "set", "k")
    session.expect(b"Secret value: ")
    session.send(value.encode() + b"\n")
    session.expect(b"Secret value (again): ")
    session.send(value.encode() + b"\n")
    code, output, stderr = session.finish()
    assert code == 0, stderr
    assert value.encode() not in output
    assert get_value(live, "k") == value.encode()


def test_prompt_mismatch_stores_nothing(live):
    session = live.terminal("secrets", "set", "k")
    session.expect(b"Secret value: ")
    session.send(live.secret("S3CRET-a").encode() + b"\n")
    session.expect(b"Secret value (again): ")
    session.send(live.secret("S3CRET-b").encode() + b"\n")
    code, _output, stderr = session.finish()
    assert code == 1
    assert "did not match" in stderr
    assert listed(live) == {}


def test_largest_value_round_trips(live):
    value = live.secret("S3CRET" + "é" * 5117)  # 10240 bytes
    assert len(value.encode()) == 10240
    result = live.run("secrets", "set", "k", "-", stdin=value.encode())
    assert result.returncode == 0, result.stderr
    assert get_value(live, "k") == value.encode()


def test_get_is_byte_exact_through_a_shell(live, tmp_path):
    value = live.secret("S3CRET \"quoted\" 'single' $dollar `tick` 😀")
    assert live.run("secrets", "set", "k", value).returncode == 0
    out = tmp_path / "out"
    script = 'leger secrets get k > "$OUT" && X=$(leger secrets get k) && printf %s "$X"'
    env = {
        **live.cli.env,
        "PATH": f"{live.cli.executable.parent}:{live.cli.env['PATH']}",
        "OUT": str(out),
    }
    proc = subprocess.run(
        ["/bin/sh", "-c", script], env=env, capture_output=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == value.encode()
    assert proc.stdout == value.encode()
    assert proc.stderr == b""


@pytest.mark.parametrize("command", ["get", "delete"])
def test_not_found_from_the_backend(live, command):
    argv = ("secrets", command, "missing") + (("--force",) if command == "delete" else ())
    result = live.run(*argv)
    assert result.returncode == 1
    assert result.stdout == b""
    assert result.stderr == not_found_message("missing")


def test_delete_with_force_removes_it(live):
    live.run("secrets", "set", "k", live.secret("S3CRET-del"))
    live.run("secrets", "set", "keep", live.secret("S3CRET-keep"))
    result = live.run("secrets", "delete", "k", "--force")
    assert result.returncode == 0, result.stderr
    lines = result.out.splitlines()
    assert lines[0] == "Secret k deleted"
    assert lines[1].startswith("  Deleted at: 20")
    assert listed(live) == {"keep": 1}
    gone = live.run("secrets", "get", "k")
    assert gone.returncode == 1
    assert gone.stderr == not_found_message("k")


def test_delete_without_a_terminal_refuses_and_keeps_the_secret(live):
    live.run("secrets", "set", "k", live.secret("S3CRET-kept"))
    for stdin in (b"", b"y\n", b"yes\n"):
        result = live.run("secrets", "delete", "k", stdin=stdin)
        assert result.returncode != 0
        assert result.returncode != 4
        assert "--force" in result.stderr
        assert result.stdout == b""
    assert get_value(live, "k") == b"S3CRET-kept"


@pytest.mark.parametrize("answer", [b"n\n", b"\n", b"N\n", b"x\n"])
def test_delete_on_a_terminal_answered_no_keeps_the_secret(live, answer):
    live.run("secrets", "set", "k", live.secret("S3CRET-kept"))
    session = live.terminal("secrets", "delete", "k")
    session.send(answer)
    code, output, stderr = session.finish()
    assert code == 0, stderr
    assert stderr.startswith('Delete secret "k"? [y/N] ')
    assert "Cancelled" in stderr
    assert b"deleted" not in output
    assert get_value(live, "k") == b"S3CRET-kept"


@pytest.mark.parametrize("answer", [b"y\n", b"yes\n"])
def test_delete_on_a_terminal_answered_yes_deletes(live, answer):
    live.run("secrets", "set", "k", live.secret("S3CRET-gone"))
    session = live.terminal("secrets", "delete", "k")
    session.send(answer)
    code, output, stderr = session.finish()
    assert code == 0, stderr
    assert stderr == 'Delete secret "k"? [y/N] '
    assert GREEN_CHECK + b"Secret k deleted" in output
    assert listed(live) == {}


def test_delete_on_a_terminal_with_no_color_is_plain(live):
    live.run("secrets", "set", "k", live.secret("S3CRET-gone"))
    session = live.terminal("secrets", "delete", "k", env={"NO_COLOR": "1"})
    session.send(b"y\n")
    code, output, stderr = session.finish()
    assert code == 0, stderr
    assert ESC not in output
    assert b"Secret k deleted" in output


def test_rate_limited_by_the_backend(live):
    live.run("secrets", "set", "k", live.secret("S3CRET-rl"))
    live.backend.rate_limit(after=0, retry_after=90)
    try:
        for argv in (
            ("secrets", "list"),
            ("secrets", "get", "k"),
            ("secrets", "set", "k", "S3CRET-rl"),
        ):
            result = live.run(*argv)
            assert result.returncode == 1
            assert result.stdout == b""
            assert "try again in 90 seconds" in result.stderr
    finally:
        live.backend.rate_limit(after=None)


def test_token_revoked_by_the_backend_is_exit_4(live):
    live.run("secrets", "set", "k", live.secret("S3CRET-revoked"))
    live.backend.revoke_all()
    result = live.run("secrets", "get", "k")
    assert result.returncode == 4
    assert result.stdout == b""
    assert "leger auth login" in result.stderr


def test_the_whole_story_as_a_new_user(live, tmp_path):
    key = tmp_path / "id"
    key.write_text(PEM)
    live.secret(PEM.strip())
    steps = [
        live.run("secrets", "set", "openai_api_key", live.secret("sk-test-S3CRET")),
        live.run("secrets", "set", "ssh_key", f"@{key}"),
        live.run("secrets", "set", "token", "-", stdin=b"S3CRET-piped\n"),
    ]
    assert [step.returncode for step in steps] == [0, 0, 0]
    assert listed(live) == {"openai_api_key": 1, "ssh_key": 1, "token": 1}
    assert get_value(live, "openai_api_key") == b"sk-test-S3CRET"
    assert get_value(live, "ssh_key") == PEM.encode()
    assert get_value(live, "token") == b"S3CRET-piped"
    for name in ("openai_api_key", "ssh_key", "token"):
        assert live.run("secrets", "delete", name, "-f").returncode == 0
    assert listed(live) == {}
