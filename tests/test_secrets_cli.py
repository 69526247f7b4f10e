"""``leger secrets set | list | get | delete``, run in-process (``leger`` fixture).

Each test runs the whole command line (argv binding, Fire, the command, error
reporting) on in-memory streams. The server is either

- the mock registry (tests/support/httpmock.py), told what leger.run holds or
  answers: exact requests, every status, servers that misbehave; it fails the
  test on a request it was not told about, so "nothing was sent" is checked
  after every test;
- a real loopback server (Prism, the stateful local backend behind a validating
  Prism proxy, or a raw socket) when the test is about the contract, a round
  trip, or bytes on a connection.

The fixture also checks that no value given to ``leger.secret`` reached stderr
(or stdout, except from ``get``). What only a process shows (real terminals,
shells, closed streams, memory limits) is in tests/test_secrets_process.py.
"""

from __future__ import annotations

import json
import os

import pytest

from tests.support import wire
from tests.support.faulty import close_at_once, faulty_server, json_response, truncated
from tests.support.httpmock import json_body
from tests.support.inprocess import Leger
from tests.support.text import ESC, GREEN_CHECK, PEM

EMPTY_STATE = "No secrets configured\n\nAdd secrets with: leger secrets set <name> <value>\n"


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


@pytest.fixture
def authed(leger) -> Leger:
    """A token in LEGER_TOKEN; the mock server answers only what a test registers."""
    return leger.with_token()


# === output: what leger prints for what the server says =========================================


def test_list_prints_an_aligned_table_and_the_total(authed):
    authed.server.lists(*wire.EXAMPLE_ROWS)
    result = authed.run("secrets", "list")
    assert result.exit_code == 0, result.stderr
    assert result.out == wire.EXAMPLE_TABLE
    assert result.stderr == ""


def test_list_on_a_terminal_is_the_same_table(authed):
    authed.server.lists(*wire.EXAMPLE_ROWS)
    result = authed.run("secrets", "list", tty=True)
    assert result.exit_code == 0, result.stderr
    assert result.out == wire.EXAMPLE_TABLE


@pytest.mark.parametrize("tty", [False, True])
def test_list_json_is_exactly_the_metadata(authed, tty):
    authed.server.lists(*wire.EXAMPLE_ROWS)
    result = authed.run("secrets", "list", "--json", tty=tty)
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)  # nothing else on stdout, or this fails
    assert rows == [{**row, "label": None} for row in wire.EXAMPLE_ROWS]
    for row in rows:
        assert set(row) == {"name", "created_at", "updated_at", "version", "label"}
    assert result.stderr == ""
    assert ESC not in result.stdout


@pytest.mark.parametrize("tty", [False, True])
def test_get_prints_the_value_and_nothing_else(authed, tty):
    authed.server.has_secret("openai_api_key", wire.EXAMPLE_VALUE)
    result = authed.run("secrets", "get", "openai_api_key", tty=tty)
    assert (result.exit_code, result.stdout, result.stderr) == (0, b"sk-proj-abc123", "")


def test_set_prints_what_the_server_said(authed):
    authed.server.stores("openai_api_key", created=False, version=3)
    result = authed.run("secrets", "set", "openai_api_key", authed.secret("sk-proj-NEW-value"))
    assert result.exit_code == 0, result.stderr
    assert result.out == (
        "Secret updated\n  Name: openai_api_key\n  Version: 3\n  Updated: 2025-10-16T15:00:00Z\n"
    )
    assert result.stderr == ""


def test_set_created_says_created(authed):
    authed.server.stores("k", created=True)
    result = authed.run("secrets", "set", "k", authed.secret("S3CRET-created"))
    assert result.exit_code == 0, result.stderr
    assert result.out == (
        "Secret created\n  Name: k\n  Version: 1\n  Updated: 2025-10-16T15:00:00Z\n"
    )


@pytest.mark.parametrize("flag", ["--force", "-f", "--force=yes"])
def test_delete_with_force(authed, flag):
    authed.server.deletes("openai_api_key")
    result = authed.run("secrets", "delete", "openai_api_key", flag)
    assert result.exit_code == 0, result.stderr
    assert result.out == "Secret openai_api_key deleted\n  Deleted at: 2025-10-16T15:30:00Z\n"
    assert result.stderr == ""


