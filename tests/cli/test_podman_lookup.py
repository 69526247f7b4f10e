"""``leger podman lookup``, in-process: the value exactly, or one line saying what to run; and
the offline cache, whose value stands in when leger.run cannot answer at a container's start.

What only a process shows (no HOME, the deadline that ends a hung lookup,
Podman running it) is in tests/e2e/test_podman_lookup.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest

from devtools.login_file import login_text, write_login
from leger.cache import CacheInfo, SecretCache
from tests.support import wire
from tests.support.clock import NOW
from tests.support.httpmock import fail_with, respond_json
from tests.support.inprocess import DEFAULT_ENV, Leger

SERVER = DEFAULT_ENV["LEGER_API_URL"]
FUTURE = "2099-01-01T00:00:00+00:00"
PAST = "2020-01-01T00:00:00+00:00"
PEM = "-----BEGIN KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END KEY-----\n"
LOGIN_AGAIN = f"run: LEGER_API_URL={SERVER} leger auth login"
LIST = f"run: LEGER_API_URL={SERVER} leger secrets list"


def logged_in(leger, form: wire.Form | None, *, expires_at: str = FUTURE, api_url: str = SERVER):
    """A stored login to ``api_url`` that recorded ``form`` (None: a login from before forms)."""
    routes = None if form is None else form.name
    text = login_text("stored-token", api_url=api_url, api_routes=routes, expires_at=expires_at)
    write_login(leger.config_dir, text)
    leger.server.form = form or wire.V01


def lookup(
    leger, name: str = "k", *options: str, env: dict | None = None, at: datetime | None = None
):
    """``leger podman lookup`` as sync writes it: server, login directory, then the name;
    at the time ``at`` (None: now)."""
    return leger.run(
        "podman", "lookup", "--server", SERVER, "--config-dir", str(leger.config_dir),
        *options, "--", name, env=env, now=None if at is None else lambda: at,
    )  # fmt: skip


def failed_with(result, line: str) -> None:
    assert (result.exit_code, result.stdout) == (1, b"")
    assert result.stderr == line + "\n"


@pytest.mark.parametrize("form", wire.FORMS, ids=lambda form: form.name)
@pytest.mark.parametrize(
    "value",
    ["sk-proj-abc123\n", PEM, "x" * 10240, "ünï 🙂 \\ \" ' $HOME `x`"],
    ids=["trailing-newline", "pem", "10240-bytes", "unicode"],
)
def test_prints_the_value_exactly_with_one_request_in_the_logins_form(leger, form, value):
    logged_in(leger, form)
    leger.server.has_secret("k", leger.secret(value))
    result = lookup(leger)
    assert (result.exit_code, result.stdout, result.stderr) == (0, value.encode(), "")
    assert leger.registry.sent() == [form.get("k")]


def test_a_login_from_before_route_forms_costs_one_probe(leger):
    logged_in(leger, None)
    leger.server.form = wire.REST
    leger.server.answers_probe()
    leger.server.has_secret("k", leger.secret("v"))
    assert lookup(leger).stdout == b"v"
    assert leger.registry.sent() == [wire.REST.probe, wire.REST.get("k")]


def test_the_command_line_decides_server_and_login_not_the_environment(leger):
    logged_in(leger, wire.REST)
    leger.server.has_secret("k", leger.secret("v"))
    elsewhere = {
        "LEGER_API_URL": "http://127.0.0.1:9",
        "LEGER_API_ROUTES": "v0.1",
        "LEGER_TOKEN": "a-token-podman-happens-to-have",
        "XDG_CONFIG_HOME": "/nonexistent",
        "HOME": None,
    }
    result = lookup(leger, env=elsewhere)
    assert (result.exit_code, result.stdout) == (0, b"v")
    [request] = leger.registry.requests
    assert str(request.url) == f"{SERVER}/secrets/k"
    assert request.headers["Authorization"] == "Bearer stored-token"


def test_without_options_it_is_secrets_get_with_the_stored_login(leger):
    logged_in(leger, wire.V01)
    leger.server.has_secret("k", leger.secret("v"))
    result = leger.run("podman", "lookup", "k", env={"LEGER_TOKEN": "ignored"})
    assert (result.exit_code, result.stdout) == (0, b"v")
    assert leger.registry.requests[0].headers["Authorization"] == "Bearer stored-token"


@pytest.mark.parametrize(
    ("login", "line"),
    [
        (None, f"not authenticated; {LOGIN_AGAIN}"),
        ({"expires_at": PAST}, f"token expired; {LOGIN_AGAIN}"),
        ({"api_url": "https://api.leger.run"}, f"not logged in to {SERVER}; {LOGIN_AGAIN}"),
    ],
    ids=["none", "expired", "another-server"],
)
def test_a_login_that_cannot_be_used_names_auth_login_before_any_request(leger, login, line):
    if login is not None:
        logged_in(leger, wire.V01, **login)
    failed_with(lookup(leger), f"leger: cannot read secret k from {SERVER}: {line}")
    assert leger.registry.requests == []


def test_the_default_server_is_not_spelled_out_in_the_advice(leger):
    result = leger.run(
        "podman", "lookup", "--server", "https://api.leger.run",
        "--config-dir", str(leger.config_dir), "--", "k",
    )  # fmt: skip
    failed_with(
        result,
        "leger: cannot read secret k from https://api.leger.run: not authenticated; "
        "run: leger auth login",
    )


@pytest.mark.parametrize("form", wire.FORMS, ids=lambda form: form.name)
def test_answers_that_are_not_the_value_are_one_line_each(leger, form):
    logged_in(leger, form)
    prefix = f"leger: cannot read secret k from {SERVER}:"
    leger.server.rejects_token(form.get("k"))
    failed_with(
        lookup(leger), f"{prefix} leger.run rejected the token (invalid or expired); {LOGIN_AGAIN}"
    )
    leger.server.lacks("k")
    failed_with(
        lookup(leger),
        f"{prefix} leger.run has no secret of this name; {LIST}, or remove it from Podman: "
        f"LEGER_API_URL={SERVER} leger secrets sync --driver shell --prune",
    )
    leger.server.answers(form.get("k"), 500, wire.error("internal_error", "Boom.\n\x1b[2J"))
    failed_with(lookup(leger), f"{prefix} leger.run failed: Boom. ?[2J; {LIST}")


def test_no_connection_is_one_line(leger):
    logged_in(leger, wire.V01)
    refused = fail_with(httpx.ConnectError("[Errno 111] Connection refused"))
    leger.registry.register(*wire.V01.get("k"), refused, times=None)
    failed_with(
        lookup(leger),
        f"leger: cannot read secret k from {SERVER}: cannot connect to {SERVER}: "
        f"[Errno 111] Connection refused; {LIST}",
    )


def test_a_value_json_can_spell_but_utf8_cannot_is_refused(leger):
    logged_in(leger, wire.V01)
    answer = wire.V01.get_answer("k", "bad \ud800")[1]
    leger.registry.register(*wire.V01.get("k"), respond_json(200, answer))
    failed_with(
        lookup(leger),
        f"leger: cannot read secret k from {SERVER}: leger.run sent a response leger cannot "
        f"read (HTTP 200, it has text that is not valid Unicode); {LIST}",
    )


def test_a_wrong_command_line_says_to_sync_again(leger):
    resync = f"run: LEGER_API_URL={SERVER} leger secrets sync --driver shell"
    relative = leger.run("podman", "lookup", "--server", SERVER, "--config-dir", "rel", "--", "k")
    failed_with(
        relative,
        f"leger: cannot read secret k from {SERVER}: --config-dir must be an absolute path; "
        f"{resync}",
    )
    bad_name = lookup(leger, "not a name")
    assert bad_name.exit_code == 1
    assert bad_name.stderr.startswith("leger: cannot read secret not a name from ")
    assert bad_name.stderr.endswith(f"; {resync}\n")
    assert bad_name.stderr.count("\n") == 1


def test_a_server_with_credentials_in_it_is_never_shown(leger):
    result = leger.run(
        "podman", "lookup", "--server", "https://user:hunter2@leger.example",
        "--config-dir", str(leger.config_dir), "--", "k",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "hunter2" not in result.stderr
    assert result.stderr.startswith("leger: cannot read secret k: LEGER_API_URL must not contain")
    assert result.stderr.endswith("; run: leger secrets sync --driver shell\n")


def test_help_says_it_is_what_podman_runs(leger):
    assert "This is the command Podman runs" in leger.run("podman", "lookup", "--help").out


# --- the offline cache ---------------------------------------------------------------------


@pytest.fixture
def app(leger: Leger) -> Leger:
    """Logged in to a REST server, the form recorded with the login (the lookup asks no other)."""
    logged_in(leger, wire.REST)
    return leger


def test_the_cached_value_stands_in_and_the_journal_says_so(app):
    app.server.has_secret("k", app.secret("VALUE-of-k"))
    assert lookup(app, at=NOW).stdout == b"VALUE-of-k"
    refused = fail_with(httpx.ConnectError("[Errno 111] Connection refused"))
    app.registry.register(*wire.REST.get("k"), refused, times=None)
    result = lookup(app, at=NOW + timedelta(hours=3))
    assert (result.exit_code, result.stdout) == (0, b"VALUE-of-k")
    assert result.stderr == (
        "leger.run unreachable (Connection refused); "
        "using secrets cached 2026-11-28T10:00:00Z (3h ago)\n"
    )


def test_the_cache_is_the_one_in_cache_dir(app, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    app.server.has_secret("k", app.secret("VALUE-of-k"))
    assert lookup(app, "k", "--cache-dir", str(elsewhere)).exit_code == 0
    [entry] = SecretCache(elsewhere, warn=pytest.fail).status()
    assert isinstance(entry, CacheInfo), entry
    assert (entry.server, entry.user, entry.count) == (SERVER, wire.USER_UUID, 1)
    assert SecretCache(app.cache_dir, warn=pytest.fail).status() == []


def test_a_rejected_login_removes_the_cache_though_the_lookup_reports_the_error_itself(app):
    app.server.has_secret("k", app.secret("VALUE-of-k"))
    assert lookup(app).exit_code == 0
    app.server.rejects_token(wire.REST.get("k"))
    result = lookup(app)
    assert (result.exit_code, result.stdout) == (1, b"")
    assert result.stderr.count("\n") == 1  # the lookup's one line, nothing more
    assert result.stderr.startswith(
        f"leger: cannot read secret k from {SERVER}: leger.run rejected the token"
    )
    assert SecretCache(app.cache_dir, warn=pytest.fail).status() == []
