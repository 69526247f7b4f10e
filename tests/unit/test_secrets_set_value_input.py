"""``resolve_value`` (leger/commands/secrets_set/value_input.py): argument, ``-`` (stdin),
``@file`` and the prompt, with fake streams.
"""

from __future__ import annotations

import io
import os

import pytest

from leger.commands.secrets_set.value_input import resolve_value
from leger.errors import InputError
from leger.iostreams import IOStreams

PEM = (
    b"-----BEGIN OPENSSH PRIVATE KEY-----\n"
    b"b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
    b"QyNTUxOQAAACBk8wQq0a2bX7m1qZb9Qw==\n"
    b"-----END OPENSSH PRIVATE KEY-----\n"
)


class FakeIO(IOStreams):
    """IOStreams over BytesIO, with scripted answers for the hidden prompt."""

    def __init__(self, stdin: bytes = b"", *, tty: bool = False, hidden: list[str] | None = None):
        self.captured = io.StringIO()
        super().__init__(
            stdin=io.BytesIO(stdin),
            stdout=io.BytesIO(),
            stderr=self.captured,
            stdin_is_tty=tty,
            stdout_is_tty=tty,
            color=False,
        )
        self.hidden = list(hidden or [])
        self.prompts: list[str] = []

    def read_hidden(self, prompt: str) -> str:
        self.prompts.append(prompt)
        return self.hidden.pop(0)

    @property
    def err(self) -> str:
        return self.captured.getvalue()

    def unread(self) -> bytes:
        return self.stdin.read()


# --- an argument is used as typed ---------------------------------------------------


@pytest.mark.parametrize("value", ["sk-proj-abc123", "123", "None", " x ", "a\n", "~/x", "x@y"])
def test_an_argument_is_the_value_exactly(value):
    fake = FakeIO(b"stdin is not read")
    assert resolve_value(value, fake) == value
    assert fake.unread() == b"stdin is not read"


# --- '-' reads all of stdin -----------------------------------------------------------


@pytest.mark.parametrize(
    ("stdin", "value"),
    [
        (b"abc", "abc"),
        (b"abc\n", "abc"),
        (b"abc\r\n", "abc"),
        (b"abc\n\n", "abc\n"),
        (b"abc\r\n\r\n", "abc\r\n"),
        (b"abc\n\r\n", "abc\n"),
        (b"abc\r", "abc\r"),  # only \n or \r\n count as a newline
        (b"abc\n\r", "abc\n\r"),
        (b"\n", ""),
        (b"\r\n", ""),
        (b"", ""),
        (b"  spaced  \n", "  spaced  "),
        (b"\tlead", "\tlead"),
        ("héllo 名前 😀\n".encode(), "héllo 名前 😀"),
    ],
)
def test_dash_reads_all_of_stdin_minus_exactly_one_trailing_newline(stdin, value):
    assert resolve_value("-", FakeIO(stdin)) == value


def test_dash_keeps_a_multi_line_pem_whole():
    value = resolve_value("-", FakeIO(PEM))
    assert value.encode() == PEM[:-1]
    assert value.count("\n") == 3
    assert value.endswith("-----END OPENSSH PRIVATE KEY-----")


def test_echo_x_piped_in_stores_x():
    # `echo "$X" | leger secrets set k -` stores "$X", whatever X holds.
    for x in ["plain", "two\nlines", "ends with newline\n", "crlf\r\nin the middle"]:
        assert resolve_value("-", FakeIO(x.encode() + b"\n")) == x


def test_dash_reads_a_large_stdin_to_the_end():
    data = b"x" * 100_000 + b"\n" + b"tail"
    assert resolve_value("-", FakeIO(data)) == data.decode()


def test_dash_with_stdin_that_is_not_utf8_is_an_input_error():
    with pytest.raises(InputError) as caught:
        resolve_value("-", FakeIO(b"\xff\xfesecret\n"))
    assert "stdin is not UTF-8" in caught.value.message
    assert "secret" not in caught.value.message


def test_dash_on_a_terminal_says_how_to_end_the_input():
    fake = FakeIO(b"typed\n", tty=True)
    assert resolve_value("-", fake) == "typed"
    assert "Ctrl-D" in fake.err
    assert "typed" not in fake.err


# --- no value: stdin when it is not a terminal, else the prompt -------------------------


def test_no_value_with_stdin_not_a_terminal_reads_stdin_like_dash():
    fake = FakeIO(PEM)
    assert resolve_value(None, fake).encode() == PEM[:-1]
    assert fake.prompts == []


def test_no_value_with_empty_piped_stdin_is_empty():
    # check_value refuses it later; resolve_value must not wait for a prompt.
    fake = FakeIO(b"")
    assert resolve_value(None, fake) == ""
    assert fake.prompts == []