def test_delete_force_before_the_name(authed):
    authed.server.deletes("openai_api_key")
    result = authed.run("secrets", "delete", "-f", "openai_api_key")
    assert result.exit_code == 0, result.stderr
    assert result.out.startswith("Secret openai_api_key deleted\n")


def test_list_when_empty_says_how_to_add_one(authed):
    authed.server.lists()
    result = authed.run("secrets", "list")
    assert result.exit_code == 0, result.stderr
    assert result.out == EMPTY_STATE


def test_list_json_when_empty_is_an_empty_array(authed):
    authed.server.lists()
    result = authed.run("secrets", "list", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_list_with_one_secret_says_1_secret(authed):
    authed.server.lists(wire.EXAMPLE_ROWS[0])
    assert authed.run("secrets", "list").out.endswith("\nTotal: 1 secret\n")


def test_list_table_dates_are_the_utc_dates_json_shows(authed):
    # The contract says UTC; a server that sends an offset must not make the table
    # and --json disagree about the day.
    row = {
        "name": "k",
        "created_at": "2025-10-15T23:30:00-05:00",
        "updated_at": "2025-10-16T01:00:00+05:00",
        "version": 1,
    }
    authed.server.lists(row)
    authed.server.lists(row)
    table = authed.run("secrets", "list")
    as_json = authed.run("secrets", "list", "--json")
    assert json.loads(as_json.stdout)[0]["created_at"] == "2025-10-16T04:30:00Z"
    assert json.loads(as_json.stdout)[0]["updated_at"] == "2025-10-15T20:00:00Z"
    assert table.out.splitlines()[1].split() == ["k", "2025-10-16", "2025-10-15", "1"]


# --- colour and symbols only on a terminal, never with NO_COLOR ------------------------------

SET_AND_DELETE = [
    (("secrets", "set", "k", "S3CRET-colour"), b"Secret updated"),
    (("secrets", "delete", "k", "--force"), b"Secret k deleted"),
]


def answer_set_or_delete(leger: Leger, argv: tuple[str, ...]) -> None:
    if argv[1] == "set":
        leger.server.stores("k", created=False, version=3)
    else:
        leger.server.deletes("k")


@pytest.mark.parametrize(("argv", "line"), SET_AND_DELETE)
def test_success_has_a_green_check_on_a_terminal(authed, argv, line):
    authed.secret("S3CRET-colour")
    answer_set_or_delete(authed, argv)
    result = authed.run(*argv, tty=True)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(GREEN_CHECK + line)
    assert result.stderr == ""


@pytest.mark.parametrize(("argv", "line"), SET_AND_DELETE)
def test_no_color_on_a_terminal_means_plain(authed, argv, line):
    authed.secret("S3CRET-colour")
    answer_set_or_delete(authed, argv)
    result = authed.run(*argv, tty=True, env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(line + b"\n")
    assert ESC not in result.stdout
    assert "✓".encode() not in result.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ("secrets", "set", "k", "S3CRET-colour"),
        ("secrets", "delete", "k", "--force"),
        ("secrets", "list"),
        ("secrets", "get", "k"),
    ],
)
def test_piped_output_is_plain(authed, argv):
    authed.secret("S3CRET-colour")
    if argv[1] == "list":
        authed.server.lists(*wire.EXAMPLE_ROWS)
    elif argv[1] == "get":
        authed.server.has_secret("k", "v")
    else:
        answer_set_or_delete(authed, argv)
    result = authed.run(*argv)
    assert result.exit_code == 0, result.stderr
    assert ESC.decode() not in result.out + result.stderr
    assert "✓" not in result.out + result.stderr


# === refusals before any request (the registry fails the test on any request) ===================


def assert_refused(result, message: str) -> None:
    assert result.exit_code == 1, (result.exit_code, result.stderr)
    assert result.stdout == b""
    assert message in result.stderr
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "name",
    ["", "a" * 65, "a.b", "a b", "名前", "é", "a/b", "../x", "k\n", "k" + os.fsdecode(b"\xff")],
)
@pytest.mark.parametrize("command", ["set", "get", "delete"])
def test_bad_name_is_refused_before_any_request(authed, command, name):
    value = authed.secret("S3CRET-name-test")
    argv = {
        "set": ("secrets", "set", "--", name, value),
        "get": ("secrets", "get", "--", name),
        "delete": ("secrets", "delete", "--force", "--", name),
    }[command]
    assert_refused(authed.run(*argv), "Invalid secret name")
    assert authed.registry.requests == []


