"""Every input path of ``leger secrets set`` sends a request the contract accepts.

In-process against ``prism mock``, which answers 400 to a request body the
contract does not allow.
"""

from __future__ import annotations

import pytest

from tests.support.text import PEM


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
