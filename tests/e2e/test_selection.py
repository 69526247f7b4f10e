"""Which secrets ``run`` and ``export`` fetch (leger/selection.py), through the installed
``leger`` against the local backend.

How many requests fetching values takes, on each route form: every value, one
request on REST, a list and the gets on v0.1; ``--only`` filters on the client
on REST and gets just those names on v0.1. And beyond the 1000 secrets the
deployed server lists (the ``many`` fixture's 1026): ``--only`` (and ``get``)
reach the 26 beyond the page, and all secrets of a full list warn.
"""

from __future__ import annotations

import json

import pytest

from tests.fixtures.seeded import BEYOND, LISTED, MANY
from tests.support.flows import stdout_of
from tests.support.text import ONLY_THE_LISTED

# --- how many requests -------------------------------------------------------------------

HUNDRED = {f"secret_{i:03}": f"value {i}" for i in range(100)}


def requests_made(backend, run) -> list[tuple[str, str, str]]:
    """The API requests ``run()`` made, as (method, path, query)."""
    before = len(backend.requests())
    result = run()
    assert result.returncode == 0, result.stderr
    return [(r["method"], r["path"], r["query"]) for r in backend.requests()[before:]]


@pytest.mark.parametrize("command", [("secrets", "export"), ("run", "--", "true")])
def test_fetching_every_secret_takes_one_request_on_rest_one_list_and_gets_on_v01(
    seeded, routed_backend, routes, command
):
    cli = seeded(HUNDRED)
    made = requests_made(routed_backend, lambda: cli.run(*command))
    if routes == "rest":
        assert made == [("GET", "/secrets", "include_values=true")]
    else:
        assert made[0] == ("GET", "/secrets/list", "")
        assert sorted(made[1:]) == [("GET", f"/secrets/get/{name}", "") for name in HUNDRED]


def test_only_filters_on_the_client_on_rest_and_gets_just_those_on_v01(
    seeded, routed_backend, routes
):
    cli = seeded(HUNDRED)
    made = requests_made(
        routed_backend, lambda: cli.run("run", "--only", "secret_007,secret_042", "--", "true")
    )
    if routes == "rest":
        assert made == [("GET", "/secrets", "include_values=true")]
    else:  # no list: it could lack them
        assert sorted(made) == [
            ("GET", "/secrets/get/secret_007", ""),
            ("GET", "/secrets/get/secret_042", ""),
        ]


# --- beyond the page ------------------------------------------------------------------------------


def test_a_secret_beyond_the_page_is_reached_by_name(many):
    cli = many
    last = BEYOND[-1]
    assert stdout_of(cli.run("secrets", "get", last)) == MANY[last].encode()
    shown = cli.run("run", "--only", f"{LISTED[0]},{last}", "--", "printenv", last.upper())
    assert stdout_of(shown) == f"{MANY[last]}\n".encode()
    exported = cli.run("secrets", "export", "--format", "json", "--only", ",".join(BEYOND))
    assert json.loads(stdout_of(exported)) == {name: MANY[name] for name in BEYOND}
    assert exported.stderr == ""
    missing = cli.run("secrets", "export", "--only", f"{last},zz-typo")
    assert missing.returncode == 1
    assert missing.stderr.startswith("Error: No such secret: zz-typo\n")


def test_run_and_export_of_all_warn_in_the_same_words_and_go_on(many):
    cli = many
    exported = cli.run("secrets", "export", "--format", "json")
    assert json.loads(stdout_of(exported)) == {name: MANY[name] for name in LISTED}
    assert exported.stderr == ONLY_THE_LISTED + "\n"
    ran = cli.run("run", "--", "printenv", "S0999")
    assert stdout_of(ran) == b"value of s0999\n"
    assert ran.stderr == ONLY_THE_LISTED + "\n"
