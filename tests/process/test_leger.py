"""The process entry point (leger/cli.py's ``main``): ``--version``, help and usage errors.

``--version`` is answered before anything else is imported, and only ``main``
turns an error into an exit status of the process.
"""

from __future__ import annotations

import pytest

from leger import __version__


def test_version(cli):
    result = cli.run("--version")
    assert (result.returncode, result.out) == (0, f"leger {__version__}\n")


@pytest.mark.parametrize(("argv", "code"), [(("--help",), 0), (("frobnicate",), 2)])
def test_help_and_usage_errors_from_the_installed_leger(cli, argv, code):
    result = cli.run(*argv)
    assert result.returncode == code
    if code == 0:
        assert "leger" in result.out
        assert result.stderr == ""
    else:
        assert result.stdout == b""
        assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr
