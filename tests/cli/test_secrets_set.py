"""``leger secrets set``: every input path, what is refused before any request, and round trips.

Whole command lines in-process (the ``leger`` fixture,
tests/support/inprocess.py). The server is the mock registry (exact requests,
every status, servers that misbehave; it fails the test on a request it was not
told about) or, for round trips, the stateful local backend behind a validating
Prism proxy (the ``live`` fixture). The fixture also checks that no value given
to ``leger.secret`` reached stderr.

The property tests draw valid names and values with Hypothesis (any Unicode but
surrogates: emoji, CJK, combining marks, control characters, newlines and
``\\r\\n``, leading ``-`` or ``@``, text that looks like a number, a bool, None,
a list or JSON) and set each through one input path; ``leger secrets get`` must
print exactly the value's UTF-8 bytes. The paths, and the only values each one
cannot carry:

- argument: ``--`` goes before a name or value that starts with ``-``; a NUL
  cannot be in an argv at all, and ``@...`` and a lone ``-`` are not literal
  values there by design (they mean "read a file" and "read stdin");
- ``-`` (stdin): one trailing newline is stripped, so the value is sent with a
  terminator: ``\\r\\n``, or ``\\n`` when the value does not end in ``\\r``;
- ``@file``: the file's exact content.

What only a process shows (real terminals, shells, the OS's argv) is in
tests/process/test_secrets_set.py.
"""

from __future__ import annotations

import itertools
import json
import os

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.support import wire
from tests.support.faulty import close_at_once, faulty_server, json_response
from tests.support.httpmock import each_form, json_body
from tests.support.inprocess import assert_refused, get_value, listed
from tests.support.roundtrip import check_set, positionals, read_back
from tests.support.text import PEM
from tests.support.values import ARGUMENT_VALUES, BIGGEST, NAMES, VALUES


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


def test_html_error_page_from_a_proxy(authed):
    value = authed.secret("S3CRET-proxy")
    page = f"<html><body>Bad Gateway for value={value}</body></html>".encode()
    authed.server.answers_raw(authed.server.form.set("k"), 502, page, "text/html")
    result = authed.run("secrets", "set", "k", value)
    assert result.exit_code == 1
    assert "HTTP 502" in result.stderr
    assert "<html>" not in result.stderr


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


@each_form
@pytest.mark.parametrize(
    ("created", "version", "says"), [(True, 1, "created"), (False, 3, "updated")]
)
def test_set_says_created_or_updated(authed, form, created, version, says):
    authed.speaks(form).stores("k", created=created, version=version)
    result = authed.run("secrets", "set", "k", authed.secret("S3CRET-forms"))
    assert result.exit_code == 0, result.stderr
    assert result.out == (
        f"Secret {says}\n  Name: k\n  Version: {version}\n  Updated: 2025-10-16T15:00:00Z\n"
    )
    sent = authed.registry.requests[-1]
    assert json.loads(sent.content) == form.set_body("k", "S3CRET-forms")


def test_set_with_a_label_on_rest_sends_it(authed):
    authed.speaks(wire.REST).stores("k")
    result = authed.run("secrets", "set", "k", authed.secret("S3CRET-label"), "--label", " Prod ")
    assert result.exit_code == 0, result.stderr
    assert json.loads(authed.registry.requests[-1].content) == wire.REST.set_body(
        "k", "S3CRET-label", " Prod "
    )


def test_a_label_on_v0_1_is_refused_before_anything_is_sent(authed):
    authed.speaks(wire.V01)
    result = authed.run("secrets", "set", "k", authed.secret("S3CRET-nolabel"), "--label", "x")
    assert result.exit_code == 2
    assert "Labels need a server of the REST form" in result.stderr
    assert authed.registry.requests == []


PROPERTY = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


_counter = itertools.count()


@PROPERTY
@given(name=NAMES, value=ARGUMENT_VALUES)
@example(name="-leading-dash", value="-leading dash value")
@example(name="k", value="--")
@example(name="k", value=BIGGEST)
def test_a_value_given_as_an_argument_round_trips(live, name, value):
    check_set(live.run("secrets", "set", *positionals(name, value)), "argument")
    read_back(live, name, value, "argument")


@PROPERTY
@given(name=NAMES, value=VALUES, crlf=st.booleans())
@example(name="k", value="ends in cr\r", crlf=True)
@example(name="k", value="\n", crlf=False)
@example(name="k", value="\x00", crlf=False)
@example(name="k", value=BIGGEST, crlf=False)
def test_a_value_piped_on_stdin_round_trips(live, name, value, crlf):
    terminator = "\r\n" if crlf or value.endswith("\r") else "\n"
    data = (value + terminator).encode("utf-8")
    check_set(live.run("secrets", "set", *positionals(name, "-"), stdin=data), "stdin")
    read_back(live, name, value, "stdin")


@PROPERTY
@given(name=NAMES, value=VALUES)
@example(name="k", value="no newline at the end")
@example(name="k", value="two newlines\n\n")
@example(name="k", value="\r\n")
@example(name="k", value="a\x00b")
@example(name="k", value=BIGGEST)
def test_a_value_read_from_a_file_round_trips(live, tmp_path, name, value):
    path = tmp_path / f"value-{next(_counter)}"
    path.write_bytes(value.encode("utf-8"))
    check_set(live.run("secrets", "set", *positionals(name, f"@{path}")), "@file")
    read_back(live, name, value, "@file")