def test_name_of_64_characters_is_sent_and_65_is_not(authed):
    authed.server.has_secret("a" * 64, "v")
    assert authed.run("secrets", "get", "a" * 64).exit_code == 0
    assert_refused(authed.run("secrets", "get", "a" * 65), "65 characters long (at most 64)")
    assert len(authed.registry.requests) == 1


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
def test_empty_value_is_refused_before_any_request(authed, how, stdin):
    argv = {
        "argument": ("secrets", "set", "k", ""),
        "stdin -": ("secrets", "set", "k", "-"),
        "implicit": ("secrets", "set", "k"),
    }[how]
    assert_refused(authed.run(*argv, stdin=stdin), "The secret value is empty")


def test_empty_file_is_refused_before_any_request(authed, tmp_path):
    path = tmp_path / "empty"
    path.write_bytes(b"")
    assert_refused(authed.run("secrets", "set", "k", f"@{path}"), "The secret value is empty")


@pytest.mark.parametrize("how", ["argument", "stdin -", "stdin implicit", "file"])
@pytest.mark.parametrize(
    ("value", "size"),
    [("S3CRET" + "x" * 10235, 10241), ("S3CRET" + "é" * 5118, 10242), ("😀" * 2560 + "!", 10241)],
)
def test_value_over_10240_bytes_is_refused_before_any_request(authed, tmp_path, how, value, size):
    authed.secret(value)
    assert len(value.encode()) == size
    if how == "argument":
        result = authed.run("secrets", "set", "k", value)
    elif how == "stdin -":
        result = authed.run("secrets", "set", "k", "-", stdin=value.encode() + b"\n")
    elif how == "stdin implicit":
        result = authed.run("secrets", "set", "k", stdin=value.encode())
    else:
        path = tmp_path / "big"
        path.write_bytes(value.encode())
        result = authed.run("secrets", "set", "k", f"@{path}")
    assert_refused(result, f"too large: {size} bytes of UTF-8 (at most 10240)")


def test_value_of_exactly_10240_bytes_is_sent(authed):
    # The same run as above with one byte less reaches the server.
    value = authed.secret("S3CRET" + "x" * 10234)
    authed.server.stores("k")
    result = authed.run("secrets", "set", "k", "-", stdin=value.encode() + b"\n")
    assert result.exit_code == 0, result.stderr
    [request] = authed.registry.operations()
    assert json_body(request) == authed.server.form.set_body("k", value)


def test_missing_file_is_refused_before_any_request(authed, tmp_path):
    path = tmp_path / "no-such-file"
    result = authed.run("secrets", "set", "k", f"@{path}")
    assert_refused(result, f"Cannot read {path}: No such file or directory")


def test_directory_is_refused_before_any_request(authed, tmp_path):
    assert_refused(authed.run("secrets", "set", "k", f"@{tmp_path}"), "Is a directory")


def test_file_that_is_not_utf8_is_refused_before_any_request(authed, tmp_path):
    path = tmp_path / "binary"
    path.write_bytes(b"S3CRET-bin\xff\xfe\x00")
    authed.secret("S3CRET-bin")
    assert_refused(authed.run("secrets", "set", "k", f"@{path}"), "is not UTF-8 text")


def test_stdin_that_is_not_utf8_is_refused_before_any_request(authed):
    authed.secret("S3CRET-bin")
    result = authed.run("secrets", "set", "k", "-", stdin=b"S3CRET-bin\xff\n")
    assert_refused(result, "stdin is not UTF-8 text")


def test_argument_that_is_not_utf8_is_refused_before_any_request(authed):
    # A raw 0xff byte on the command line arrives as a surrogate escape.
    value = "S3CRET-raw" + os.fsdecode(b"\xff")
    assert_refused(authed.run("secrets", "set", "k", value), "not valid UTF-8 text")


