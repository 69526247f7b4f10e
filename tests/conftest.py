"""Shared pytest setup for every level: the fixtures in tests/fixtures/, one module per tool.

A fixture module that imports another comes after it here, so that pytest
registers (and rewrites the asserts of) each before anything imports it.
"""

pytest_plugins = [
    "tests.fixtures.prism",
    "tests.fixtures.backend",
    "tests.fixtures.other_user",
    "tests.fixtures.podman",
    "tests.fixtures.transport",
    "tests.fixtures.cli",
    "tests.fixtures.inprocess",
    "tests.fixtures.seeded",
    "tests.fixtures.contract_watch",
]