def test_no_value_on_a_terminal_prompts_twice():
    fake = FakeIO(b"never read", tty=True, hidden=["s3cret value", "s3cret value"])
    assert resolve_value(None, fake) == "s3cret value"
    assert fake.prompts == ["Secret value: ", "Secret value (again): "]
    assert fake.unread() == b"never read"


def test_no_value_on_a_terminal_with_different_answers_is_refused():
    fake = FakeIO(tty=True, hidden=["first-S3CRET", "second-S3CRET"])
    with pytest.raises(InputError) as caught:
        resolve_value(None, fake)
    assert "did not match" in caught.value.message
    assert "S3CRET" not in caught.value.message + (caught.value.hint or "")


# --- '@path' reads the file exactly --------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        PEM,
        b"no newline",
        b"two trailing newlines\n\n",
        b"crlf\r\n",
        "unicode 名前 😀\n".encode(),
        b"\n",
        b" ",
    ],
)
def test_at_file_is_the_exact_content_including_trailing_newlines(tmp_path, content):
    path = tmp_path / "secret.txt"
    path.write_bytes(content)
    fake = FakeIO(b"stdin is not read")
    assert resolve_value(f"@{path}", fake).encode() == content
    assert fake.unread() == b"stdin is not read"


def test_at_file_with_a_relative_path(tmp_path, monkeypatch):
    (tmp_path / "rel.txt").write_bytes(b"relative\n")
    monkeypatch.chdir(tmp_path)
    assert resolve_value("@rel.txt", FakeIO()) == "relative\n"


def test_at_file_expands_tilde(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_ed25519").write_bytes(PEM)
    monkeypatch.setenv("HOME", str(home))
    assert resolve_value("@~/.ssh/id_ed25519", FakeIO()).encode() == PEM


def test_at_file_with_a_name_containing_at_signs_and_spaces(tmp_path):
    path = tmp_path / "a @b c.txt"
    path.write_bytes(b"v")
    assert resolve_value(f"@{path}", FakeIO()) == "v"


def test_at_file_missing_is_an_input_error_naming_the_file(tmp_path):
    path = tmp_path / "nope.txt"
    with pytest.raises(InputError) as caught:
        resolve_value(f"@{path}", FakeIO())
    assert str(path) in caught.value.message
    assert "No such file" in caught.value.message


def test_at_file_missing_under_tilde_names_the_expanded_path(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(InputError) as caught:
        resolve_value("@~/missing", FakeIO())
    assert str(tmp_path / "missing") in caught.value.message


def test_at_directory_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as caught:
        resolve_value(f"@{tmp_path}", FakeIO())
    assert str(tmp_path) in caught.value.message
    assert "directory" in caught.value.message.lower()


def test_at_unreadable_file_is_an_input_error(tmp_path, monkeypatch):
    path = tmp_path / "locked"
    path.write_bytes(b"S3CRET")
    path.chmod(0)
    if os.geteuid() == 0:  # root reads any file: make open() fail as it would for a user
        real_open = open

        def refusing_open(file, *args, **kwargs):
            if os.fspath(file) == str(path):
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr("builtins.open", refusing_open)
    try:
        with pytest.raises(InputError) as caught:
            resolve_value(f"@{path}", FakeIO())
    finally:
        monkeypatch.undo()
        path.chmod(0o600)
    assert "Permission denied" in caught.value.message
    assert str(path) in caught.value.message
    assert "S3CRET" not in caught.value.message


def test_at_file_that_is_not_utf8_is_an_input_error(tmp_path):
    path = tmp_path / "binary"
    path.write_bytes(b"S3CRET\xff\x00\x80")
    with pytest.raises(InputError) as caught:
        resolve_value(f"@{path}", FakeIO())
    assert "not UTF-8" in caught.value.message
    assert str(path) in caught.value.message
    assert "S3CRET" not in caught.value.message
    assert "base64" in (caught.value.hint or "")


def test_at_nothing_is_an_input_error():
    with pytest.raises(InputError) as caught:
        resolve_value("@", FakeIO())
    assert "@PATH" in (caught.value.hint or "")


def test_at_file_reads_a_fifo_like_process_substitution(tmp_path):
    # `leger secrets set k @<(pass show k)` hands leger a pipe, not a regular file.
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    pid = os.fork()
    if pid == 0:  # the writer
        try:
            with open(fifo, "wb") as pipe:
                pipe.write(b"from a pipe\n")
        finally:
            os._exit(0)
    try:
        assert resolve_value(f"@{fifo}", FakeIO()) == "from a pipe\n"
    finally:
        os.waitpid(pid, 0)