def test_at_alone_is_refused_before_any_request(authed):
    assert_refused(authed.run("secrets", "set", "k", "@"), "No file named after '@'")


@pytest.mark.parametrize("how", ["stdin -", "file"])
def test_endless_input_is_refused_as_too_large_not_read_forever(authed, how):
    # `yes | leger secrets set k -` or `@/dev/zero` end with the size rule.
    if how == "file":
        result = authed.run("secrets", "set", "k", "@/dev/zero")
    else:
        result = authed.run("secrets", "set", "k", "-", stdin=b"y\n" * (1024 * 1024))
    assert_refused(result, "The secret value is too large")


# === exact requests and the statuses a server can give ============================================


@pytest.mark.parametrize(
    ("how", "value", "sent"),
    [
        ("argument", "S3CRET-wire\nline two\n", "S3CRET-wire\nline two\n"),
        ("argument", "名前 😀 ünïcode", "名前 😀 ünïcode"),
        ("argument", "x" * 10240, "x" * 10240),
        ("argument", "😀" * 2560, "😀" * 2560),  # 10240 bytes of UTF-8
        ("stdin -", PEM, PEM[:-1]),
        ("stdin implicit", PEM, PEM[:-1]),
        ("file", PEM, PEM),
    ],
)
def test_set_sends_one_post_with_exactly_name_and_value(authed, tmp_path, how, value, sent):
    authed.secret(value)
    authed.server.stores("k")
    if how == "argument":
        result = authed.run("secrets", "set", "k", value)
    elif how == "stdin -":
        result = authed.run("secrets", "set", "k", "-", stdin=value.encode())
    elif how == "stdin implicit":
        result = authed.run("secrets", "set", "k", stdin=value.encode())
    else:
        path = tmp_path / "value"
        path.write_text(value)
        result = authed.run("secrets", "set", "k", f"@{path}")
    assert result.exit_code == 0, result.stderr
    [request] = authed.registry.operations()
    assert (request.method, request.url.path) == authed.server.form.set("k")
    assert request.headers["Authorization"] == f"Bearer {wire.TOKEN}"
    assert request.headers["Content-Type"] == "application/json"
    assert json_body(request) == authed.server.form.set_body("k", sent)


def test_list_asks_only_for_metadata(authed):
    authed.server.lists()
    assert authed.run("secrets", "list").exit_code == 0
    assert authed.registry.sent() == [wire.V01.list]


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
def test_names_from_the_server_cannot_send_escape_sequences_to_the_terminal(authed, argv, data):
    # The contract allows only [A-Za-z0-9_-] in a name; a server that breaks it must
    # not get to clear the screen or retitle the terminal through leger's output.
    authed.secret("S3CRET-v")
    authed.server.answers(authed.server.route_of(argv[1]), 200, wire.ok(data))
    result = authed.run(*argv)
    # A set answer for another name is a server of the other route form, and a listed
    # name that breaks the name rule is not used: both are errors.
    assert result.exit_code == 1, result.stderr
    assert b"\x1b" not in result.stdout
    assert "\x1b" not in result.stderr
    assert b"\x07" not in result.stdout


@pytest.mark.parametrize("command", ["get", "delete"])
def test_not_found_prints_the_seeds_message_with_hints(authed, command):
    argv = ("secrets", command, "k") + (("--force",) if command == "delete" else ())
    authed.server.lacks("k", command)
    result = authed.run(*argv)
    assert result.exit_code == 1
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
def test_rate_limit_says_when_to_retry(authed, argv):
    authed.secret("S3CRET-rate")
    route = authed.server.route_of(argv[1])
    authed.server.answers(route, 429, wire.RATE_LIMITED, {"Retry-After": "120"})
    result = authed.run(*argv)
    assert result.exit_code == 1
    assert result.stdout == b""
    assert "try again in 120 seconds" in result.stderr
    assert len(authed.registry.operations()) == 1  # a long wait is not sat out silently


def test_server_rejecting_the_token_is_exit_4(authed):
    authed.server.rejects_token(authed.server.form.set("k"))
    result = authed.run("secrets", "set", "k", authed.secret("S3CRET-401"))
    assert result.exit_code == 4
    assert "LEGER_TOKEN" in result.stderr


