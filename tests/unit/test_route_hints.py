"""The route-form hints in the state directory: private, atomic, and never a reason to fail."""

from __future__ import annotations

import json
import os
import stat
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from leger.route_hints import MAX_FILE_SIZE, RouteHints, file_name

URL = "https://api.leger.run"
OTHER = "https://app.leger.run/api"
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    return tmp_path / "state" / "leger"


@pytest.fixture
def said() -> list[str]:
    """What the store reported (the debug log's lines)."""
    return []


@pytest.fixture
def hints(state_dir: Path, said: list[str]) -> RouteHints:
    return RouteHints(state_dir, report=said.append)


def hint_path(state_dir: Path, url: str = URL) -> Path:
    return state_dir / file_name(url)


def plant(state_dir: Path, content: str | bytes, url: str = URL, mode: int = 0o600) -> Path:
    """A hint file written by hand, not by the store."""
    state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = hint_path(state_dir, url)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    path.chmod(mode)
    return path


def valid(url: str = URL, form: str = "rest") -> str:
    return json.dumps({"url": url, "form": form, "probed_at": "2026-11-30T08:00:00Z"})


def test_a_remembered_form_reads_back_for_its_url_only(hints):
    hints.remember(URL, "rest", NOW)
    hint = hints.read(URL)
    assert hint is not None
    assert (hint.url, hint.form, hint.probed_at) == (URL, "rest", NOW)
    assert hints.read(OTHER) is None
    hints.remember(OTHER, "v0.1", NOW)
    assert (hints.read(URL).form, hints.read(OTHER).form) == ("rest", "v0.1")


def test_the_directory_is_0700_the_file_0600_named_by_a_hash(hints, state_dir):
    hints.remember(URL, "v0.1", NOW)
    assert stat.S_IMODE(state_dir.stat().st_mode) == 0o700
    [path] = state_dir.iterdir()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "leger.run" not in path.name
    assert path.name == file_name(URL)
    assert json.loads(path.read_text()) == {
        "url": URL,
        "form": "v0.1",
        "probed_at": "2026-12-01T09:30:00Z",
    }


def test_a_loose_directory_of_the_users_own_is_tightened_on_write(hints, state_dir):
    state_dir.mkdir(parents=True)
    state_dir.chmod(0o755)
    hints.remember(URL, "rest", NOW)
    assert stat.S_IMODE(state_dir.stat().st_mode) == 0o700


def test_the_same_form_again_leaves_the_file_as_it_is(hints, state_dir):
    hints.remember(URL, "rest", NOW)
    before = hint_path(state_dir).stat()
    hints.remember(URL, "rest", datetime(2027, 1, 1, tzinfo=UTC))
    after = hint_path(state_dir).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    hints.remember(URL, "v0.1", NOW)
    assert hints.read(URL).form == "v0.1"


def test_reading_creates_nothing(hints, state_dir):
    assert hints.read(URL) is None
    assert not state_dir.exists()


@pytest.mark.parametrize(
    "content",
    [
        "",
        "{",
        "[]",
        "null",
        '{"url": "https://api.leger.run", "form": "graphql", "probed_at": "2026-11-30T08:00:00Z"}',
        '{"url": "https://api.leger.run", "form": "rest"}',
        '{"url": "https://api.leger.run", "form": "rest", "probed_at": "yesterday"}',
        '{"url": "https://api.leger.run", "form": "rest", "probed_at": "2026-11-30T08:00:00"}',
        valid(url=OTHER),  # copied from another server's file
        b"\xff\xfe not utf-8",
        "[" * 100_000,
    ],
    ids=[
        "empty",
        "truncated",
        "list",
        "null",
        "unknown-form",
        "no-time",
        "bad-time",
        "naive-time",
        "other-url",
        "not-utf8",
        "deep",
    ],
)
def test_a_corrupt_file_is_no_hint(hints, state_dir, said, content):
    plant(state_dir, content)
    assert hints.read(URL) is None
    assert len(said) == 1
    assert "ignored" in said[0]


def test_an_oversized_file_is_not_read_past_its_bound(hints, state_dir, said):
    plant(state_dir, valid() + " " * MAX_FILE_SIZE)
    assert hints.read(URL) is None
    assert "larger than" in said[0]


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620, 0o666])
def test_a_file_others_may_read_or_write_is_no_hint(hints, state_dir, said, mode):
    plant(state_dir, valid(), mode=mode)
    assert hints.read(URL) is None
    assert said
    assert "ignored" in said[0]


def test_a_directory_others_may_write_is_no_hint(hints, state_dir):
    plant(state_dir, valid())
    state_dir.chmod(0o777)
    assert hints.read(URL) is None
    state_dir.chmod(0o700)
    assert hints.read(URL) is not None  # the same file, once the directory is private


def test_someone_elses_file_is_no_hint(hints, state_dir, monkeypatch):
    plant(state_dir, valid())
    assert hints.read(URL) is not None
    real = os.geteuid()
    monkeypatch.setattr(os, "geteuid", lambda: real + 1)  # the files now belong to another
    assert hints.read(URL) is None


def test_a_symlink_is_neither_read_nor_written_through(hints, state_dir, tmp_path, said):
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text(valid(form="v0.1"))
    elsewhere.chmod(0o600)
    state_dir.mkdir(parents=True, mode=0o700)
    hint_path(state_dir).symlink_to(elsewhere)
    assert hints.read(URL) is None
    hints.remember(URL, "rest", NOW)  # no error: a hint is only a hint
    assert elsewhere.read_text() == valid(form="v0.1")
    assert hint_path(state_dir).is_symlink()
    assert any("not saved" in line for line in said)


def test_a_write_that_cannot_be_made_is_silent(tmp_path, said):
    blocker = tmp_path / "state"
    blocker.write_text("a file where the directory would be")
    hints = RouteHints(blocker / "leger", report=said.append)
    hints.remember(URL, "rest", NOW)
    assert hints.read(URL) is None
    assert [line for line in said if "not saved" in line]
    assert blocker.read_text() == "a file where the directory would be"


def test_without_a_report_problems_are_simply_dropped(state_dir):
    plant(state_dir, "{")
    assert RouteHints(state_dir).read(URL) is None


def test_concurrent_writers_never_leave_a_reader_without_a_whole_hint(hints, state_dir):
    hints.remember(URL, "rest", NOW)
    stop = threading.Event()
    seen: list[str | None] = []

    def write(form_first: bool) -> None:
        forms = ("rest", "v0.1") if form_first else ("v0.1", "rest")
        for i in range(60):
            RouteHints(state_dir).remember(URL, forms[i % 2], NOW)  # type: ignore[arg-type]

    def read() -> None:
        while not stop.is_set():
            hint = RouteHints(state_dir).read(URL)
            seen.append(hint.form if hint else None)

    readers = [threading.Thread(target=read) for _ in range(2)]
    writers = [threading.Thread(target=write, args=(i % 2 == 0,)) for i in range(4)]
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    for thread in readers:
        thread.join()
    assert seen
    assert None not in seen
    assert set(seen) <= {"rest", "v0.1"}
    assert [path.name for path in state_dir.iterdir()] == [file_name(URL)]  # no temp file left
