"""``leger secrets get`` as a process: no newline or colour on a terminal, exact through a shell."""

from __future__ import annotations

import subprocess

from tests.support import wire


def test_get_on_a_terminal_adds_no_newline_or_colour(mocked_cli):
    code, output, stderr = mocked_cli.terminal("secrets", "get", "openai_api_key").finish()
    assert (code, output, stderr) == (0, wire.EXAMPLE_VALUE.encode(), "")


def test_get_is_byte_exact_through_a_shell(live_cli, tmp_path):
    value = "S3CRET \"quoted\" 'single' $dollar `tick` 😀"
    assert live_cli.run("secrets", "set", "k", value).returncode == 0
    out = tmp_path / "out"
    script = 'leger secrets get k > "$OUT" && X=$(leger secrets get k) && printf %s "$X"'
    proc = subprocess.run(
        ["/bin/sh", "-c", script],
        env=live_cli.shell_env(OUT=str(out)),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == value.encode()
    assert proc.stdout == value.encode()
    assert proc.stderr == b""
