"""leger/offline.py through ``leger run`` (and ``get``), in-process: when the cache stands in,
when not, and that a cache which cannot be written never fails the command.

The mock registry fails a test on any request it was not told about, so a test
that registers nothing proves that nothing was sent. The clock is injected, so
the ages in messages are exact. ``exec_command`` is replaced by a recorder:
the environment it gets is what the command would have seen. What ``get`` and
``export`` print from the cache is in their own files.
"""

from __future__ import annotations

import errno
import os
from datetime import datetime, timedelta

import httpx
import pytest

import leger.cache.store
import leger.commands.run
from leger.cache import BrokenCache, CacheInfo, SecretCache
from leger.errors import ExitCode
from leger.private_files import replace_atomically
from tests.support import wire
from tests.support.clock import NOW
from tests.support.httpmock import each_form, fail_with
from tests.support.inprocess import Leger

LATER = NOW + timedelta(hours=2)
CACHED_LINE = "using secrets cached 2026-11-28T10:00:00Z (2h ago)"
REFUSED = httpx.ConnectError("[Errno 111] Connection refused")


@pytest.fixture(autouse=True)
def execs(monkeypatch) -> list[dict[str, str]]:
    """The environment of each command ``run`` would have become."""
    envs: list[dict[str, str]] = []
    monkeypatch.setattr(leger.commands.run, "exec_command", lambda _argv, env: envs.append(env))
    return envs


@pytest.fixture
def app(leger: Leger) -> Leger:
    leger.with_token().speaks(wire.REST)
    return leger


def store(app: Leger) -> dict[str, str]:
    return {"alpha": app.secret("A-value-1"), "beta": app.secret("B-value-2")}


def fill(app: Leger, values: dict[str, str], *args: str, at: datetime = NOW) -> None:
    """Run once while leger.run answers with ``values`` (``args``: --only ...)."""
    app.server.holds(values)
    result = app.run("run", *args, "--", "app", now=lambda: at)
    assert result.exit_code == 0, result.stderr


def down(app: Leger) -> None:
    """From now on leger.run cannot be reached (the first request of a fetch fails)."""
    app.registry.register(*app.server.form.list, fail_with(REFUSED), times=None)


def variables(env: dict[str, str]) -> dict[str, str | None]:
    return {name: env.get(name) for name in ("ALPHA", "BETA")}


def caches(app: Leger) -> list[CacheInfo]:
    """Every cache in the test's cache directory, as its headers say (none may be broken)."""
    entries = SecretCache(app.cache_dir, warn=pytest.fail).status()
    assert not [entry for entry in entries if isinstance(entry, BrokenCache)], entries
    return [entry for entry in entries if isinstance(entry, CacheInfo)]


# --- recorded, then standing in ----------------------------------------------------------------


@each_form
def test_run_records_its_secrets_and_they_stand_in_when_leger_run_is_unreachable(
    leger, execs, form
):
    leger.with_token().speaks(form)
    fill(leger, store(leger))
    down(leger)
    result = leger.run("run", "--", "app", now=lambda: LATER)
    assert result.exit_code == 0
    assert result.stderr == f"leger.run unreachable (Connection refused); {CACHED_LINE}\n"
    assert [variables(env) for env in execs] == [{"ALPHA": "A-value-1", "BETA": "B-value-2"}] * 2


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (fail_with(REFUSED), "Connection refused"),
        (
            fail_with(httpx.ConnectError("[Errno -2] Name or service not known")),
            "Name or service not known",
        ),
        (
            fail_with(httpx.ReadError("[Errno 104] Connection reset by peer")),
            "Connection reset by peer",
        ),
        (fail_with(httpx.ReadTimeout("timed out")), "no complete answer within 10 s"),
        ("500", "HTTP 500"),
        ("503", "HTTP 503"),
        ("429", "HTTP 429, rate limited"),
    ],
    ids=["refused", "dns", "reset", "timeout", "500", "503", "429-beyond-the-budget"],
)
def test_each_way_of_not_answering_lets_the_cache_stand_in(app, execs, fault, reason):
    fill(app, store(app))
    if isinstance(fault, str):
        headers = {"Retry-After": "120"} if fault == "429" else None
        body = wire.RATE_LIMITED if fault == "429" else wire.error("internal_error", "down")
        app.server.answers(app.server.form.list, int(fault), body, headers, times=None)
    else:
        app.registry.register(*app.server.form.list, fault, times=None)
    result = app.run("run", "--", "app", now=lambda: LATER)
    assert result.exit_code == 0
    assert result.stderr == f"leger.run unreachable ({reason}); {CACHED_LINE}\n"
    assert variables(execs[-1]) == {"ALPHA": "A-value-1", "BETA": "B-value-2"}