# --- delete's confirmation ----------------------------------------------------------------


@pytest.mark.parametrize("flag", [(), ("--noforce",)])
def test_delete_without_a_terminal_or_force_refuses_and_sends_nothing(authed, flag):
    result = authed.run("secrets", "delete", "k", *flag, stdin=b"y\n")
    assert result.exit_code == 2
    assert result.stdout == b""
    assert "--force" in result.stderr
    assert "leger secrets delete k --force" in result.stderr


@pytest.mark.parametrize("answer", [b"n\n", b"\n", b"no\n", b"nope\n", b"yes please\n", b""])
def test_delete_on_a_terminal_cancels_on_anything_but_yes(authed, answer):
    result = authed.run("secrets", "delete", "k", stdin=answer, tty=True)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == 'Delete secret "k"? [y/N] Cancelled\n'
    assert b"deleted" not in result.stdout


@pytest.mark.parametrize("answer", [b"y\n", b"Y\n", b"yes\n", b"YES\n", b" y \n"])
def test_delete_on_a_terminal_deletes_on_yes(authed, answer):
    authed.server.deletes("k")
    result = authed.run("secrets", "delete", "k", stdin=answer, tty=True)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == 'Delete secret "k"? [y/N] '
    assert result.stdout.startswith(GREEN_CHECK + b"Secret k deleted")
    assert authed.registry.sent() == [wire.V01.delete("k")]


def test_delete_on_a_terminal_with_force_does_not_ask(authed):
    authed.server.deletes("k")
    result = authed.run("secrets", "delete", "k", "-f", tty=True)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert b"Secret k deleted" in result.stdout


def test_delete_on_a_terminal_when_not_logged_in_says_so_before_asking(leger):
    result = leger.run("secrets", "delete", "k", stdin=b"y\n", tty=True)
    assert result.exit_code == 4
    assert "Delete secret" not in result.stderr
    assert "leger auth login" in result.stderr


# --- the value never leaks, whatever the server does ---------------------------------------------


def test_debug_log_never_shows_the_value_or_token(authed):
    value = authed.secret("S3CRET-debug-value")
    authed.server.stores("k")
    authed.server.has_secret("k", value)
    result = authed.run("secrets", "set", "k", value, env={"LEGER_DEBUG": "1"})
    assert result.exit_code == 0, result.stderr
    assert "[leger debug] > POST" in result.stderr
    assert "not shown" in result.stderr
    got = authed.run("secrets", "get", "k", env={"LEGER_DEBUG": "1"})
    assert got.exit_code == 0, got.stderr
    assert got.stdout == value.encode()
    assert "[leger debug] < 200" in got.stderr
    assert wire.TOKEN not in result.stderr + got.stderr


@pytest.mark.parametrize(
    ("status", "code", "message", "says"),
    [
        (500, "internal_error", "could not store value {value!r}", "leger.run failed"),
        (400, "secret_value_too_large", "value {value} is too large", "Rejected by leger.run"),
    ],
)
def test_an_error_that_echoes_the_value_does_not_put_it_on_stderr(
    authed, status, code, message, says
):
    # A failing backend (or a proxy in front of it) may quote the request in its error.
    value = f"S3CRET-echoed-{status}"  # asserted below, not also by the fixture
    body = wire.error(code, message.format(value=value))
    authed.server.answers(authed.server.form.set("k"), status, body)
    result = authed.run("secrets", "set", "k", value)
    assert result.exit_code == 1
    assert says in result.stderr
    assert value not in result.stderr


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b'{"success": true, "data": {"name": "k", "value": "S3CRET-truncated', "cannot read"),
        # A success envelope of the wrong shape is what the other route form answers.
        (
            b'{"success": true, "data": {"name": "k", "value": "S3CRET-truncated"}}',
            "routes do not match",
        ),
        (
            b'{"success": true, "data": {"name": "k", "value": ["S3CRET-truncated"], '
            b'"version": 1}}',
            "routes do not match",
        ),
        (
            b'{"success": false, "data": {"name": "k", "value": "S3CRET-truncated", "version": 1}}',
            "cannot read",
        ),
    ],
)
def test_get_with_an_unreadable_answer_does_not_print_the_value(authed, body, says):
    authed.secret("S3CRET-truncated")
    authed.server.answers_raw(authed.server.form.get("k"), 200, body)
    result = authed.run("secrets", "get", "k")
    assert result.exit_code == 1
    assert result.stdout == b""
    assert says in result.stderr


