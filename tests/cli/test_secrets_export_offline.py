"""``leger secrets export`` and the offline cache, in-process: stdout holds the secrets only.

(The values are not registered with ``leger.secret``: export writes them to
stdout, which is what is checked here.)
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from leger.errors import ExitCode
from tests.support import wire
from tests.support.inprocess import Leger

T0 = datetime(2026, 11, 28, 10, 0, 0, tzinfo=UTC)
LATER = T0 + timedelta(days=3, hours=4)
STORE = {"db:url": "postgres://x", "github-token": "gh-1"}


def filled(leger: Leger) -> Leger:
    leger.with_token().speaks(wire.REST).holds(STORE)
    first = leger.run("secrets", "export", now=lambda: T0)
    assert first.exit_code == 0, first.stderr
    return leger


def test_export_falls_back_with_the_same_output_and_one_line_on_stderr(leger):
    app = filled(leger)
    app.server.holds(STORE)
    online = app.run("secrets", "export", "--format", "shell", now=lambda: T0)
    app.server.answers(
        app.server.form.list, 502, wire.error("bad_gateway", "Bad gateway"), times=None
    )
    cached = app.run("secrets", "export", "--format", "shell", now=lambda: LATER)
    assert cached.exit_code == 0
    assert cached.stdout == online.stdout
    assert cached.stderr == (
        "leger.run unreachable (HTTP 502); using secrets cached 2026-11-28T10:00:00Z (3d 4h ago)\n"
    )


def test_export_offline_keeps_secret_names_in_json(leger):
    app = filled(leger)
    result = app.run("secrets", "export", "--offline", "--format", "json", now=lambda: LATER)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == STORE


def test_export_offline_past_max_age_is_an_error_and_writes_nothing(leger):
    app = filled(leger)
    result = app.run("secrets", "export", "--offline", "--max-age", "3d", now=lambda: LATER)
    assert (result.exit_code, result.stdout) == (ExitCode.ERROR, b"")
    assert result.stderr.startswith(
        "Error: No usable offline cache of http://127.0.0.1:8787 for this login: "
        "it is 3d 4h old, more than --max-age 3d\n"
    )
