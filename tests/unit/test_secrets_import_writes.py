"""An import whose stdout cannot be written still says, on stderr, exactly what it wrote.

leger/commands/secrets_import/writes.py, through the command's run function.
The results are the only record of which secrets a run created or updated: a
full disk, a closed stdout or a reader that went away must neither hide them
nor stop the writes halfway. The process-level cases (``>/dev/full``, ``>&-``)
are in tests/process/test_secrets_import.py.
"""

from __future__ import annotations

import errno
import io

import pytest

from leger.commands.secrets_import import import_secrets
from leger.errors import ExitCode, LegerError, OutputError
from tests.support.fake_secrets import FakeSecrets, fake_context

RESULTS = [
    "Created A (version 1)",
    "Updated B (version 2)",
    "Created C (version 1)",
    "",
    "Imported 3: 2 created, 1 updated.",
]


class FailingStdout(io.BytesIO):
    """A stdout that takes ``lines`` lines, then fails every write with ``error``."""

    def __init__(self, lines: int, error: OSError) -> None:
        super().__init__()
        self.left = lines
        self.error = error

    def write(self, data) -> int:
        if self.left == 0:
            raise self.error
        self.left -= 1
        return super().write(data)


def run_import(tmp_path, stdout: FailingStdout, fail_write: int | None = None):
    api = FakeSecrets({"B": "old"}, fail_write=fail_write)
    ctx, _, stderr = fake_context(api)
    ctx.io.stdout = stdout
    path = tmp_path / "in.env"
    path.write_bytes(b"A=1\nB=2\nC=3\n")
    with pytest.raises(LegerError) as caught:
        import_secrets(ctx, str(path))
    return api, caught.value, stderr.getvalue()


@pytest.mark.parametrize(
    "error",
    [OSError(errno.ENOSPC, "No space left on device"), OSError(errno.EBADF, "Bad fd")],
    ids=["full", "closed"],
)
@pytest.mark.parametrize("taken", [0, 2])
def test_every_write_happens_and_stderr_has_every_result(tmp_path, error, taken):
    stdout = FailingStdout(taken, error)
    api, raised, stderr = run_import(tmp_path, stdout)
    assert api.store == {"A": "1", "B": "2", "C": "3"}
    assert isinstance(raised, OutputError)
    assert raised.exit_code == ExitCode.ERROR
    lines = stderr.splitlines()
    assert lines[0] == f"{raised.message}; the results go to stderr instead:"
    assert lines[1:] == RESULTS
    assert stdout.getvalue().decode().splitlines() == RESULTS[:taken]


def test_a_reader_that_went_away_is_no_reason_to_stop_either(tmp_path):
    api, raised, stderr = run_import(tmp_path, FailingStdout(1, BrokenPipeError(errno.EPIPE, "")))
    assert api.store == {"A": "1", "B": "2", "C": "3"}
    assert raised.message.startswith("Cannot write the output to stdout")
    assert stderr.splitlines()[1:] == RESULTS


def test_a_failed_write_after_a_failed_stdout_still_lists_what_was_written(tmp_path):
    api, raised, stderr = run_import(
        tmp_path, FailingStdout(0, OSError(errno.ENOSPC, "No space")), fail_write=3
    )
    assert api.store == {"A": "1", "B": "2"}
    assert stderr.splitlines()[1:] == RESULTS[:2]
    assert "  Written (2): A, B" in raised.message
    assert "  Not attempted (0): none" in raised.message