def test_html_error_page_from_a_proxy(authed):
    value = authed.secret("S3CRET-proxy")
    page = f"<html><body>Bad Gateway for value={value}</body></html>".encode()
    authed.server.answers_raw(authed.server.form.set("k"), 502, page, "text/html")
    result = authed.run("secrets", "set", "k", value)
    assert result.exit_code == 1
    assert "HTTP 502" in result.stderr
    assert "<html>" not in result.stderr


def test_get_when_the_connection_drops_mid_body_does_not_print_the_value(authed):
    value = authed.secret("S3CRET-dropped")
    partial = f'{{"success": true, "data": {{"name": "k", "value": "{value}'.encode()
    with faulty_server(truncated(200, partial, declared=500)) as server:
        result = authed.use_api(server.url).run("secrets", "get", "k")
    assert result.exit_code == 1
    assert result.stdout == b""
    assert "peer closed connection without sending complete message body" in result.stderr


def test_set_when_the_server_hangs_up_does_not_print_the_value(authed):
    value = authed.secret("S3CRET-hangup")
    probe = json_response(*wire.V01.probe_answer())  # before a v0.1 set, leger asks
    with faulty_server(probe, close_at_once()) as server:
        result = authed.use_api(server.url).run(
            "secrets", "set", "k", value, env={"LEGER_DEBUG": "1"}
        )
    assert result.exit_code == 1
    assert "Error: The connection to" in result.stderr
    assert "Server disconnected without sending a response" in result.stderr
    assert "[leger debug] > POST" in result.stderr


# --- no value on a terminal: a hidden prompt, asked twice ---------------------------------------


def test_prompt_on_a_terminal_reads_the_value_twice(authed):
    value = authed.secret("S3CRET typed at the prompt")
    authed.server.stores("k")
    result = authed.run("secrets", "set", "k", tty=True, typed=[value, value])
    assert result.exit_code == 0, result.stderr
    assert result.prompts == ["Secret value: ", "Secret value (again): "]
    assert b"Secret created" in result.stdout
    [request] = authed.registry.operations()
    assert json_body(request) == authed.server.form.set_body("k", value)


def test_prompt_answers_that_differ_store_nothing(authed):
    first, second = authed.secret("S3CRET-first"), authed.secret("S3CRET-second")
    result = authed.run("secrets", "set", "k", tty=True, typed=[first, second])
    assert result.exit_code == 1
    assert "did not match" in result.stderr


def test_prompt_with_an_empty_answer_is_refused(authed):
    result = authed.run("secrets", "set", "k", tty=True, typed=["", ""])
    assert result.exit_code == 1
    assert "The secret value is empty" in result.stderr


def test_ctrl_c_at_the_prompt_stores_nothing_and_exits_130(authed):
    result = authed.run("secrets", "set", "k", tty=True, typed=[KeyboardInterrupt()])
    assert result.exit_code == 130
    assert result.stderr == "\nInterrupted\n"


def test_dash_on_a_terminal_reads_until_the_end_of_input(authed):
    authed.server.stores("k")
    result = authed.run("secrets", "set", "k", "-", tty=True, stdin=b"line one\nline two\n")
    assert result.exit_code == 0, result.stderr
    assert "Ctrl-D" in result.stderr
    [request] = authed.registry.operations()
    assert json_body(request)["value"] == "line one\nline two"


# === the contract: Prism refuses any request the contract does not allow ========================


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
def test_every_input_path_sends_a_request_the_contract_accepts(
    leger, prism_mock_v01, tmp_path, how, value
):
    # Prism answers 400 to a request body the contract does not allow.
    leger.use_api(prism_mock_v01.url)
    assert leger.run("auth", "login").exit_code == 0
    leger.secret(value)
    name = "openai_api_key"  # the name the contract's example answer carries
    if how == "argument":
        result = leger.run("secrets", "set", name, value)
    elif how == "stdin -":
        result = leger.run("secrets", "set", name, "-", stdin=value.encode())
    elif how == "stdin implicit":
        result = leger.run("secrets", "set", name, stdin=value.encode())
    else:
        path = tmp_path / "value"
        path.write_text(value)
        result = leger.run("secrets", "set", name, f"@{path}")
    assert result.exit_code == 0, result.stderr
    assert result.out.startswith("Secret updated\n")
    assert result.stderr == ""


# === round trips: the stateful backend behind a validating Prism proxy ============================


@pytest.fixture
def live(leger, fresh_proxied_backend) -> Leger:
    """Logged in to an empty backend; Prism validates every exchange."""
    leger.use_api(fresh_proxied_backend.url)
    login = leger.run("auth", "login")
    assert login.exit_code == 0, login.stderr
    leger.backend = fresh_proxied_backend.backend
    return leger


def get_value(leger: Leger, name: str) -> bytes:
    result = leger.run("secrets", "get", name)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def listed(leger: Leger) -> dict[str, int]:
    result = leger.run("secrets", "list", "--json")
    assert result.exit_code == 0, result.stderr
    return {row["name"]: row["version"] for row in json.loads(result.stdout)}


def test_empty_state_says_how_to_add_one(live):
    result = live.run("secrets", "list")
    assert result.exit_code == 0, result.stderr
    assert result.out == EMPTY_STATE
    assert json.loads(live.run("secrets", "list", "--json").stdout) == []


def test_created_then_updated(live):
    first = live.run("secrets", "set", "api_key", live.secret("S3CRET-one"))
    assert first.exit_code == 0, first.stderr
    lines = first.out.splitlines()
    assert lines[:3] == ["Secret created", "  Name: api_key", "  Version: 1"]
    assert lines[3].startswith("  Updated: 20")
    assert lines[3].endswith("Z")
    second = live.run("secrets", "set", "api_key", live.secret("S3CRET-two"))
    assert second.exit_code == 0, second.stderr
    assert second.out.splitlines()[:3] == ["Secret updated", "  Name: api_key", "  Version: 2"]
    assert get_value(live, "api_key") == b"S3CRET-two"
    assert listed(live) == {"api_key": 2}


def test_list_shows_every_secret_in_the_table(live):
    for name in ("alpha", "b", "a-much-longer-name_with_underscores"):
        assert live.run("secrets", "set", name, live.secret(f"S3CRET-{name}")).exit_code == 0
    live.run("secrets", "set", "b", live.secret("S3CRET-b2"))
    result = live.run("secrets", "list")
    assert result.exit_code == 0, result.stderr
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
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert get_value(live, "k") == value.encode()


@pytest.mark.parametrize("name", ["123", "None", "True", "1e3", "-", "-5", "_", "a" * 64])
def test_names_fire_would_mangle_round_trip(live, name):
    result = live.run("secrets", "set", "--", name, live.secret("S3CRET-named"))
    assert result.exit_code == 0, result.stderr
    assert f"  Name: {name}\n" in result.out
    assert listed(live) == {name: 1}
    assert live.run("secrets", "get", "--", name).stdout == b"S3CRET-named"
    deleted = live.run("secrets", "delete", "--force", "--", name)
    assert deleted.exit_code == 0, deleted.stderr
    assert listed(live) == {}


def test_argument_round_trip(live):
    value = live.secret("sk-proj-S3CRET-abc123")
    assert live.run("secrets", "set", "k", value).exit_code == 0
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
    assert result.exit_code == 0, result.stderr
    assert get_value(live, "k") == stored.encode()


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
    assert live.run("secrets", "set", "k", f"@{path}").exit_code == 0
    assert get_value(live, "k") == content


def test_prompt_round_trip(live):
    value = live.secret("S3CRET from the prompt")
    result = live.run("secrets", "set", "k", tty=True, typed=[value, value])
    assert result.exit_code == 0, result.stderr
    assert value.encode() not in result.stdout
    assert get_value(live, "k") == value.encode()


def test_prompt_mismatch_stores_nothing(live):
    typed = [live.secret("S3CRET-a"), live.secret("S3CRET-b")]
    result = live.run("secrets", "set", "k", tty=True, typed=typed)
    assert result.exit_code == 1
    assert "did not match" in result.stderr
    assert listed(live) == {}


