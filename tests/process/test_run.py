"""``leger run`` refusing to run: usage errors and no login, as a process.

These stay processes: a leger that wrongly went on would exec the command in
place of the test run.
"""

from __future__ import annotations

import pytest

from leger.errors import ExitCode


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["run", "true"], "Put '--' before the command"),
        (["run"], "Missing COMMAND after '--'"),
        (["run", "--onyl", "k", "--", "true"], "Unknown option '--onyl' for 'leger run'"),
    ],
)
def test_usage_errors_exit_2_and_run_nothing(cli, argv, says):
    result = cli.run(*argv)
    assert result.returncode == ExitCode.USAGE
    assert says in result.stderr
    assert result.stdout == b""


def test_without_a_login_nothing_runs(cli, tmp_path):
    marker = tmp_path / "ran"
    cli.env["LEGER_API_URL"] = "http://127.0.0.1:9"
    result = cli.run("run", "--", "touch", str(marker))
    assert result.returncode == ExitCode.AUTH_REQUIRED
    assert not marker.exists()