def test_the_route_form_probe_failing_is_leger_run_unreachable_too(leger, execs):
    leger.with_token().speaks(wire.REST, detected=True)  # LEGER_TOKEN, no form known
    fill(leger, store(leger))
    down(leger)
    result = leger.run("run", "--", "app", now=lambda: LATER)
    assert result.exit_code == 0, result.stderr
    assert leger.registry.sent()[-1] == wire.REST.probe
    assert variables(execs[-1]) == {"ALPHA": "A-value-1", "BETA": "B-value-2"}


# --- answers stand: the cache never overrules the server ---------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "exit_code", "says"),
    [
        (401, wire.REST.invalid_token()[1], ExitCode.AUTH_REQUIRED, "rejected the token"),
        (403, wire.error("forbidden", "Not allowed."), ExitCode.ERROR, "Not allowed"),
        (404, wire.error("not_found", "API endpoint not found: GET /secrets"), 1, "routes"),
        (400, wire.error("invalid_request", "Bad."), ExitCode.ERROR, "Bad."),
    ],
)
def test_an_answer_is_never_overruled_by_the_cache(app, execs, status, body, exit_code, says):
    fill(app, store(app))
    app.server.answers(app.server.form.list, status, body, times=None)
    if status == 404:  # a route the server lacks: leger asks once more which form it speaks
        app.server.answers(wire.V01.list, status, body, times=None)
    result = app.run("run", "--", "app", now=lambda: LATER)
    assert result.exit_code == exit_code
    assert says in result.stderr
    assert "using secrets cached" not in result.stderr
    assert len(execs) == 1  # the run that filled the cache


def test_a_named_secret_the_server_says_is_gone_leaves_the_cache(app):
    fill(app, store(app))
    app.server.holds({"alpha": "A-value-1"})
    app.server.lacks("beta")  # not in the list, and its own get answers 404
    result = app.run("run", "--only", "alpha,beta", "--", "app", now=lambda: LATER)
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr.startswith("Error: No such secret: beta\n")
    gone = app.run("run", "--offline", "--only", "beta", "--", "app")
    assert "for this login: it does not hold beta" in gone.stderr
    assert app.run("run", "--offline", "--only", "alpha", "--", "app").exit_code == 0


@pytest.mark.parametrize("status", [401, 403])
def test_a_rejected_login_removes_every_cache_of_that_server_and_no_other(app, execs, status):
    other_server = {"LEGER_API_URL": "http://127.0.0.1:9999"}
    fill(app, store(app))
    app.server.holds({"alpha": "x"})
    assert app.run("run", "--", "app", env={"LEGER_TOKEN": "bobs-token"}).exit_code == 0
    app.server.holds({"alpha": "y"})
    assert app.run("run", "--", "app", env=other_server).exit_code == 0
    assert len(caches(app)) == 3
    app.server.answers(app.server.form.list, status, wire.error("no", "No."))
    result = app.run("run", "--", "app", now=lambda: LATER)
    assert result.exit_code != 0
    assert result.stderr.startswith(
        "Warning: http://127.0.0.1:8787 rejected the login: removed its offline 2 caches\n"
    )
    assert [entry.server for entry in caches(app)] == ["http://127.0.0.1:9999"]
    down(app)
    assert app.run("run", "--", "app").exit_code == ExitCode.ERROR
    assert len(execs) == 3


# --- turned off --------------------------------------------------------------------------------


@pytest.mark.parametrize(("option", "env"), [(["--no-cache"], {}), ([], {"LEGER_CACHE": "0"})])
def test_no_cache_and_leger_cache_0_neither_write_nor_use_it(app, execs, option, env):
    app.server.holds(store(app))
    assert app.run("run", *option, "--", "app", env=env).exit_code == 0
    assert caches(app) == []
    fill(app, store(app))
    down(app)
    result = app.run("run", *option, "--", "app", env=env, now=lambda: LATER)
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr.startswith("Error: Cannot connect to http://127.0.0.1:8787")
    assert len(execs) == 2


