"""``leger secrets set`` as a process: what only the installed ``leger`` shows.

Real terminals (colour, no echo at the prompt, Ctrl-C, Ctrl-D), shells, closed
streams, the OS's argv, HOME and memory limits, and tricky values through the
OS's argv and a pipe. Everything else about the command runs in-process in
tests/cli/test_secrets_set.py.
"""

from __future__ import annotations

import pytest

from tests.support.roundtrip import check_set, positionals, read_back
from tests.support.values import PEM


@pytest.mark.parametrize("how", ["argument", "stdin"])
def test_tricky_values_round_trip_through_the_installed_leger(cli, fresh_proxied_backend, how):
    cli.use_api(fresh_proxied_backend.url)
    assert cli.run("auth", "login").returncode == 0
    values = ["--help", "[1, 2]", "a\r\nb\r\n", "👩‍👩‍👧", "e\u0301", "\u202eright-to-left", PEM]
    for index, value in enumerate(values):
        name = f"k{index}"
        if how == "argument":
            result = cli.run("secrets", "set", *positionals(name, value))
        else:
            result = cli.run("secrets", "set", name, "-", stdin=value.encode("utf-8") + b"\n")
        check_set(result, how)
        read_back(cli, name, value, how)
