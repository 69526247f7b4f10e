"""Shared pytest setup: fixtures live in tests/fixtures/, one module per server or tool."""

pytest_plugins = [
    "tests.fixtures.cli",
    "tests.fixtures.inprocess",
    "tests.fixtures.prism",
    "tests.fixtures.backend",
    "tests.fixtures.seeded",
    "tests.fixtures.podman",
    "tests.fixtures.transport",
]
