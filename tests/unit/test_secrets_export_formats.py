"""Each export format keeps its promise for any valid value.

leger/commands/secrets_export/formats.py:

- shell: ``eval "$(cat FILE)"`` in dash and in bash sets every variable to
  exactly the value, byte for byte;
- dotenv: python-dotenv (``dotenv_values``, interpolation off) reads back exactly
  the value, from a stream and from a file (which it opens with universal
  newlines, so a bare carriage return must be escaped);
- json: ``json.loads`` gives back the object;
- env-file: one ``NAME=value`` line per variable, with the value verbatim.
"""

from __future__ import annotations

import io
import json
import subprocess

import pytest
from dotenv import dotenv_values
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from leger.commands.secrets_export.formats import (
    FORMATS,
    dotenv,
    env_file,
    formatter,
    json_object,
    shell,
)
from leger.envnames import Entry
from leger.errors import ExitCode, InputError, UsageError
from tests.support.text import PEM
from tests.support.values import BIGGEST, VALUES

SHELLS = ["/bin/dash", "/bin/bash"]
ENV_VALUES = VALUES.filter(lambda value: "\0" not in value)
VALUE_LISTS = st.lists(VALUES, min_size=1, max_size=5)
ENV_VALUE_LISTS = st.lists(ENV_VALUES, min_size=1, max_size=5)
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def entries(values: list[str]) -> list[Entry]:
    return [Entry(f"secret-{i}", f"V{i}", value) for i, value in enumerate(values)]


def eval_in(shell_path: str, script: str, tmp_path, count: int) -> list[bytes]:
    """Run ``eval "$(cat script)"`` in ``shell_path``; the variables' bytes, in order."""
    path = tmp_path / "exports.sh"
    path.write_bytes(script.encode("utf-8"))
    names = " ".join(f'"$V{i}"' for i in range(count))
    result = subprocess.run(
        [shell_path, "-c", f'eval "$(cat "$1")" && printf "%s\\0" {names}', "sh", str(path)],
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    return result.stdout.split(b"\0")[:-1]


@pytest.mark.parametrize("shell_path", SHELLS)
@PROPERTY
@given(values=ENV_VALUE_LISTS)
@example(values=[PEM, "it's", "$HOME `id` \\n \\", "\n\n", "trailing\n"])
@example(values=["'\\''", "'", '"\'"', "a\r\nb\r", "${HOME}"])
@example(values=[BIGGEST])
def test_shell_output_evaluates_to_exactly_the_values(shell_path, tmp_path_factory, values):
    tmp_path = tmp_path_factory.mktemp("eval")
    got = eval_in(shell_path, shell(entries(values)), tmp_path, len(values))
    assert got == [value.encode("utf-8") for value in values]


def test_shell_lines_are_exports_in_single_quotes():
    assert shell([Entry("k", "K", "it's")]) == "export K='it'\\''s'\n"


@PROPERTY
@given(values=VALUE_LISTS)
@example(values=["ends in backslash\\", 'ends in quote"', '\\"', "a\rb", "\r", "\r\n"])
@example(values=[PEM, "${HOME}", "$HOME", "# not a comment", " spaced ", "x=y"])
@example(values=["\0", "\x85", "\u2028", "\ufeff"])
def test_dotenv_output_reads_back_exactly_in_python_dotenv(tmp_path_factory, values):
    text = dotenv(entries(values))
    expected = {f"V{i}": value for i, value in enumerate(values)}
    assert dotenv_values(stream=io.StringIO(text), interpolate=False) == expected
    path = tmp_path_factory.mktemp("dotenv") / ".env"
    path.write_bytes(text.encode("utf-8"))
    assert dotenv_values(path, interpolate=False) == expected


def test_dotenv_keeps_every_entry_on_one_line():
    text = dotenv([Entry("pem", "PEM", PEM), Entry("q", "Q", 'say "hi"\\')])
    assert text.splitlines() == [
        'PEM="' + PEM.replace("\n", "\\n") + '"',
        'Q="say \\"hi\\"\\\\"',
    ]


@given(values=VALUE_LISTS)
def test_json_reads_back_exactly(values):
    object_ = {f"secret-{i}": value for i, value in enumerate(values)}
    text = json_object([Entry(name, name, value) for name, value in object_.items()])
    assert json.loads(text) == object_
    assert text.count("\n") == 1


@given(values=st.lists(ENV_VALUES.filter(lambda v: "\n" not in v and "\r" not in v), min_size=1))
def test_env_file_writes_each_value_verbatim_on_its_own_line(values):
    lines = env_file(entries(values)).split("\n")
    assert lines.pop() == ""
    assert lines == [f"V{i}={value}" for i, value in enumerate(values)]


@pytest.mark.parametrize("value", ["a\nb", "a\r\nb", "ends with cr\r", PEM])
def test_env_file_refuses_a_line_break_naming_the_secret(value):
    with pytest.raises(InputError) as caught:
        env_file([Entry("ok", "OK", "fine"), Entry("ssh-key", "SSH_KEY", value)])
    assert '"ssh-key" has one' in caught.value.message
    assert value not in caught.value.message
    assert "secrets sync" in (caught.value.hint or "")


@pytest.mark.parametrize("write", [shell, env_file])
def test_environment_formats_refuse_a_nul_byte(write):
    with pytest.raises(InputError, match='"bin"'):
        write([Entry("bin", "BIN", "a\0b")])


def test_formats_by_name():
    assert list(FORMATS) == ["dotenv", "shell", "json", "env-file"]
    assert formatter("env-file") is env_file


def test_an_unknown_format_is_a_usage_error_listing_the_formats():
    with pytest.raises(UsageError) as caught:
        formatter("yaml")
    assert caught.value.exit_code == ExitCode.USAGE
    assert "dotenv, shell, json, env-file" in (caught.value.hint or "")
