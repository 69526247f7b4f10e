"""Reading dotenv files for ``leger secrets import``.

leger/commands/secrets_import/dotenv_file.py.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leger.commands.secrets_export.formats import dotenv
from leger.commands.secrets_import.dotenv_file import DotenvEntry, read_entries
from leger.envnames import Entry
from leger.errors import ExitCode, InputError
from tests.support.text import PEM
from tests.support.values import VALUES

COMMON_FORMS = b"""\
# a comment, then a blank line

PLAIN=value
SPACED = spaced value   # trailing comment
export EXPORTED=exported
SINGLE='single $HOME \\n'
DOUBLE="double\\nline \\"q\\""
MULTI="first
second"
HASH=abc#def
"""


def entries(data: bytes) -> dict[str, str]:
    return {entry.name: entry.value for entry in read_entries(data, "test.env")}


def test_the_common_forms():
    assert entries(COMMON_FORMS) == {
        "PLAIN": "value",
        "SPACED": "spaced value",
        "EXPORTED": "exported",
        "SINGLE": "single $HOME \\n",
        "DOUBLE": 'double\nline "q"',
        "MULTI": "first\nsecond",
        "HASH": "abc#def",
    }


def test_crlf_line_ends_give_the_same_values():
    assert entries(COMMON_FORMS.replace(b"\n", b"\r\n")) == entries(COMMON_FORMS)


def test_a_byte_order_mark_is_ignored():
    assert entries(b"\xef\xbb\xbfA=1\n") == {"A": "1"}


def test_entries_keep_their_line_numbers_and_order():
    assert read_entries(b"# x\nB=2\n\nA='1\n2'\nC=3", "f") == [
        DotenvEntry("B", "2", 2),
        DotenvEntry("A", "1\n2", 4),
        DotenvEntry("C", "3", 6),
    ]


def test_an_empty_file_has_no_entries():
    assert read_entries(b"\n# only a comment\n", "f") == []


@given(values=st.lists(VALUES, min_size=1, max_size=5))
def test_what_export_writes_reads_back_exactly(values):
    text = dotenv([Entry(f"s{i}", f"V{i}", value) for i, value in enumerate(values)])
    assert entries(text.encode("utf-8")) == {f"V{i}": value for i, value in enumerate(values)}


def test_a_pem_key_round_trips_through_export_even_after_a_crlf_conversion():
    text = dotenv([Entry("k", "SSH_KEY", PEM)]).replace("\n", "\r\n")
    assert entries(text.encode("utf-8")) == {"SSH_KEY": PEM}


def test_every_problem_is_reported_at_once_and_no_value_is_echoed():
    data = (
        b"GOOD=fine\n"
        b"sk-live-pasted-secret\n"  # no '='
        b"EMPTY=\n"
        b"bad.name=hidden-value-1\n"
        b"GOOD=hidden-value-2\n"
        b'BROKEN="unterminated\n' + b"BIG=" + b"x" * 10241 + b"\n"
    )
    with pytest.raises(InputError) as caught:
        read_entries(data, "secrets.env")
    error = caught.value
    assert error.exit_code == ExitCode.ERROR
    lines = error.message.splitlines()
    assert lines[0] == "secrets.env has 6 problems; nothing was imported:"
    assert lines[1:] == [
        "  line 2: no '=' (every entry is NAME=value)",
        "  line 3 (EMPTY): The secret value is empty",
        "  line 4: Invalid secret name: it contains characters other than letters, "
        "digits, ':', '_' and '-'",
        "  line 5 (GOOD): also set on line 1",
        "  line 6: not a NAME=value entry",
        "  line 7 (BIG): The secret value is too large: 10241 bytes of UTF-8 (at most 10240)",
    ]
    for secret in ("sk-live", "hidden-value", "unterminated", "bad.name"):
        assert secret not in error.message


def test_text_that_is_not_utf8_is_refused():
    with pytest.raises(InputError, match=r"^f\.env is not UTF-8 text"):
        read_entries(b"A=\xff\n", "f.env")