@pytest.mark.parametrize(
    ("argv", "env", "says"),
    [
        (["--max-age", "1w"], {}, "--max-age is not a duration: '1w'"),
        (["--max-age", "0s"], {}, "--max-age must be more than 0"),
        (["--offline", "--no-cache"], {}, "--offline needs the offline cache, which --no-cache"),
        (["--max-age", "1d", "--no-cache"], {}, "--max-age needs the offline cache"),
        (["--offline"], {"LEGER_CACHE": "0"}, "which LEGER_CACHE=0 turns off"),
        ([], {"LEGER_CACHE": "off"}, "LEGER_CACHE must be 0 (no offline cache) or 1, not 'off'"),
    ],
)
def test_bad_or_contradictory_cache_options_are_usage_errors_before_anything_is_sent(
    app, execs, argv, env, says
):
    result = app.run("run", *argv, "--", "app", env=env)
    assert result.exit_code == ExitCode.USAGE
    assert says in result.stderr
    assert app.registry.requests == []
    assert execs == []


# --- what the cache may stand in for -----------------------------------------------------------


def test_max_age_refuses_secrets_older_than_it(app, execs):
    fill(app, store(app))
    down(app)
    fresh = app.run("run", "--max-age", "3h", "--", "app", now=lambda: LATER)
    assert fresh.exit_code == 0, fresh.stderr
    stale = app.run("run", "--max-age", "90m", "--", "app", now=lambda: LATER)
    assert stale.exit_code == ExitCode.ERROR
    assert stale.stderr.startswith(
        "Warning: the offline cache cannot stand in: it is 2h old, more than --max-age 90m\n"
        "Error: Cannot connect to http://127.0.0.1:8787: [Errno 111] Connection refused\n"
    )
    assert len(execs) == 2


def test_the_age_is_that_of_the_oldest_secret_used(app, execs):
    values = store(app)
    fill(app, values)
    fill(app, {"beta": values["beta"]}, "--only", "beta", at=NOW + timedelta(minutes=90))
    down(app)
    only_beta = app.run("run", "--only", "beta", "--max-age", "1h", "--", "app", now=lambda: LATER)
    assert only_beta.exit_code == 0, only_beta.stderr
    assert "using secrets cached 2026-11-28T11:30:00Z (30m ago)" in only_beta.stderr
    both = app.run("run", "--max-age", "1h", "--", "app", now=lambda: LATER)
    assert "it is 2h old, more than --max-age 1h" in both.stderr
    assert len(execs) == 3


def test_all_secrets_only_from_a_complete_snapshot_names_from_any_cache_holding_them(app, execs):
    fill(app, {"alpha": app.secret("A-value-1")}, "--only", "alpha")
    down(app)
    everything = app.run("run", "--", "app", now=lambda: LATER)
    assert everything.exit_code == ExitCode.ERROR
    assert "it holds only secrets fetched by name, not all of them" in everything.stderr
    missing = app.run("run", "--only", "alpha,beta", "--", "app", now=lambda: LATER)
    assert "the offline cache cannot stand in: it does not hold beta" in missing.stderr
    named = app.run("run", "--only", "alpha", "--", "app", now=lambda: LATER)
    assert named.exit_code == 0, named.stderr
    assert variables(execs[-1]) == {"ALPHA": "A-value-1", "BETA": None}
    assert len(execs) == 2


def test_a_list_that_may_have_been_cut_short_is_not_all_secrets(app, execs):
    page = {f"s{i:04d}": f"v{i}" for i in range(1000)}  # what leger.run lists at most
    fill(app, page)
    [entry] = caches(app)
    assert (entry.count, entry.complete) == (1000, False)
    down(app)
    result = app.run("run", "--", "app", now=lambda: LATER)
    assert "it holds only secrets fetched by name" in result.stderr
    assert app.run("run", "--only", "s0999", "--", "app").exit_code == 0
    assert execs[-1]["S0999"] == "v999"


def test_a_new_login_cannot_read_the_cache_of_the_one_before(leger, execs):
    leger.speaks(wire.REST)
    leger.logged_in(expires_at="2099-01-01T00:00:00Z", token="first-login")
    fill(leger, store(leger))
    leger.logged_in(expires_at="2099-01-01T00:00:00Z", token="second-login")  # same user
    down(leger)
    result = leger.run("run", "--", "app", now=lambda: LATER)
    assert result.exit_code == ExitCode.ERROR
    warning = result.stderr.splitlines()[0]
    assert warning.startswith(
        "Warning: the offline cache cannot stand in: it was written for another login, "
        f"or it was altered ({leger.cache_dir}/"
    )
    assert len(execs) == 1