def test_largest_value_round_trips(live):
    value = live.secret("S3CRET" + "é" * 5117)  # 10240 bytes
    assert len(value.encode()) == 10240
    result = live.run("secrets", "set", "k", "-", stdin=value.encode())
    assert result.exit_code == 0, result.stderr
    assert get_value(live, "k") == value.encode()


@pytest.mark.parametrize("command", ["get", "delete"])
def test_not_found_from_the_backend(live, command):
    argv = ("secrets", command, "missing") + (("--force",) if command == "delete" else ())
    result = live.run(*argv)
    assert result.exit_code == 1
    assert result.stdout == b""
    assert result.stderr == not_found_message("missing")


def test_delete_with_force_removes_it(live):
    live.run("secrets", "set", "k", live.secret("S3CRET-del"))
    live.run("secrets", "set", "keep", live.secret("S3CRET-keep"))
    result = live.run("secrets", "delete", "k", "--force")
    assert result.exit_code == 0, result.stderr
    lines = result.out.splitlines()
    assert lines[0] == "Secret k deleted"
    assert lines[1].startswith("  Deleted at: 20")
    assert listed(live) == {"keep": 1}
    gone = live.run("secrets", "get", "k")
    assert gone.exit_code == 1
    assert gone.stderr == not_found_message("k")


def test_delete_without_a_terminal_refuses_and_keeps_the_secret(live):
    live.run("secrets", "set", "k", live.secret("S3CRET-kept"))
    for stdin in (b"", b"y\n", b"yes\n"):
        result = live.run("secrets", "delete", "k", stdin=stdin)
        assert result.exit_code == 2
        assert "--force" in result.stderr
        assert result.stdout == b""
    assert get_value(live, "k") == b"S3CRET-kept"


@pytest.mark.parametrize("answer", [b"n\n", b"\n", b"N\n", b"x\n"])
def test_delete_on_a_terminal_answered_no_keeps_the_secret(live, answer):
    live.run("secrets", "set", "k", live.secret("S3CRET-kept"))
    result = live.run("secrets", "delete", "k", stdin=answer, tty=True)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == 'Delete secret "k"? [y/N] Cancelled\n'
    assert b"deleted" not in result.stdout
    assert get_value(live, "k") == b"S3CRET-kept"


@pytest.mark.parametrize("answer", [b"y\n", b"yes\n"])
def test_delete_on_a_terminal_answered_yes_deletes(live, answer):
    live.run("secrets", "set", "k", live.secret("S3CRET-gone"))
    result = live.run("secrets", "delete", "k", stdin=answer, tty=True)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == 'Delete secret "k"? [y/N] '
    assert result.stdout.startswith(GREEN_CHECK + b"Secret k deleted")
    assert listed(live) == {}


def test_delete_on_a_terminal_with_no_color_is_plain(live):
    live.run("secrets", "set", "k", live.secret("S3CRET-gone"))
    result = live.run("secrets", "delete", "k", stdin=b"y\n", tty=True, env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.stderr
    assert ESC not in result.stdout
    assert result.stdout.startswith(b"Secret k deleted")


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
            assert result.exit_code == 1
            assert result.stdout == b""
            assert "try again in 90 seconds" in result.stderr
    finally:
        live.backend.rate_limit(after=None)


def test_token_revoked_by_the_backend_is_exit_4(live):
    live.run("secrets", "set", "k", live.secret("S3CRET-revoked"))
    live.backend.revoke_all()
    result = live.run("secrets", "get", "k")
    assert result.exit_code == 4
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
    assert [step.exit_code for step in steps] == [0, 0, 0]
    assert listed(live) == {"openai_api_key": 1, "ssh_key": 1, "token": 1}
    assert get_value(live, "openai_api_key") == b"sk-test-S3CRET"
    assert get_value(live, "ssh_key") == PEM.encode()
    assert get_value(live, "token") == b"S3CRET-piped"
    for name in ("openai_api_key", "ssh_key", "token"):
        assert live.run("secrets", "delete", name, "-f").exit_code == 0
    assert listed(live) == {}
