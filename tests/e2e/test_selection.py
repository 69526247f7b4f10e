"""How many requests fetching values takes (leger/selection.py), on each route form.

Every value: one request on REST, a list and the gets on v0.1; ``--only``
filters on the client on REST and gets just those names on v0.1.
"""

from __future__ import annotations

import pytest

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