def test_a_cache_from_a_clock_ahead_has_no_known_age(app, execs):
    fill(app, store(app))
    down(app)
    earlier = NOW - timedelta(days=1)
    result = app.run("run", "--max-age", "7d", "--", "app", now=lambda: earlier)
    assert "later than the clock's time now, so its age is not known" in result.stderr
    assert result.exit_code == ExitCode.ERROR
    unbounded = app.run("run", "--", "app", now=lambda: earlier)
    assert unbounded.stderr.endswith("using secrets cached 2026-11-28T10:00:00Z (0s ago)\n")


# --- --offline ---------------------------------------------------------------------------------


def test_offline_uses_the_cache_and_sends_nothing(app, execs):
    fill(app, store(app))
    sent = len(app.registry.requests)
    result = app.run("run", "--offline", "--", "app", now=lambda: LATER)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"leger.run not asked (--offline); {CACHED_LINE}\n"
    assert len(app.registry.requests) == sent
    assert variables(execs[-1]) == {"ALPHA": "A-value-1", "BETA": "B-value-2"}


def test_offline_without_a_usable_cache_says_whose_and_how_to_fill_it(app, execs):
    result = app.run("run", "--offline", "--", "app")
    assert (result.exit_code, result.stdout) == (ExitCode.ERROR, b"")
    assert result.stderr == (
        "Error: No usable offline cache of http://127.0.0.1:8787 for this login: "
        "there is none yet\n"
        "\n"
        "Every fetch while leger.run can be reached fills the cache: run the same command\n"
        "without --offline, or cache every secret with: leger secrets export > /dev/null\n"
    )
    assert app.registry.requests == []
    assert execs == []


def test_offline_needs_a_login_as_much_as_online(leger, execs):
    leger.logged_in(expires_at="2026-01-01T00:00:00Z")
    result = leger.run("run", "--offline", "--", "app", now=lambda: LATER)
    assert result.exit_code == ExitCode.AUTH_REQUIRED
    assert "Token expired" in result.stderr
    assert execs == []


# --- a cache that cannot be written: one warning, and the values just fetched are used ------------
# (a full disk, a read-only or unusable cache directory)


def no_space(fd: int, data: bytes) -> None:
    os.write(fd, data[: len(data) // 2])
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def full_disk(monkeypatch) -> None:
    """Every cache file write runs out of space halfway."""

    def replace_on_a_full_disk(*args, **kwargs):
        return replace_atomically(*args, **{**kwargs, "write": no_space})

    monkeypatch.setattr(leger.cache.store, "replace_atomically", replace_on_a_full_disk)


@pytest.fixture
def read_only(monkeypatch) -> None:
    """Nothing new can be created in the cache directory (a read-only file system)."""
    real_open = os.open

    def open_read_only(path, flags, *args, **kwargs):
        if flags & os.O_CREAT and kwargs.get("dir_fd") is not None:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_read_only)


def run_app(app: Leger, *env_pairs: tuple[str, str]):
    app.server.holds({"k": app.secret("VALUE-of-k")})
    return app.run("run", "--", "app", env=dict(env_pairs))


@pytest.mark.parametrize(
    ("fault", "why"),
    [("full_disk", "No space left on device"), ("read_only", "Read-only file system")],
)
def test_run_goes_on_with_the_values_it_fetched(app, execs, request, fault, why):
    request.getfixturevalue(fault)
    result = run_app(app)
    assert result.exit_code == 0
    assert result.stderr == (
        f"Warning: Could not update the offline cache in {app.cache_dir}: {why}\n"
    )
    assert execs[0]["K"] == "VALUE-of-k"


def test_a_cache_directory_that_cannot_be_made_is_one_warning(app, execs, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    result = run_app(app, ("XDG_CACHE_HOME", str(blocker)))
    assert result.exit_code == 0
    assert result.stderr == (
        f"Warning: Could not update the offline cache in {blocker}/leger: Not a directory\n"
    )
    assert execs[0]["K"] == "VALUE-of-k"


def test_get_still_prints_the_value_on_a_full_disk(app, full_disk):
    app.server.has_secret("k", app.secret("VALUE-of-k"))
    result = app.run("secrets", "get", "k")
    assert (result.exit_code, result.stdout) == (0, b"VALUE-of-k")
    assert "Warning: Could not update the offline cache" in result.stderr
